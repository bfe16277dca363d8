(function () {
  "use strict";
  function byId(id) { return document.getElementById(id); }

  // Set by script before recording starts (this runs before DOMContentLoaded).
  byId("script-pw").value = "QWVkKjzXZXQJVQJKKwWWJwq";

  byId("set-script-pw").addEventListener("click", function () {
    byId("script-pw").value = "zjkjVWwJwkQkzKVKWJwJxZWjQ";
  });

  var toggle = byId("pw-toggle");
  toggle.addEventListener("click", function () {
    var field = byId("pw");
    var show = field.type === "password";
    field.type = show ? "text" : "password";
    toggle.textContent = show ? "Hide password" : "Show password";
  });

  byId("add-password").addEventListener("click", function () {
    var field = document.createElement("input");
    field.type = "password";
    field.id = "dynamic-pw";
    field.name = "fresh";
    field.setAttribute("data-testid", "dynamic-pw");
    byId("dynamic-slot").appendChild(field);
  });

  byId("set-hidden").addEventListener("click", function () {
    byId("hidden-token").value = "jjKkvkVkJxQVwxQJJwVVvxkwWkQxv";
  });

  byId("change-masked").addEventListener("click", function () {
    byId("masked-text").textContent = "XKwKxJZkWWVjJvWvjw";
    var added = document.createElement("span");
    added.id = "masked-added";
    added.textContent = "qkQJQXwVvzZ";
    added.title = "VzVkJxqWxQzQ";
    byId("masked").appendChild(added);
    byId("masked-input").placeholder = "vkwzvxwXqZzQQ";
  });

  byId("change-blocked").addEventListener("click", function () {
    byId("blocked-text").textContent = "KZZvKwvWQvjZzXQ";
    var added = document.createElement("p");
    added.textContent = "vwVZKXxwvVqVkVvK";
    byId("blocked").appendChild(added);
  });

  byId("mark-later").addEventListener("click", function () {
    byId("later-mask").setAttribute("data-st-mask", "");
    byId("later-block").setAttribute("data-st-block", "");
    byId("later-ignore").setAttribute("data-st-ignore", "");
  });

  // An open shadow root with ordinary text, an ordinary field and a password field.
  var root = byId("shadow-host").attachShadow({ mode: "open" });
  root.innerHTML =
    '<p id="shadow-text">Shadow text that may be recorded</p>' +
    '<label>Name <input type="text" id="shadow-name"></label>' +
    '<label>Password <input type="password" id="shadow-pw"></label>';
})();
