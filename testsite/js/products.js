(function () {
  "use strict";
  var PRODUCTS = [
    { id: "c90-classic", name: "C90 Classic Cassette", price: 3.5, image: "cassette", text: "Ninety minutes of ferric warmth in a screw-assembled shell." },
    { id: "c60-chrome", name: "C60 Chrome Cassette", price: 4.9, image: "cassette", text: "Type II chrome tape for crisp highs and low hiss." },
    { id: "mixtape-pack", name: "Mixtape Five-Pack", price: 14, image: "cassette", text: "Five blank tapes and five handwritten-style covers." },
    { id: "studio-reel", name: "Studio Reel 10 inch", price: 39, image: "reel", text: "Quarter-inch studio tape on a metal NAB reel." },
    { id: "home-reel", name: "Home Reel 7 inch", price: 22, image: "reel", text: "Long-play tape for home reel-to-reel decks." },
    { id: "vhs-e180", name: "VHS E-180", price: 6.5, image: "vhs", text: "Three hours of standard-play video, rewound for you." },
    { id: "vhs-cleaner", name: "VHS Head Cleaner", price: 8, image: "vhs", text: "Keeps your video heads bright and your picture sharp." },
    { id: "walk-phones", name: "Walk Headphones", price: 29, image: "headphones", text: "Light foam-pad headphones in the classic style." },
    { id: "studio-phones", name: "Studio Monitor Headphones", price: 89, image: "headphones", text: "Closed-back headphones for honest mixing." },
    { id: "vinyl-sampler", name: "Vinyl Sampler LP", price: 19, image: "vinyl", text: "A twelve-inch sampler of our favourite small labels." },
    { id: "tape-mic", name: "Dictation Microphone", price: 24, image: "microphone", text: "Plugs into any deck with a mic input." },
    { id: "podcast-mic", name: "Podcast Microphone", price: 64, image: "microphone", text: "A dynamic microphone that forgives noisy rooms." }
  ];

  var list = document.getElementById("product-list");
  var search = document.getElementById("product-search");
  var countEl = document.getElementById("product-count");
  var noResults = document.getElementById("no-results");
  var modal = document.getElementById("product-modal");
  var current = null;
  var lastFocus = null;

  function money(n) { return "\u20ac" + n.toFixed(2); }
  function src(p) { return "img/products/" + p.image + ".svg"; }
  function srcset(p) { return "img/products/" + p.image + ".svg 160w, img/products/" + p.image + "-large.svg 320w"; }
  function byId(id) {
    for (var i = 0; i < PRODUCTS.length; i++) if (PRODUCTS[i].id === id) return PRODUCTS[i];
    return null;
  }

  function card(p) {
    var el = document.createElement("article");
    el.className = "product";
    el.id = "product-" + p.id;
    el.setAttribute("data-testid", "product-" + p.id);
    el.setAttribute("data-product-id", p.id);

    var img = document.createElement("img");
    img.src = src(p);
    img.srcset = srcset(p);
    img.sizes = "(max-width: 720px) 90vw, 240px";
    img.alt = p.name;
    img.width = 160;
    img.height = 120;

    var name = document.createElement("button");
    name.type = "button";
    name.className = "name";
    name.id = "product-name-" + p.id;
    name.setAttribute("data-testid", "product-name-" + p.id);
    name.setAttribute("data-action", "details");
    name.textContent = p.name;

    var price = document.createElement("span");
    price.className = "price";
    price.setAttribute("data-testid", "product-price-" + p.id);
    price.textContent = money(p.price);

    var add = document.createElement("button");
    add.type = "button";
    add.className = "add";
    add.id = "add-" + p.id;
    add.setAttribute("data-testid", "add-to-cart-" + p.id);
    add.setAttribute("data-action", "add");
    add.textContent = "Add to cart";

    el.appendChild(img);
    el.appendChild(name);
    el.appendChild(price);
    el.appendChild(add);
    return el;
  }

  function render() {
    var q = search.value.trim().toLowerCase();
    var shown = PRODUCTS.filter(function (p) {
      return !q || p.name.toLowerCase().indexOf(q) !== -1 || p.text.toLowerCase().indexOf(q) !== -1;
    });
    while (list.firstChild) list.removeChild(list.firstChild);
    shown.forEach(function (p) { list.appendChild(card(p)); });
    noResults.hidden = shown.length !== 0;
    countEl.textContent = shown.length + (shown.length === 1 ? " product" : " products");
  }

  function flash(button) {
    button.textContent = "Added \u2713";
    clearTimeout(button._flash);
    button._flash = setTimeout(function () { button.textContent = "Add to cart"; }, 800);
  }

  function openModal(p) {
    current = p;
    lastFocus = document.activeElement;
    document.getElementById("product-modal-title").textContent = p.name;
    var img = document.getElementById("product-modal-image");
    img.src = "img/products/" + p.image + "-large.svg";
    img.srcset = srcset(p);
    img.sizes = "320px";
    img.alt = p.name;
    document.getElementById("product-modal-description").textContent = p.text;
    document.getElementById("product-modal-price").textContent = money(p.price);
    modal.hidden = false;
    document.getElementById("product-modal-close").focus();
  }

  function closeModal() {
    if (modal.hidden) return;
    modal.hidden = true;
    current = null;
    if (lastFocus && lastFocus.focus && document.contains(lastFocus)) lastFocus.focus();
  }

  list.addEventListener("click", function (e) {
    var button = e.target.closest("button[data-action]");
    if (!button) return;
    var p = byId(button.closest("[data-product-id]").getAttribute("data-product-id"));
    if (!p) return;
    if (button.getAttribute("data-action") === "add") {
      window.TapeCo.addToCart(p.price);
      flash(button);
    } else {
      openModal(p);
    }
  });

  search.addEventListener("input", render);
  document.getElementById("product-modal-close").addEventListener("click", closeModal);
  document.getElementById("product-modal-add").addEventListener("click", function () {
    if (current) window.TapeCo.addToCart(current.price);
    closeModal();
  });
  modal.addEventListener("click", function (e) { if (e.target === modal) closeModal(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") closeModal(); });

  render();
})();
