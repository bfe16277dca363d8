/* Shared by every page: the cart counter in the nav. */
(function () {
  "use strict";
  var KEY = "tapeco_cart";

  function read() {
    try {
      var n = parseInt(window.localStorage.getItem(KEY) || "0", 10);
      return isNaN(n) ? 0 : n;
    } catch (e) {
      return 0;
    }
  }

  function write(n) {
    try { window.localStorage.setItem(KEY, String(n)); } catch (e) { /* storage off: count for this page only */ }
  }

  var count = read();

  function render() {
    var el = document.getElementById("cart-count");
    if (el) el.textContent = String(count);
  }

  window.TapeCo = {
    cartCount: function () { return count; },
    addToCart: function () { count += 1; write(count); render(); return count; },
    clearCart: function () { count = 0; write(count); render(); }
  };

  render();
})();
