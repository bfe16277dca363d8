(function () {
  "use strict";
  function byId(id) { return document.getElementById(id); }

  /* tabs */
  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"]'));
  function select(tab) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      byId(t.getAttribute("aria-controls")).hidden = !on;
    });
  }
  tabs.forEach(function (t, i) {
    t.addEventListener("click", function () { select(t); });
    t.addEventListener("keydown", function (e) {
      var d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (!d) return;
      var next = tabs[(i + d + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  });
  select(tabs[0]);

  /* growing list */
  var list = byId("item-list");
  var made = list.children.length;
  function count() { byId("item-count").textContent = String(list.children.length); }
  byId("add-item").addEventListener("click", function () {
    made += 1;
    var li = document.createElement("li");
    li.setAttribute("data-testid", "item");
    li.textContent = "Item " + made;
    list.appendChild(li);
    count();
  });
  byId("remove-item").addEventListener("click", function () {
    if (list.lastElementChild) list.removeChild(list.lastElementChild);
    count();
  });

  /* ticker */
  var seconds = 0;
  setInterval(function () {
    seconds += 1;
    byId("ticker").textContent = "Seconds on this page: " + seconds;
  }, 1000);

  /* modal */
  var modal = byId("dynamic-modal");
  function close() { if (!modal.hidden) { modal.hidden = true; byId("open-modal").focus(); } }
  byId("open-modal").addEventListener("click", function () {
    modal.hidden = false;
    byId("dynamic-modal-close").focus();
  });
  byId("dynamic-modal-close").addEventListener("click", close);
  modal.addEventListener("click", function (e) { if (e.target === modal) close(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });

  /* <shop-badge>: a custom element with an open shadow root */
  if (window.customElements && !customElements.get("shop-badge")) {
    customElements.define("shop-badge", class extends HTMLElement {
      connectedCallback() {
        if (this.shadowRoot) return;
        var root = this.attachShadow({ mode: "open" });
        var likes = 0;
        root.innerHTML =
          "<style>" +
          ":host{display:inline-flex;align-items:center;gap:.6rem;padding:.5rem .9rem;border-radius:999px;" +
          "background:#1d1f24;color:#fff7ed;font:inherit}" +
          "button{font:inherit;cursor:pointer;border:0;border-radius:999px;padding:.2rem .7rem;background:#c2410c;color:#fff}" +
          "button:hover{background:#9a3412}" +
          "</style>" +
          '<span class="label" id="badge-label" data-testid="badge-label"></span>' +
          '<button type="button" id="badge-button" data-testid="badge-button">Like</button>' +
          '<span id="badge-likes" data-testid="badge-likes">0 likes</span>';
        root.getElementById("badge-label").textContent = this.getAttribute("label") || "New";
        root.getElementById("badge-button").addEventListener("click", function () {
          likes += 1;
          root.getElementById("badge-likes").textContent = likes + (likes === 1 ? " like" : " likes");
        });
      }
    });
  }
})();
