(function () {
  "use strict";
  document.getElementById("login-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var out = document.getElementById("login-result");
    var email = document.getElementById("login-email").value.trim();
    var password = document.getElementById("login-password").value;
    if (!email || !password) {
      out.className = "message error";
      out.textContent = "Please enter your email and password.";
      return;
    }
    var remember = document.getElementById("login-remember").checked;
    out.className = "message ok";
    out.textContent = "You are logged in" + (remember ? " and we will remember you." : ".");
  });
})();
