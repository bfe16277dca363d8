"""The channels besides the page's content keep secrets too: named keys, pointer positions and
clicks, and page addresses. Checked on the bytes that left Chromium (see test_privacy.py), each
test also checking that the ordinary content next to the secret does arrive.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Route

from sessiontape import Client
from tests.conftest import Collector
from tests.e2e.collector_tap import Tap
from tests.e2e.privacy_checks import assert_never_sent, secret, sent_events, serialized_nodes

CHANNELS = "/demo/privacy-lab/channels.html"
MOUSE_MOVE, MOUSE_INTERACTION, INPUT = 1, 2, 5


def open_lab(page: Page, tap: Tap, path: str) -> None:
    page.goto(tap.url(path))
    page.wait_for_function("window.sessiontape.recorder && window.sessiontape.recorder.sessionId")


def flush(page: Page) -> None:
    page.evaluate("window.sessiontape.recorder.flush()")


def node_id(tap: Tap, element_id: str) -> int:
    """The recorded id of the element with this HTML id (in a snapshot or a mutation)."""
    for n in serialized_nodes(sent_events(tap)):
        if n.get("attributes", {}).get("id") == element_id:
            return int(n["id"])
    raise AssertionError(f"#{element_id} was not recorded")


def keys_sent(tap: Tap) -> list[dict[str, Any]]:
    return [
        e["data"]["payload"]
        for e in sent_events(tap)
        if e["type"] == 5 and e["data"]["tag"] == "key"
    ]


def incremental(tap: Tap, source: int) -> list[dict[str, Any]]:
    return [e["data"] for e in sent_events(tap) if e["type"] == 3 and e["data"]["source"] == source]


def type_into_closed_field(page: Page, which: str, text: str) -> None:
    """Focuses a field inside a closed shadow root (only the page's script can reach it), types."""
    page.evaluate(f"window.closedFields.{which}.focus()")
    page.keyboard.type(text, delay=2)
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")


def test_keys_typed_in_closed_shadow_roots_are_not_recorded(page: Page, tap: Tap):
    late, early = secret(), secret()
    open_lab(page, tap, CHANNELS)
    type_into_closed_field(page, "late", late)  # attached after the recorder loaded
    type_into_closed_field(page, "early", early)  # attached before it loaded
    assert page.evaluate("window.closedFields.late.value") == late[:-1]
    page.locator("#plain").press_sequentially("plain text", delay=2)
    page.locator("#plain").press("Backspace")
    page.locator("#plain").press("Enter")
    flush(page)

    keys = keys_sent(tap)
    plain = node_id(tap, "plain")
    assert {"key": "Backspace", "id": plain} in keys
    assert {"key": "Enter", "id": plain} in keys
    hosts = {node_id(tap, "closed-host"), node_id(tap, "early-closed-host")}
    assert [k for k in keys if k["id"] in hosts] == []
    assert [k for k in keys if k["id"] != plain] == []  # nothing on an ancestor either
    assert_never_sent(tap, late, early)


def test_keys_in_open_shadow_roots_and_editable_regions(page: Page, tap: Tap):
    password = secret()
    open_lab(page, tap, CHANNELS)
    page.locator("#open-name").press_sequentially("open name", delay=2)
    page.locator("#open-name").press("Enter")
    page.locator("#open-pw").press_sequentially(password, delay=2)
    page.locator("#open-pw").press("Backspace")
    page.locator("#open-pw").press("Enter")
    page.locator("#ignored-editable").press("End")
    page.locator("#ignored-editable").press("Backspace")
    page.locator("#ignored-editable").press("Enter")
    page.locator("#editable").press("End")
    page.locator("#editable").press("Backspace")
    flush(page)

    sent = tap.ingested_text()
    assert "open name" in sent
    keys = keys_sent(tap)
    assert {"key": "Enter", "id": node_id(tap, "open-name")} in keys  # an open root is seen
    assert {"key": "Backspace", "id": node_id(tap, "editable")} in keys
    assert len(keys) == 2  # none from the password field, none from the ignored region
    assert_never_sent(tap, password)


def box_of(page: Page, selector: str) -> tuple[float, float, float, float]:
    box = page.locator(selector).bounding_box()
    assert box
    return box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]


def inside(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    left, top, right, bottom = box
    return left <= x <= right and top <= y <= bottom


def pin_pad_session(page: Page, pin: str) -> tuple[float, float, float, float]:
    """Moves over the blocked pad, types a PIN on it, signs in it; then moves and clicks outside."""
    pad = box_of(page, "#pin-pad")
    page.mouse.move(pad[0] - 40, pad[1] - 40)
    for digit in pin:
        page.click(f"#pin-{digit}")
    signature = box_of(page, "#signature")
    page.mouse.move(signature[0] + 10, signature[1] + 10)
    page.mouse.down()
    page.mouse.move(signature[2] - 10, signature[3] - 10, steps=8)
    page.mouse.up()
    page.locator("#pin-display").focus()
    page.click("#outside")
    page.mouse.move(pad[2] + 80, pad[3] + 20, steps=4)
    page.wait_for_timeout(700)  # positions are sent in batches, at least every 500 ms
    return pad


TALL = {"width": 1000, "height": 1600}  # the whole page in view: no scrolling moves the pad


def test_no_position_or_click_inside_a_blocked_pin_pad(page: Page, tap: Tap):
    page.set_viewport_size(TALL)
    open_lab(page, tap, CHANNELS)
    page.mouse.move(5, 5)
    pad = pin_pad_session(page, "2580")
    assert page.locator("#pin-display").input_value() == "2580"
    assert page.evaluate("scrollY") == 0
    flush(page)

    pad_id, outside = node_id(tap, "pin-pad"), node_id(tap, "outside")
    clicks = incremental(tap, MOUSE_INTERACTION)
    assert any(c["id"] == outside and c["type"] == 2 for c in clicks)  # clicks are recorded
    assert [c for c in clicks if c["id"] == pad_id] == []
    assert [c for c in clicks if "x" in c and inside(pad, c["x"], c["y"])] == []
    positions = [p for m in incremental(tap, MOUSE_MOVE) for p in m["positions"]]
    assert len(positions) >= 3  # the pointer is recorded outside the pad
    assert [p for p in positions if p["id"] == pad_id or inside(pad, p["x"], p["y"])] == []
    assert incremental(tap, INPUT) == []  # the pad's display, filled by its script: no value


def test_no_touch_inside_a_blocked_pin_pad(browser: Browser, tap: Tap):
    context = browser.new_context(has_touch=True, viewport=TALL)
    page = context.new_page()
    try:
        open_lab(page, tap, CHANNELS)
        pad = box_of(page, "#pin-pad")
        for digit in "1397":
            x0, y0, x1, y1 = box_of(page, f"#pin-{digit}")
            page.touchscreen.tap((x0 + x1) / 2, (y0 + y1) / 2)
            page.wait_for_timeout(50)
        x0, y0, x1, y1 = box_of(page, "#outside")
        page.touchscreen.tap((x0 + x1) / 2, (y0 + y1) / 2)
        assert page.locator("#pin-display").input_value() == "1397"
        assert page.evaluate("scrollY") == 0
        flush(page)
    finally:
        context.close()

    pad_id, outside = node_id(tap, "pin-pad"), node_id(tap, "outside")
    touches = [c for c in incremental(tap, MOUSE_INTERACTION) if c["type"] in (7, 9)]
    assert any(c["id"] == outside for c in touches)  # taps are recorded
    assert [c for c in touches if c["id"] == pad_id or inside(pad, c["x"], c["y"])] == []
    clicks = incremental(tap, MOUSE_INTERACTION)
    assert [c for c in clicks if c["id"] == pad_id] == []


def meta_hrefs(tap: Tap) -> list[str]:
    return [e["data"]["href"] for e in sent_events(tap) if e["type"] == 4]


def navigations(tap: Tap) -> list[str]:
    return [
        e["data"]["payload"]["href"]
        for e in sent_events(tap)
        if e["type"] == 5 and e["data"]["tag"] == "navigation"
    ]


def test_secret_url_parameters_are_redacted_in_every_address(page: Page, tap: Tap, sdk: Client):
    token, state_token, reset, otp, id_token, signature = (secret() for _ in range(6))
    query = f"?token={token}&q=red%20shoes&X-Amz-Signature={signature}"
    open_lab(page, tap, f"{CHANNELS}{query}#access_token={state_token}&state=kept")
    page.evaluate(f"history.pushState({{}}, '', '?step=2&reset_token={reset}')")
    page.evaluate(f"history.replaceState({{}}, '', '#/confirm?otp={otp}&tab=card')")
    page.evaluate("history.replaceState({}, '', location.href)")  # same address: no event
    page.evaluate(f"location.hash = 'id_token={id_token}'")
    page.go_back()
    page.wait_for_function(f"location.href.includes('{otp}')")
    session_id = page.evaluate("window.sessiontape.recorder.sessionId")
    flush(page)

    base = tap.url(CHANNELS)
    assert meta_hrefs(tap) == [
        f"{base}?token=REDACTED&q=red%20shoes&X-Amz-Signature=REDACTED"
        "#access_token=REDACTED&state=kept"
    ]
    routes = [
        f"{base}?step=2&reset_token=REDACTED",
        f"{base}?step=2&reset_token=REDACTED#/confirm?otp=REDACTED&tab=card",
        f"{base}?step=2&reset_token=REDACTED#id_token=REDACTED",
        f"{base}?step=2&reset_token=REDACTED#/confirm?otp=REDACTED&tab=card",  # back
    ]
    assert navigations(tap) == routes
    pages = sdk.sessions.fetch(session_id).pages()
    assert [p.url for p in pages] == [meta_hrefs(tap)[0], *routes]
    assert_never_sent(tap, token, state_token, reset, otp, id_token, signature)


def test_the_referrer_is_redacted(page: Page, tap: Tap):
    token, email = secret(), secret()
    open_lab(page, tap, f"{CHANNELS}?token={token}&email={email}%40example.com&ref=ad")
    page.click("#next-page")
    page.wait_for_url("**/privacy-lab/index.html")
    page.wait_for_function("window.sessiontape.recorder && window.sessiontape.recorder.sessionId")
    page.wait_for_timeout(300)  # the client event follows the snapshot, in a task of its own
    flush(page)

    clients = [
        e["data"]["payload"]
        for e in sent_events(tap)
        if e["type"] == 5 and e["data"]["tag"] == "client"
    ]
    referrers = [c.get("referrer") for c in clients]
    assert f"{tap.url(CHANNELS)}?token=REDACTED&email=REDACTED&ref=ad" in referrers
    assert_never_sent(tap, token, email)


OPTIONS_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Options</title></head><body>
<h1>Own parameter names</h1>
<div class="pad-box" style="width: 200px; height: 120px"><button id="inner">7</button></div>
<button id="outer">outside</button>
<script type="module">
  import {{ start }} from "/recorder.mjs";
  window.sessiontape = {{ recorder: start({{ endpoint: location.origin, key: "{key}",
    redactUrlParams: ["order_ref", "voucher"], blockSelector: ".pad-box" }}) }};
</script>
</body></html>"""


def test_own_parameter_names_and_block_selector(page: Page, tap: Tap, collector: Collector):
    order, voucher, token = secret(), secret(), secret()

    def serve(route: Route) -> None:
        route.fulfill(
            status=200, content_type="text/html", body=OPTIONS_PAGE.format(key=collector.write_key)
        )

    page.route(tap.url("/lab/own-names.html") + "*", serve)
    open_lab(page, tap, f"/lab/own-names.html?orderRef={order}&page=3&token={token}")
    page.evaluate(f"history.pushState({{}}, '', '?VOUCHER={voucher}&page=4')")
    box = box_of(page, ".pad-box")
    page.click("#inner")
    page.click("#outer")
    flush(page)

    base = tap.url("/lab/own-names.html")
    assert meta_hrefs(tap) == [f"{base}?orderRef=REDACTED&page=3&token=REDACTED"]
    assert navigations(tap) == [f"{base}?VOUCHER=REDACTED&page=4"]
    clicks = [c for c in incremental(tap, MOUSE_INTERACTION) if c["type"] == 2]
    assert len(clicks) == 1  # on #outer only
    assert not inside(box, clicks[0]["x"], clicks[0]["y"])
    assert_never_sent(tap, order, voucher, token)


# The naming rule of urls.ts as a table: (address, as recorded). Run in Chromium on urls.ts alone.
URL_ROWS = [
    ("https://a.example/p?token=abc&q=1", "https://a.example/p?token=REDACTED&q=1"),
    (
        "https://a.example/cb#access_token=abc.def&token_type=bearer&state=s1",
        "https://a.example/cb#access_token=REDACTED&token_type=REDACTED&state=s1",  # a word: token,
    ),
    ("https://a.example/#/reset?token=abc&tab=2", "https://a.example/#/reset?token=REDACTED&tab=2"),
    ("https://a.example/p;jsessionid=ABC123?x=1", "https://a.example/p;jsessionid=REDACTED?x=1"),
    (
        "https://b.s3.example/k?X-Amz-Date=20250101&X-Amz-Credential=AK%2F2025&"
        "X-Amz-Security-Token=FQo&X-Amz-Signature=9f3e",
        "https://b.s3.example/k?X-Amz-Date=20250101&X-Amz-Credential=REDACTED&"
        "X-Amz-Security-Token=REDACTED&X-Amz-Signature=REDACTED",
    ),
    (
        "/r?resetToken=a&csrftoken=b&client_secret=c&api_key=d&apiKey=e&APIKEY=f",
        "/r?resetToken=REDACTED&csrftoken=REDACTED&client_secret=REDACTED&api_key=REDACTED"
        "&apiKey=REDACTED&APIKEY=REDACTED",
    ),
    (
        "/r?e-mail=a%40b.c&Email=x&user[password]=p&SID=9&code=c0de&otp=1&sig=s",
        "/r?e-mail=REDACTED&Email=REDACTED&user[password]=REDACTED&SID=REDACTED&code=REDACTED"
        "&otp=REDACTED&sig=REDACTED",
    ),
    ("/r?access%5Ftoken=x&page=2", "/r?access%5Ftoken=REDACTED&page=2"),
    (
        "/r?state=s&author=ada&zipcode=12345&keyword=monkey&q=a%20b+c&next=%2Fhome",
        "/r?state=s&author=ada&zipcode=12345&keyword=monkey&q=a%20b+c&next=%2Fhome",
    ),
    (
        "/r?q=%E2%82%AC&password=p%40ss+w%C3%B6rd&lang=de",
        "/r?q=%E2%82%AC&password=REDACTED&lang=de",
    ),
    ("/r?token=&token&q=1", "/r?token=&token&q=1"),
    ("https://ada:hunter2@h.example/x?y=1", "https://ada:REDACTED@h.example/x?y=1"),
    ("/r?ref=4111111111111111&n=1", "/r?ref=****************&n=1"),
    ("data:text/plain;token=abc,hello", "data:text/plain;token=abc,hello"),
    ("", ""),
]
URL_ENTRY = """
import { configure, redactUrl } from './src/urls';
window.urls = { configure, redactUrl };
"""


def test_url_redaction_rule_as_a_table(page: Page) -> None:
    recorder = Path(__file__).parents[2] / "recorder_js"
    built = subprocess.run(
        [str(recorder / "node_modules/.bin/esbuild"), "--bundle", "--format=iife", "--loader=ts"],
        input=URL_ENTRY,
        cwd=recorder,
        capture_output=True,
        text=True,
        check=True,
    )
    page.set_content("<!doctype html><html><head></head><body></body></html>")
    page.add_script_tag(content=built.stdout)
    urls = [url for url, _ in URL_ROWS]
    got = page.evaluate("(urls) => urls.map((u) => window.urls.redactUrl(u))", urls)
    wrong = [
        f"{u!r}: expected {e!r}, got {g!r}"
        for (u, e), g in zip(URL_ROWS, got, strict=True)
        if g != e
    ]
    assert not wrong, "\n".join(wrong)

    own = "/r?orderRef=1&ORDER-REF=2&order=3&voucher_code=4"
    page.evaluate("window.urls.configure(['order_ref'])")
    assert page.evaluate("(u) => window.urls.redactUrl(u)", own) == (
        "/r?orderRef=REDACTED&ORDER-REF=REDACTED&order=3&voucher_code=REDACTED"
    )
    page.evaluate("window.urls.configure()")  # back to the built-in list only
    assert page.evaluate("(u) => window.urls.redactUrl(u)", own) == (
        "/r?orderRef=1&ORDER-REF=2&order=3&voucher_code=REDACTED"
    )


CLOSED_PAD_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Closed pad</title>
<script src="/recorder.js" data-endpoint="/" data-key="{key}"></script></head><body>
<p>Ordinary text that may be recorded</p>
<div id="early-host"></div><div id="late-host"></div>
<button id="outside" style="width: 160px; height: 40px">outside</button>
<script>
  // Each closed root: a blocked pad of buttons, and a plain button beside it.
  const markup = (name) => '<section id="' + name + '-pad" data-st-block style="height: 120px; '
    + 'width: 240px"><button style="width: 60px; height: 60px">7</button><button '
    + 'style="width: 60px; height: 60px">8</button></section><button id="' + name + '-plain" '
    + 'style="width: 160px; height: 40px">plain</button>';
  window.closedRoots = {{}};
  const attach = (name) => {{
    const root = document.getElementById(name + "-host").attachShadow({{ mode: "closed" }});
    root.innerHTML = markup(name);
    window.closedRoots[name] = root;
  }};
  attach("early");  // before recording starts: its content is never recorded
  window.attachLate = () => attach("late");  // while recording: recorded, as an empty pad
</script>
</body></html>"""


def centre(box: tuple[float, float, float, float]) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def test_no_position_or_click_inside_a_blocked_box_in_a_closed_shadow_root(
    page: Page, tap: Tap, collector: Collector
):
    """Events from a closed shadow root reach the recorder as if they happened on the host: the
    blocked box inside must still hide the pointer, while the rest of the host stays recorded."""

    def serve(route: Route) -> None:
        route.fulfill(
            status=200,
            content_type="text/html",
            body=CLOSED_PAD_PAGE.format(key=collector.write_key),
        )

    page.set_viewport_size(TALL)
    page.route(tap.url("/lab/closed-pad.html") + "*", serve)
    open_lab(page, tap, "/lab/closed-pad.html")
    page.evaluate("window.attachLate()")
    page.wait_for_timeout(100)
    pads, plains = [], []
    for name in ("early", "late"):
        box = page.evaluate(
            "([n, part]) => { const r = window.closedRoots[n].getElementById(n + part)"
            ".getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }",
            [name, "-pad"],
        )
        pads.append(tuple(box))
        plain = page.evaluate(
            "([n, part]) => { const r = window.closedRoots[n].getElementById(n + part)"
            ".getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }",
            [name, "-plain"],
        )
        plains.append(tuple(plain))
    page.mouse.move(5, 5)
    for pad in pads:
        left, top, right, bottom = pad
        page.mouse.move(left + 5, top + 5)
        page.mouse.move(right - 5, bottom - 5, steps=6)  # a signature across the pad
        for x, y in ((left + 30, top + 30), (left + 90, top + 30)):  # two keys of the pad
            page.mouse.click(x, y)
    for plain in plains:
        page.mouse.click(*centre(plain))
    page.click("#outside")
    page.mouse.move(900, 900, steps=4)
    page.wait_for_timeout(700)  # positions are sent in batches, at least every 500 ms
    flush(page)

    hosts = {node_id(tap, "early-host"), node_id(tap, "late-host")}
    clicks = incremental(tap, MOUSE_INTERACTION)
    assert any(c["id"] == node_id(tap, "outside") and c["type"] == 2 for c in clicks)
    on_hosts = [c for c in clicks if c["id"] in hosts and c["type"] == 2]
    for plain in plains:  # the plain button beside each pad: still recorded, on its host
        assert any(inside(plain, c["x"], c["y"]) for c in on_hosts)
    for pad in pads:
        assert [c for c in clicks if "x" in c and inside(pad, c["x"], c["y"])] == []
    positions = [p for m in incremental(tap, MOUSE_MOVE) for p in m["positions"]]
    assert len(positions) >= 3  # the pointer is recorded outside the pads
    for pad in pads:
        assert [p for p in positions if inside(pad, p["x"], p["y"])] == []
