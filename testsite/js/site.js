/* Shared by every page: the cart (how many items, what they cost) and its counter in the nav. */
(function () {
  "use strict";
  var KEY = "tapeco_cart";
  var TOTAL_KEY = "tapeco_cart_cents";

  function read(key) {
    try {
      var n = parseInt(window.localStorage.getItem(key) || "0", 10);
      return isNaN(n) ? 0 : n;
    } catch (e) {
      return 0;
    }
  }

  function write(key, n) {
    try { window.localStorage.setItem(key, String(n)); } catch (e) { /* storage off: this page only */ }
  }

  var count = read(KEY);
  var cents = read(TOTAL_KEY);

  function render() {
    var el = document.getElementById("cart-count");
    if (el) el.textContent = String(count);
  }

  window.TapeCo = {
    cartCount: function () { return count; },
    cartTotal: function () { return cents / 100; },
    addToCart: function (price) {
      count += 1;
      cents += Math.round(price * 100);
      write(KEY, count);
      write(TOTAL_KEY, cents);
      render();
      return count;
    },
    clearCart: function () { count = 0; cents = 0; write(KEY, 0); write(TOTAL_KEY, 0); render(); }
  };

  render();
})();
