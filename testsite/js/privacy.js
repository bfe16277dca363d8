(function () {
  "use strict";
  var COOKIE = "sessiontape_optout";

  function cookieSet() {
    return document.cookie.split(/;\s*/).some(function (c) { return c === COOKIE + "=1"; });
  }

  function optedOut() {
    var st = window.sessiontape;
    if (st && typeof st.isOptedOut === "function") {
      try { return !!st.isOptedOut(); } catch (e) { /* fall back to the cookie */ }
    }
    return cookieSet();
  }

  function call(name, fallback) {
    var st = window.sessiontape;
    if (st && typeof st[name] === "function") {
      try { st[name](); return; } catch (e) { /* fall back to the cookie */ }
    }
    fallback();
  }

  function show() {
    var off = optedOut();
    var el = document.getElementById("optout-state");
    el.textContent = off ? "Recording is off" : "Recording is on";
    el.className = "state " + (off ? "off" : "on");
    el.setAttribute("data-state", off ? "off" : "on");
  }

  document.getElementById("opt-out").addEventListener("click", function () {
    call("optOut", function () {
      document.cookie = COOKIE + "=1; path=/; max-age=31536000; SameSite=Lax";
    });
    show();
  });

  document.getElementById("opt-in").addEventListener("click", function () {
    call("optIn", function () {
      document.cookie = COOKIE + "=; path=/; max-age=0; SameSite=Lax";
    });
    show();
  });

  show();
  window.addEventListener("load", show);
})();
