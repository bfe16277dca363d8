"""Deterministic benchmark pages: a generated page of about N elements, and a small shop page.

The generated page mixes what real pages hold: nested divs, tables, lists, links, images, inputs
of every type, inline styles, a <style> sheet and a linked sheet. The same N always gives the
same bytes, so runs and machines compare.
"""

from __future__ import annotations

from html import escape

INPUT_TYPES = (
    "text",
    "email",
    "number",
    "tel",
    "url",
    "search",
    "password",
    "date",
    "time",
    "datetime-local",
    "month",
    "week",
    "color",
    "range",
    "checkbox",
    "radio",
    "file",
    "hidden",
    "submit",
    "reset",
    "button",
    "image",
)
WORDS = (
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
    "quebec",
    "romeo",
    "sierra",
    "tango",
    "uniform",
    "victor",
    "whiskey",
    "xray",
    "yankee",
    "zulu",
)

STYLESHEET = (
    "\n".join(
        f".b{i} {{ margin: {i}px; color: #{i * 111111 % 0xFFFFFF:06x}; }}"
        f" .b{i} h2 {{ font-size: {14 + i}px; }}"
        for i in range(7)
    )
    + """
table.grid { border-collapse: collapse; }
table.grid td, table.grid th { border: 1px solid #ccc; padding: 2px 4px; }
ul.list { list-style: square; }
.price { font-weight: bold; background: url(/img/0.png) no-repeat; }
.f label { display: inline-block; min-width: 6em; }
"""
)

LINKED_CSS = "\n".join(f".n{i} {{ padding-left: {i}px; }}" for i in range(1, 5)) + (
    "\n.li a:hover { text-decoration: underline; }\n"
)

# The smallest valid PNG (1x1, transparent): every <img> of the pages points at one of a few.
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class _Builder:
    """Appends markup and counts the elements it opens."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.elements = 0

    def open(self, tag: str, attrs: str = "") -> None:
        self.elements += 1
        self.parts.append(f"<{tag}{' ' + attrs if attrs else ''}>")

    def void(self, tag: str, attrs: str = "") -> None:
        self.open(tag, attrs)

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def leaf(self, tag: str, text: str, attrs: str = "") -> None:
        self.open(tag, attrs)
        self.parts.append(escape(text))
        self.close(tag)

    def text(self, text: str) -> None:
        self.parts.append(escape(text))


def _words(i: int, n: int) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n))


def _block(b: _Builder, i: int) -> None:
    """One section of about 100 elements."""
    b.open("section", f'class="blk b{i % 7}" id="s{i}" style="padding:4px;border:1px solid #ddd"')
    b.leaf("h2", f"Section {i}: {_words(i, 3)}", 'class="t"')
    for depth in range(1, 5):
        b.open("div", f'class="n{depth}"')
    b.open("p", f'style="color:#{i * 4099 % 0xFFFFFF:06x};line-height:1.4"')
    b.text(_words(i, 12) + " ")
    b.leaf("b", _words(i + 1, 2))
    b.text(" ")
    b.leaf("a", "read more", f'href="/item/{i}" title="{_words(i, 2)}"')
    b.close("p")
    for _ in range(4):
        b.close("div")
    b.open("ul", 'class="list"')
    for j in range(8):
        b.open("li", 'class="li"')
        b.leaf("a", f"Item {i}.{j} {_words(i + j, 2)}", f'href="/p/{i}/{j}" title="item {j}"')
        b.text(" ")
        b.leaf("span", f"${(i * 31 + j * 7) % 200}.{j}9", 'class="price"')
        b.close("li")
    b.close("ul")
    b.open("table", 'class="grid"')
    b.open("thead")
    b.open("tr")
    for c in range(4):
        b.leaf("th", f"Col {c}")
    b.close("tr")
    b.close("thead")
    b.open("tbody")
    for r in range(4):
        b.open("tr", 'style="background:#fafafa"' if r % 2 else "")
        for c in range(4):
            b.leaf("td", f"{i}:{r}:{c} {WORDS[(i + r + c) % len(WORDS)]}")
        b.close("tr")
    b.close("tbody")
    b.close("table")
    b.void("img", f'src="/img/{i % 8}.png" alt="picture {i}" width="40" height="40"')
    # A real <form> in every tenth block only: Chromium's form parsing when the document finishes
    # loading grows faster than linearly with the count of forms and labels (17 s at 100k).
    box = "form" if i % 10 == 0 else "fieldset"
    b.open(box, f'class="f" action="/submit/{i}" method="post"' if box == "form" else 'class="f"')
    for k in range(6):
        kind = INPUT_TYPES[(i * 6 + k) % len(INPUT_TYPES)]
        name = f"f{i}_{k}"
        b.leaf("label", kind, f'for="{name}"')
        value = "" if kind in ("file", "image") else f' value="{_words(i + k, 1)}"'
        extra = ' src="/img/1.png" alt="go"' if kind == "image" else ""
        if kind in ("checkbox", "radio") and k % 2:
            extra += " checked"
        b.void("input", f'type="{kind}" id="{name}" name="{name}"{value}{extra}')
    b.leaf("textarea", _words(i, 6), f'name="t{i}" rows="2"')
    b.open("select", f'name="s{i}"')
    for o in range(3):
        b.leaf("option", f"Option {o}", f'value="{o}"' + (" selected" if o == i % 3 else ""))
    b.close("select")
    b.leaf("button", "Send", 'type="button" class="btn"')
    b.close(box)
    b.close("section")


def generate(elements: int) -> tuple[str, int]:
    """A page of about `elements` elements; returns (html, exact element count)."""
    b = _Builder()
    b.parts.append("<!DOCTYPE html>")
    b.open("html", 'lang="en"')
    b.open("head")
    b.void("meta", 'charset="utf-8"')
    b.leaf("title", f"Benchmark page, {elements} elements")
    b.open("style")
    b.parts.append(STYLESHEET)
    b.close("style")
    b.void("link", 'rel="stylesheet" href="/bench.css"')
    b.close("head")
    b.open("body")
    i = 0
    while b.elements < elements - 100:
        b.open("div", f'class="group g{i // 10}"')
        b.open("div", 'class="inner"')
        for _ in range(10):
            if b.elements >= elements - 100:
                break
            _block(b, i)
            i += 1
        b.close("div")
        b.close("div")
    b.close("body")
    b.close("html")
    return "".join(b.parts), b.elements


def shop_page() -> str:
    """A demo-shop-like page for the scripted session: header, products, a long article and a
    form with plain (non-private) fields, tall enough to scroll."""
    products = "\n".join(
        f'<div class="card" style="display:inline-block;width:180px;margin:6px;'
        f'vertical-align:top"><img src="/img/{k % 8}.png" width="160" height="90" alt="">'
        f'<h3>Product {k}</h3><p class="price">${10 + k * 3}.99</p>'
        f'<button class="add" data-k="{k}" style="width:150px;height:30px">Add to cart</button>'
        f"</div>"
        for k in range(24)
    )
    article = "\n".join(f"<p>{escape(_words(k, 40))}</p>" for k in range(60))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>{STYLESHEET}</style><link rel="stylesheet" href="/bench.css"></head>
<body style="margin:0;font-family:sans-serif">
<header style="position:sticky;top:0;background:#222;color:#fff;padding:8px">
  <a href="/" style="color:#fff">Shop</a> <span id="cart">Cart: 0</span></header>
<main style="padding:8px">
<form id="contact" onsubmit="return false">
  <label>Name <input id="name" name="name" type="text" autocomplete="name"></label>
  <label>Email <input id="email" name="email" type="email"></label>
  <label>Message <textarea id="message" name="message" rows="3" cols="40"></textarea></label>
</form>
<section id="products">{products}</section>
<article>{article}</article>
</main>
<script>
document.addEventListener('click', (e) => {{
  const b = e.target.closest && e.target.closest('button.add');
  if (!b) return;
  const cart = document.getElementById('cart');
  cart.textContent = 'Cart: ' + (parseInt(cart.textContent.slice(6), 10) + 1);
  b.textContent = 'Added';
}});
</script>
</body></html>"""
