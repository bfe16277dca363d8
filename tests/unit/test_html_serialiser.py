"""The html_at serialiser (sessiontape._html) without a browser: names, escaping per context,
what is dropped, and the shape of the output. tests/e2e/test_html_at_xss.py opens the output in
Chromium."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from sessiontape import Recording
from sessiontape._dom import DomMirror
from sessiontape._html import CHARSET_META, CSP_META, url_allowed
from tests.fixtures.xss_cases import PWN
from tests.fixtures.xss_corpus import corpus
from tests.fixtures.xss_events import T0, Tree, mutation, snapshot_events

PREAMBLE = "<!DOCTYPE html>" + CHARSET_META + CSP_META


def render(*body: Any, head: tuple[Any, ...] = (), tree: Tree | None = None) -> str:
    """html_at of a page whose body holds ``body`` (callables get the Tree)."""
    t = tree or Tree()
    nodes = [b(t) if callable(b) else b for b in body]
    document = t.document([h(t) if callable(h) else h for h in head], nodes)
    return Recording.from_raw("s", snapshot_events(document)).html_at(T0 + 1)


def body_of(html: str) -> str:
    return html.split("<body>", 1)[1].rsplit("</body>", 1)[0]


def el(tag: str, attrs: dict[str, Any] | None = None, *kids: str) -> Any:
    return lambda t: t.element(tag, attrs or {}, *(t.text(k) for k in kids))


def test_output_starts_with_doctype_charset_and_csp():
    html = render(el("p", {}, "hi"))
    assert html.startswith(PREAMBLE + '<html lang="en"><head></head><body>')
    assert "script-src 'none'" in CSP_META


def test_doctype_is_always_plain_html():
    t = Tree()
    document = t.document([], [], doctype='html><img src=x onerror="alert(1)"><x')
    html = Recording.from_raw("s", snapshot_events(document)).html_at(T0 + 1)
    assert html.startswith(PREAMBLE + "<html")
    assert "onerror" not in html


@pytest.mark.parametrize(
    ("tag", "written"),
    [
        ("DIV", "<div>x</div>"),
        ("my-card", "<my-card>x</my-card>"),
        ("linearGradient", "<lineargradient>x</lineargradient>"),
        ("img src=x onerror=alert(1)", ""),
        ("svg/onload=alert(1)", ""),
        ("b><img", ""),
        ("1abc", ""),
        ("", ""),
        ("script", ""),
        ("noscript", ""),
        ("object", ""),
        ("embed", ""),
        ("base", ""),
        ("frameset", ""),
        ("portal", ""),
        ("xmp", "<pre>x</pre>"),
        ("plaintext", "<pre>x</pre>"),
        ("iframe", "<iframe></iframe>"),
    ],
)
def test_tag_names_are_validated(tag: str, written: str):
    assert body_of(render(el(tag, {}, "x"))) == written


def test_dropped_elements_take_their_subtree():
    html = render(lambda t: t.element("object", {}, t.element("p", {}, t.text("inside"))))
    assert "inside" not in html


@pytest.mark.parametrize(
    "attrs",
    [
        {"http-equiv": "refresh", "content": "0;url=javascript:alert(1)"},
        {"charset": "iso-2022-jp"},
        {"HTTP-EQUIV": "Content-Security-Policy", "content": "script-src *"},
    ],
)
def test_meta_that_changes_how_the_page_loads_is_dropped(attrs: dict[str, str]):
    assert body_of(render(el("meta", attrs))) == ""


def test_harmless_meta_and_links_stay():
    html = render(
        el("meta", {"name": "description", "content": "A shop"}),
        el("link", {"rel": "icon", "href": "i.svg"}),
    )
    assert '<meta name="description" content="A shop">' in html
    assert '<link rel="icon" href="i.svg">' in html
    assert body_of(render(el("link", {"rel": "modulepreload", "href": "/app.js"}))) == ""


def test_iframe_keeps_no_address_and_no_content():
    written = body_of(
        render(el("iframe", {"src": "https://example.com", "srcdoc": "<b>", "title": "t"}, "text"))
    )
    assert written == '<iframe title="t"></iframe>'


@pytest.mark.parametrize(
    "name", ["onerror", "OnError", "ONLOAD", "oNfOcUs", "onbeforetoggle", "on"]
)
def test_event_handlers_are_dropped_in_any_case(name: str):
    assert body_of(render(el("img", {"src": "a.png", name: "alert(1)"}))) == '<img src="a.png">'


@pytest.mark.parametrize(
    "name",
    [
        "x onerror=alert(1) y",
        'src="x"',
        "a>b",
        "a/b",
        "a=b",
        "'",
        "-x",
        "",
        "a\tb",
        "_cssText",
        "rr_src",
        "srcdoc",
    ],
)
def test_attribute_names_are_validated(name: str):
    assert body_of(render(el("b", {name: "1"}, "x"))) == "<b>x</b>"


def test_attribute_names_are_lowercased_and_the_first_wins():
    assert body_of(render(el("b", {"Title": "first", "TITLE": "second", "data-X": "1"}, "x"))) == (
        '<b title="first" data-x="1">x</b>'
    )


def test_attribute_values_are_double_quoted_and_escaped():
    written = body_of(render(el("img", {"alt": "\" onerror='alert(1)' <b> & &#106;"})))
    assert written == '<img alt="&quot; onerror=&#x27;alert(1)&#x27; &lt;b&gt; &amp; &amp;#106;">'


def test_boolean_and_number_attributes():
    written = body_of(render(el("input", {"checked": True, "disabled": False, "maxlength": 5})))
    assert written == '<input checked maxlength="5">'


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.com/a?b=1&c=2", True),
        ("HTTP://EXAMPLE.COM", True),
        ("/relative/path", True),
        ("page.html", True),
        ("#fragment", True),
        ("//cdn.example.com/x", True),
        ("mailto:a@b.io", True),
        ("tel:+441234", True),
        ("", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("  javascript:alert(1)", False),
        ("\x01\x10javascript:alert(1)", False),
        ("java\tscr\nipt:alert(1)", False),
        ("javascript\r:alert(1)", False),
        ("vbscript:msgbox(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("data:image/png;base64,AAAA", False),
        ("blob:https://example.com/uuid", False),
        ("file:///etc/passwd", False),
        ("&#106;avascript:alert(1)", True),  # a literal value: a browser reads a relative URL
        ("java\x00script:alert(1)", True),  # NUL is no tab/newline: not a scheme to a browser
    ],
)
def test_url_schemes(url: str, allowed: bool):
    assert url_allowed(url, image=False) is allowed


def test_data_images_only_where_the_value_is_an_image():
    png = "data:image/png;base64,iVBORw0KGgo="
    assert url_allowed(png, image=True)
    assert url_allowed("data:image/svg+xml,<svg/>", image=True)
    assert not url_allowed("data:text/html,x", image=True)
    assert f'<img src="{png}">' in render(el("img", {"src": png}))
    assert body_of(render(el("a", {"href": png}, "x"))) == "<a>x</a>"


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("a", "href"),
        ("form", "action"),
        ("button", "formaction"),
        ("a", "xlink:href"),
        ("img", "src"),
        ("video", "poster"),
        ("table", "background"),
        ("blockquote", "cite"),
        ("a", "ping"),
    ],
)
def test_url_attributes_drop_script_urls(tag: str, name: str):
    written = body_of(render(el(tag, {name: " javascript:alert(1)"})))
    assert written in (f"<{tag}></{tag}>", f"<{tag}>")


def test_the_nul_inside_a_scheme_is_removed_before_the_check():
    written = body_of(render(el("a", {"href": "java\x00script:alert(1)"}, "x")))
    assert written == "<a>x</a>"


def test_srcset_is_checked_per_candidate():
    ok = "a.png 1x, https://example.com/b.png 2x"
    assert f'srcset="{ok}"' in render(el("img", {"srcset": ok}))
    assert "srcset" not in render(el("img", {"srcset": "a.png 1x, javascript:alert(1) 2x"}))


def test_any_attribute_holding_a_script_url_is_dropped():
    written = body_of(
        render(el("x-el", {"data-url": "javascript:alert(1)", "values": "0;javascript:alert(1)"}))
    )
    assert written == "<x-el></x-el>"


@pytest.mark.parametrize("target", ["href", "xlink:href", " HREF ", "src", "onclick"])
def test_svg_animations_of_links_or_handlers_are_dropped(target: str):
    html = render(
        lambda t: t.element(
            "svg", {}, t.element("animate", {"attributeName": target, "values": "x"})
        )
    )
    assert "animate" not in html


def test_svg_animations_of_presentation_attributes_stay():
    html = render(
        lambda t: t.element(
            "svg", {}, t.element("animate", {"attributeName": "opacity", "values": "0;1"})
        )
    )
    assert '<animate attributename="opacity" values="0;1"></animate>' in html


def test_text_is_escaped():
    assert body_of(render(el("p", {}, "<img src=x onerror=alert(1)> & done"))) == (
        "<p>&lt;img src=x onerror=alert(1)&gt; &amp; done</p>"
    )


def test_title_and_textarea_text_is_escaped_and_holds_no_elements():
    assert (
        body_of(render(el("title", {}, "</title><b>x</b>")))
        == "<title>&lt;/title&gt;&lt;b&gt;x&lt;/b&gt;</title>"
    )
    assert (
        body_of(render(el("textarea", {"value": "</textarea><b>"})))
        == "<textarea>&lt;/textarea&gt;&lt;b&gt;</textarea>"
    )
    inner = render(
        lambda t: t.element("title", {}, t.text("a"), t.element("img", {"src": "x"}), t.text("b"))
    )
    assert "<title>ab</title>" in inner


def test_style_text_cannot_end_its_element():
    for css in ("</style><img src=x onerror=alert(1)>", "</StYlE \t>", "a<b", "<!--</style>-->"):
        written = body_of(render(el("style", {}, css)))
        inner = written.removeprefix("<style>").removesuffix("</style>")
        assert "<" not in inner
        assert written.count("</style>") == 1
    assert body_of(render(el("style", {}, ".q::before { content: 'a<b' }"))) == (
        "<style>.q::before { content: 'a\\3C b' }</style>"
    )


def test_css_text_of_links_and_styles_is_written_as_style():
    html = render(el("link", {"rel": "stylesheet", "_cssText": "p { color: red } </style>"}))
    assert "<style>p { color: red } \\3C /style></style>" in html
    html = render(el("style", {"_cssText": "b { x: y }"}, "ignored"))
    assert "<style>b { x: y }</style>" in html


@pytest.mark.parametrize(
    "css",
    [
        "width: expression(alert(1))",
        "-moz-binding: url(x)",
        "behavior: url(x.htc)",
        "background: url(JavaScript:alert(1))",
    ],
)
def test_scripted_css_is_defused(css: str):
    html = render(el("div", {"style": css}), el("style", {}, css))
    for word in ("expression(", "-moz-binding", "behavior:", "javascript:"):
        assert word not in html.lower().replace(" ", "")


@pytest.mark.parametrize(
    "text", ["--><img src=x onerror=alert(1)>", "--!><b>", "><b>", "-><b>", "<!--", "a--", "x<!-"]
)
def test_comments_cannot_end_early(text: str):
    written = body_of(render(lambda t: t.comment(text)))
    assert written.startswith("<!--")
    assert written.endswith("-->")
    assert "<" not in written[4:-3]
    assert ">" not in written[4:-3]


def test_controls_and_lone_surrogates_are_removed():
    html = render(el("p", {"title": '\x1b$B" x'}, "a\x1b(Bb\x00c\ud800d"))
    assert "\x1b" not in html
    assert "\x00" not in html
    assert '<p title="$B&quot; x">a(Bbc\ufffdd</p>' in html
    html.encode("utf-8")


def test_a_node_shared_by_many_parents_is_written_once():
    """Crafted ids can make a 30-level tree list one child twice per level: 2**30 paths."""
    t = Tree()
    inner: dict[str, Any] = t.element("b", {}, t.text("leaf"))
    for level in range(30):
        decoy = {
            "type": 2,
            "id": 10_000 + level,
            "tagName": "i",
            "attributes": {},
            "childNodes": [],
        }
        real = {**decoy, "childNodes": [inner]}
        inner = t.element("span", {}, decoy, real)
    html = DomMirror(t.document([], [inner])).to_html()
    assert len(html) < 10_000


def test_deep_trees_serialise_without_recursion():
    t = Tree()
    node = t.element("b", {}, t.text("deep"))
    for _ in range(5_000):
        node = t.element("div", {}, node)
    html = DomMirror(t.document([], [node])).to_html()
    assert html.count("<div>") == 5_000
    assert "deep" in html


def test_a_parent_chain_made_to_loop_ends():
    """Node 2 under node 1 under a second node with id 2: parents point at each other."""
    t = Tree()
    loop = {
        "type": 2,
        "id": 2,
        "tagName": "a",
        "attributes": {},
        "childNodes": [
            {
                "type": 2,
                "id": 3,
                "tagName": "b",
                "attributes": {},
                "childNodes": [
                    {"type": 2, "id": 2, "tagName": "i", "attributes": {}, "childNodes": []}
                ],
            }
        ],
    }
    events = snapshot_events(t.document([], [loop]))
    events.append(
        {"type": 3, "timestamp": T0 + 5, "data": {"source": 2, "type": 2, "id": 3, "x": 1, "y": 1}}
    )
    (click,) = Recording.from_raw("s", events).clicks()
    assert click.target


def test_a_mutation_adding_a_node_under_itself_is_ignored():
    t = Tree()
    parent = t.element("div", {}, t.element("p", {}, t.text("x")))
    events = snapshot_events(t.document([], [parent]))
    child_id = parent["childNodes"][0]["id"]
    again = {"type": 2, "id": parent["id"], "tagName": "div", "attributes": {}, "childNodes": []}
    events.append(mutation(10, adds=[(child_id, again)]))
    assert "<p>" not in Recording.from_raw("s", events).html_at(T0 + 10)


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "object", "embed", "base", "noscript", "frame"):
            self.problems.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "srcdoc" or "javascript:" in (value or "").lower():
                self.problems.append(f"{tag} {name}={value}")


def test_no_corpus_output_carries_script_to_a_tokenizer():
    """A browserless net under the Chromium test: tokenized, no output of the corpus holds a
    handler, a script element or a script URL."""
    for case in corpus():
        events = [dict(e) for e in case.events]
        html = Recording.from_raw("s", events).html_at(max(e["timestamp"] for e in events))
        tokens = _Tokens()
        tokens.feed(html.replace(PWN, "alert(1)"))
        assert tokens.problems == [], case.name
