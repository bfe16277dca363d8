"""DomNode tree -> HTML that runs no script, whatever the tree holds.

Every name, value and text in a recording comes from the page or from whoever holds the public
write key, so the serialiser trusts none of it. It is built on one invariant: **every ``<`` and
every quote in the output is written by this module** (as part of a validated tag, a comment or
the doctype); recorded text and values never contribute one. So the browser's tokenizer sees
exactly the tags and attributes written here, whatever parsing context (HTML, SVG, MathML, raw
text) it is in, and the rules below decide what those tags and attributes may be.

Names
  - Tag names must match ``[A-Za-z][A-Za-z0-9._-]*`` (HTML, SVG, MathML and custom elements), and
    are written lowercased; any other element is dropped with its subtree.
  - Attribute names must match ``[A-Za-z_:][A-Za-z0-9_:.-]*``, are lowercased, and the first of
    a repeated name wins. Dropped: every name starting with ``on`` (event handlers, in any case),
    the replayer's own ``_*``/``rr_*``, ``srcdoc``, ``http-equiv`` and ``xml:base``.

Elements dropped with their subtree
  ``script``, ``noscript``, ``object``, ``embed``, ``applet``, ``param``, ``frame``,
  ``frameset``, ``portal``, ``fencedframe``, ``base``, ``noembed``, ``noframes``; ``meta`` with
  ``http-equiv`` or ``charset`` (this module declares the charset itself); ``link`` that preloads
  or imports; SVG animations (``animate``, ``set``, ...) whose ``attributeName`` targets a URL or
  an event handler. An ``iframe`` stays as an empty frame: no ``src``, no ``srcdoc``, no content.
  ``xmp`` and ``plaintext`` are written as ``pre`` (their raw-text parsing would swallow markup).

URLs
  ``href``, ``src``, ``action``, ``formaction``, ``xlink:href``, ``poster``, ``background``,
  ``cite``, ``data``, ``ping``, ``srcset``, ... are read as a browser's URL parser reads them
  (leading and trailing controls and spaces stripped, tabs and newlines removed) and kept only if
  relative or of scheme http, https, mailto or tel; ``data:image/...`` is also kept where the
  value is an image (``img src``/``srcset``, ``source srcset``, ``input src``, ``video poster``,
  SVG ``image href``), where an SVG image cannot run script. Any other attribute whose value holds
  a ``javascript:`` or ``vbscript:`` URL anywhere (spaces and controls ignored) is dropped too.

Text, per context
  - Text and attribute values lose C0 control characters other than whitespace (an ESC could
    switch a mis-detected ISO-2022-JP decoder and eat a quote) and lone surrogates.
  - Normal text, and ``title``/``textarea`` text (escapable raw text): ``& < >`` escaped.
    Elements inside ``title``, ``textarea`` and ``style`` are not written (a parser never makes
    them there).
  - Attribute values: always double-quoted, ``& < > " '`` escaped.
  - ``style`` text and ``_cssText``: CSS cannot run script in a current browser, but as raw text
    it must not end its element: every ``<`` is written as the CSS escape ``\\3C `` (same meaning
    to CSS, no ``</style`` possible). ``expression(``, ``-moz-binding``, ``behavior:`` and
    ``javascript:``/``vbscript:`` are defused in CSS and in ``style`` attributes as well.
  - Comments: ``<`` and ``>`` are written as ``&lt;``/``&gt;`` (comments decode no references, so
    no ``-->``, ``--!>`` or ``<!--`` can form).
  - Doctype: ``<!DOCTYPE html>`` when the document had one; the recorded name and ids are dropped.

Defence in depth: the output starts with ``<meta charset="utf-8">`` and a Content-Security-Policy
meta (``script-src 'none'``, no plugins, frames, base URL or form targets), so nothing precedes
them. The rules above hold without it. Each node is written once (a crafted tree that lists one
node under several parents cannot multiply the output) and the walk is iterative (no recursion
limit on deep trees).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sessiontape._dom import DomNode

CSP = "script-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'"
CHARSET_META = '<meta charset="utf-8">'
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'

TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")
ATTRIBUTE_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_:.-]*")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
URL_STRIPPED = "".join(chr(c) for c in range(0x21))  # C0 controls and space
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]|[\ud800-\udfff]")
SCRIPT_URL = re.compile(r"(?:java|vb)script:", re.IGNORECASE)
CSS_DANGER = re.compile(
    r"expression\s*\(|-moz-binding|behavior\s*:|(?:java|vb)script\s*:", re.IGNORECASE
)

VOID = frozenset(
    [
        "area",
        "br",
        "col",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
        "basefont",
        "bgsound",
        "image",
    ]
)
DROPPED_ELEMENTS = frozenset(
    [
        "script",
        "noscript",
        "object",
        "embed",
        "applet",
        "param",
        "frame",
        "frameset",
        "portal",
        "fencedframe",
        "base",
        "noembed",
        "noframes",
    ]
)
RENAMED = {"xmp": "pre", "plaintext": "pre"}
TEXT_ONLY = frozenset({"title", "textarea"})
ANIMATIONS = frozenset({"animate", "set", "animatemotion", "animatetransform", "animatecolor"})
ACTIVE_LINK_RELS = frozenset({"import", "preload", "modulepreload", "prefetch", "prerender"})

DROPPED_ATTRIBUTES = frozenset({"srcdoc", "http-equiv", "xml:base"})
URL_ATTRIBUTES = frozenset(
    [
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "background",
        "cite",
        "data",
        "codebase",
        "classid",
        "dynsrc",
        "lowsrc",
        "longdesc",
        "usemap",
        "manifest",
        "icon",
        "profile",
        "archive",
        "ping",
    ]
)
URL_LIST_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_VALUES = frozenset(
    {("img", "src"), ("img", "srcset"), ("source", "srcset"), ("input", "src")}
    | {("video", "poster"), ("image", "href"), ("image", "xlink:href")}
)


def serialise(nodes: Mapping[int, DomNode], root_id: int) -> str:
    out: list[str] = []
    root = nodes.get(root_id)
    if root is not None and root.kind == 0 and any(_is_doctype(nodes, c) for c in root.children):
        out.append("<!DOCTYPE html>")
    out.append(CHARSET_META + CSP_META)
    written: set[int] = set()
    stack: list[int | str] = [root_id]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node = nodes.get(item)
        if node is None or item in written:
            continue
        written.add(item)
        if node.kind == 0:
            stack.extend(reversed(node.children))
        elif node.kind == 3:
            out.append(escape_text(node.text))
        elif node.kind == 5:
            out.append(f"<!--{comment_text(node.text)}-->")
        elif node.kind == 2:
            _element(node, nodes, out, stack)
    return "".join(out)


def _element(
    node: DomNode, nodes: Mapping[int, DomNode], out: list[str], stack: list[int | str]
) -> None:
    tag = element_name(node)
    if tag is None:
        return
    if tag == "link" and isinstance(node.attributes.get("_cssText"), str):
        out.append(f"<style>{css_text(str(node.attributes['_cssText']))}</style>")
        return
    out.append(f"<{tag}{attributes(tag, node.attributes)}>")
    if tag in VOID:
        return
    if tag == "style":
        css = node.attributes.get("_cssText")
        out.append(css_text(css if isinstance(css, str) else _child_text(node, nodes)))
    elif tag == "textarea" and "value" in node.attributes:
        out.append(escape_text(str(node.attributes["value"] or "")))
    elif tag in TEXT_ONLY or node.tag.lower() in RENAMED:
        out.append(escape_text(_child_text(node, nodes)))
    elif tag != "iframe":
        stack.append(f"</{tag}>")
        stack.extend(reversed(node.children))
        return
    out.append(f"</{tag}>")


def _is_doctype(nodes: Mapping[int, DomNode], node_id: int) -> bool:
    node = nodes.get(node_id)
    return node is not None and node.kind == 1


def _child_text(node: DomNode, nodes: Mapping[int, DomNode]) -> str:
    return "".join(nodes[c].text for c in node.children if c in nodes and nodes[c].kind == 3)


def element_name(node: DomNode) -> str | None:
    """The tag to write for ``node``, or None when the element and its subtree are dropped."""
    if not TAG_NAME.fullmatch(node.tag):
        return None
    tag = node.tag.lower()
    if tag in DROPPED_ELEMENTS:
        return None
    attrs = {k.lower(): v for k, v in node.attributes.items()}
    if tag == "meta" and ("http-equiv" in attrs or "charset" in attrs):
        return None
    if tag == "link" and ACTIVE_LINK_RELS & set(str(attrs.get("rel") or "").lower().split()):
        return None
    if tag in ANIMATIONS:
        target = re.sub(r"\s", "", str(attrs.get("attributename") or "")).lower()
        local = target.rsplit(":", 1)[-1]
        if local in URL_ATTRIBUTES or local.startswith("on") or target in URL_ATTRIBUTES:
            return None
    return RENAMED.get(tag, tag)


def attributes(tag: str, values: Mapping[str, object]) -> str:
    parts: list[str] = []
    seen: set[str] = set()
    for raw_name, value in values.items():
        if not ATTRIBUTE_NAME.fullmatch(raw_name):
            continue
        name = raw_name.lower()
        if name in seen or value is None or value is False:
            continue
        seen.add(name)
        if name.startswith(("on", "_", "rr_")) or name in DROPPED_ATTRIBUTES:
            continue
        if (tag, name) in (("iframe", "src"), ("textarea", "value")):
            continue  # a textarea's value is written as its text
        if value is True:
            parts.append(f" {name}")
            continue
        text = clean(str(value))
        if name == "style":
            text = defuse_css(text)
        elif not attribute_value_allowed(tag, name, text):
            continue
        parts.append(f' {name}="{html.escape(text)}"')
    return "".join(parts)


def attribute_value_allowed(tag: str, name: str, value: str) -> bool:
    if SCRIPT_URL.search(re.sub(r"[\x00-\x20]", "", value)):
        return False
    image = (tag, name) in IMAGE_VALUES
    if name in URL_LIST_ATTRIBUTES:
        candidates = [c.split()[0] for c in value.split(",") if c.split()]
        return all(url_allowed(c, image) for c in candidates)
    if name == "ping":
        return all(url_allowed(u, False) for u in value.split())
    return name not in URL_ATTRIBUTES or url_allowed(value, image)


def url_allowed(value: str, image: bool) -> bool:
    """Whether a browser would resolve ``value`` to a relative or safe-scheme URL."""
    url = re.sub(r"[\t\n\r]", "", value.strip(URL_STRIPPED))
    scheme = SCHEME.match(url)
    if scheme is None:
        return True
    name = scheme[1].lower()
    if name == "data":
        return image and url[5:].lstrip().lower().startswith("image/")
    return name in SAFE_SCHEMES


def clean(text: str) -> str:
    return CONTROLS.sub(lambda m: "" if m[0] < "\ud800" else "\ufffd", text)


def escape_text(text: str) -> str:
    return html.escape(clean(text), quote=False)


def comment_text(text: str) -> str:
    return clean(text).replace("<", "&lt;").replace(">", "&gt;")


def defuse_css(css: str) -> str:
    return CSS_DANGER.sub("invalid-", css)


def css_text(css: str) -> str:
    """CSS written as raw text: no ``<`` (so no ``</style``), same meaning to the CSS parser."""
    return defuse_css(clean(css)).replace("<", "\\3C ")
