(function () {
  "use strict";
  var password = document.getElementById("signup-password");
  var toggle = document.getElementById("toggle-password");

  toggle.addEventListener("click", function () {
    var show = password.type === "password";
    password.type = show ? "text" : "password";
    toggle.textContent = show ? "Hide password" : "Show password";
    toggle.setAttribute("aria-pressed", show ? "true" : "false");
  });

  document.getElementById("signup-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var out = document.getElementById("signup-result");
    var confirm = document.getElementById("signup-confirm").value;
    if (confirm && confirm !== password.value) {
      out.className = "message error";
      out.textContent = "The two passwords do not match.";
      return;
    }
    var name = document.getElementById("signup-name").value.trim() || "friend";
    var plan = document.querySelector('input[name="plan"]:checked');
    out.className = "message ok";
    out.textContent = "Welcome aboard, " + name + "! Your " + (plan ? plan.value : "free") + " account is ready.";
  });
})();
