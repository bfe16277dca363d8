"""The live DOM of a page, and a normalised form to compare it with a rebuilt one.

``capture(page)`` returns ``(timestamp, html)`` taken in one synchronous step in the page, with
form state written into attributes (a live input's value is a property, not an attribute).
``normalise(html, base_url)`` reduces a document to what both sides must agree on. Each rule:

- scripts and ``noscript`` dropped: the recorder never serializes script contents, by design;
- ``meta`` with ``charset`` or ``http-equiv`` dropped: html_at declares UTF-8 and its own CSP;
- ``<style>`` and ``<link rel=stylesheet>`` dropped: the recorder inlines stylesheets, so their
  form differs on purpose (CSS fidelity is the screenshot comparison's job);
- ``href``/``src``/``srcset`` URLs resolved against the page URL: the recorder makes them absolute;
- attributes the recorder adds for the replayer (``rr_*``, ``_cssText``) dropped;
- password and hidden inputs compared on their layout attributes only (``LAYOUT``): the recorder
  keeps nothing else of a private field, its value least of all (privacy);
- ``selected`` on options dropped, the select's value kept as its ``value`` attribute instead;
- text whitespace collapsed and whitespace-only text dropped: layout whitespace is not content.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

from playwright.sync_api import Page

CAPTURE_JS = """() => {
  const live = document.documentElement;
  const copy = live.cloneNode(true);
  const fields = live.querySelectorAll('input, textarea, select');
  const copies = copy.querySelectorAll('input, textarea, select');
  fields.forEach((field, i) => {
    const target = copies[i];
    if (field.type === 'checkbox' || field.type === 'radio') {
      if (field.checked) target.setAttribute('checked', ''); else target.removeAttribute('checked');
    } else if (field.tagName === 'TEXTAREA') {
      target.textContent = field.value;
    } else {
      target.setAttribute('value', field.value);
    }
  });
  return [Date.now(), '<!DOCTYPE html>' + copy.outerHTML];
}"""

DROPPED_ELEMENTS = {"script", "noscript", "style"}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
URL_ATTRIBUTES = {"href", "src"}


LAYOUT = frozenset(
    [
        "type",
        "id",
        "class",
        "name",
        "style",
        "size",
        "cols",
        "rows",
        "width",
        "height",
        "maxlength",
        "minlength",
        "multiple",
        "disabled",
        "readonly",
        "hidden",
        "dir",
        "data-st-mask",
        "data-st-ignore",
        "data-st-block",
    ]
)
"""All the recorder keeps of a private field: what the replay needs for layout."""


def capture(page: Page) -> tuple[int, str]:
    timestamp, html = page.evaluate(CAPTURE_JS)
    return int(timestamp), html


class _Normaliser(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.out: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if (
            self.skipping
            or tag in DROPPED_ELEMENTS
            or (tag == "link" and attributes.get("rel") == "stylesheet")
            or (tag == "meta" and ("charset" in attributes or "http-equiv" in attributes))
        ):
            if tag not in VOID:
                self.skipping.append(tag)
            return
        kept = {}
        private = tag == "input" and attributes.get("type") in ("password", "hidden")
        for name, value in attributes.items():
            if name.startswith(("rr_", "_")) or (tag == "option" and name == "selected"):
                continue
            if private and name not in LAYOUT:
                continue
            if name in URL_ATTRIBUTES and value:
                value = urljoin(self.base_url, value)
            if name == "srcset" and value:
                value = ", ".join(
                    " ".join([urljoin(self.base_url, c.split()[0]), *c.split()[1:]])
                    for c in value.split(",")
                    if c.strip()
                )
            kept[name] = "" if value is None else value
        rendered = " ".join(f'{k}="{v}"' for k, v in sorted(kept.items()))
        self.out.append(f"<{tag} {rendered}>" if rendered else f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if self.skipping[-1] == tag:
                self.skipping.pop()
            return
        if tag not in VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self.skipping:
            self.out.append(text)


def normalise(html: str, base_url: str) -> list[str]:
    parser = _Normaliser(base_url)
    parser.feed(html)
    parser.close()
    return parser.out
