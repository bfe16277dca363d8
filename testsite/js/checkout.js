(function () {
  "use strict";
  var items = window.TapeCo.cartCount();

  function byId(id) { return document.getElementById(id); }

  byId("summary-items").textContent = String(items);
  byId("summary-total").textContent = "\u20ac" + window.TapeCo.cartTotal().toFixed(2);

  // The summary (marked data-st-mask) mirrors the shipping fields as they are typed.
  function mirror(from, to, fallback) {
    byId(from).addEventListener("input", function () {
      byId(to).textContent = byId(from).value.trim() || fallback;
    });
  }
  mirror("ship-name", "summary-name", "Ada Lovelace");
  mirror("ship-address", "summary-address", "12 Analytical Row, London N1 7AA");

  // Group card digits in fours, as real shops do (the value changes under the recorder).
  byId("card-number").addEventListener("input", function (e) {
    var el = e.target;
    var digits = el.value.replace(/\D/g, "").slice(0, 19);
    var grouped = digits.replace(/(\d{4})(?=\d)/g, "$1 ");
    if (grouped !== el.value) el.value = grouped;
  });

  byId("use-saved-card").addEventListener("click", function () {
    byId("order-confirmation").className = "message ok";
    byId("order-confirmation").textContent = "Using your saved Visa card.";
  });

  byId("checkout-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var out = byId("order-confirmation");
    var order = "TC-" + String(100000 + Math.floor(Math.random() * 900000));
    out.className = "message ok";
    out.textContent = "Thank you! Your order " + order + " is confirmed.";
    out.setAttribute("data-order", order);
    window.TapeCo.clearCart();
  });
})();
