// The framed half of mechanisms.js scenarios, chosen by ?case=... (window.SECRETS as in the parent).
(function () {
  "use strict";
  var S = window.SECRETS || [];
  var stage = document.getElementById("frame-stage");
  var which = new URLSearchParams(location.search).get("case");
  if (which === "toggle-at-parse") {
    // Renders a password field and shows it as text at once, while the frame parses.
    stage.innerHTML = '<input type="password" id="f" name="frame-secret">';
    var f = document.getElementById("f");
    f.value = S[0];
    f.type = "text";
  } else if (which === "private-content") {
    stage.innerHTML = '<p id="frame-secret-text"></p><input type="text" id="f">';
    document.getElementById("frame-secret-text").textContent = S[0];
  }
})();
