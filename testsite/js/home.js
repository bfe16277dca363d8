(function () {
  "use strict";
  var hellos = 0;
  document.getElementById("hello-button").addEventListener("click", function () {
    hellos += 1;
    document.getElementById("hello-output").textContent =
      hellos === 1 ? "Hello from Tape & Co.!" : "Hello again! (" + hellos + " times)";
  });

  document.getElementById("newsletter-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var email = document.getElementById("newsletter-email").value.trim();
    var out = document.getElementById("newsletter-output");
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      out.className = "message error";
      out.textContent = "Please enter a valid email address.";
      return;
    }
    out.className = "message ok";
    out.textContent = "Thanks! You are subscribed to the newsletter.";
  });
})();
