(function () {
  "use strict";
  function byId(id) { return document.getElementById(id); }

  /* rules inserted through the CSSOM, not the markup */
  var sheet = byId("script-rules").sheet;
  sheet.insertRule(".script-styled { color: #15803d; font-weight: 700; }", 0);
  var added = 0;
  byId("add-rule").addEventListener("click", function () {
    added += 1;
    sheet.insertRule("#page-title { letter-spacing: " + added + "px; }", sheet.cssRules.length);
  });
  byId("delete-rule").addEventListener("click", function () {
    if (sheet.cssRules.length) sheet.deleteRule(sheet.cssRules.length - 1);
  });

  /* constructed stylesheets, adopted by the document and by a shadow root */
  var adopted = new CSSStyleSheet();
  adopted.replaceSync(".adopted { border: 3px dashed #7c3aed; padding: 4px; }");
  document.adoptedStyleSheets = [adopted];
  var root = byId("adopted-host").attachShadow({ mode: "open" });
  var inner = new CSSStyleSheet();
  inner.replaceSync("p { color: #fff; background: #1d4ed8; padding: 4px; }");
  root.adoptedStyleSheets = [inner];
  root.innerHTML = '<p id="adopted-inner">inside a shadow root with an adopted sheet</p>';

  byId("attach-shadow").addEventListener("click", function () {
    var host = byId("late-host");
    if (host.shadowRoot) return;
    host.attachShadow({ mode: "open" }).innerHTML =
      '<b id="late-shadow">shadow content attached after load</b><slot></slot>';
  });

  byId("add-frame").addEventListener("click", function () {
    var frame = document.createElement("iframe");
    frame.id = "late-frame";
    frame.setAttribute("data-testid", "late-frame");
    frame.src = "iframe.html";
    byId("frames").appendChild(frame);
  });

  /* values set the way frameworks set them: through the element properties */
  byId("set-by-script").addEventListener("click", function () {
    byId("bench-text").value = "set by script";
    byId("bench-check").checked = false;
    byId("bench-select").selectedIndex = 2;
    byId("bench-notes").value = "notes set by script";
  });

  var audio = byId("bench-audio");
  byId("play-audio").addEventListener("click", function () { audio.play(); });
  byId("pause-audio").addEventListener("click", function () { audio.pause(); });
})();
