"""Replay fidelity: what the recorder sends, replayed by rrweb's ``Replayer``, looks like the page.

For every demo page a scripted visit is recorded through the real collector; the recorder is
stopped and the live DOM serialised in one synchronous step, so both sides describe the same
moment. The session is read back through the SDK and replayed, in the same browser, by rrweb's
``Replayer`` (``recorder_js/node_modules/rrweb``, a dev dependency only), seeked to its end. The
rebuilt DOM (inside the replayer's iframe) must equal the live one, and a screenshot of the replay
must match a screenshot of the live viewport within ``PIXEL_TOLERANCE``.

The DOM serialisation (``serialise_dom.js``, run on both documents) walks elements, open shadow
roots (``#shadow-root``) and same-origin frames (``#document``). Every normalisation it applies:

- ``script``/``noscript`` dropped: scripts are never serialized, and the replayer turns the
  element into ``noscript`` (by design, docs/privacy);
- ``style`` and ``link rel=stylesheet`` dropped: the recorder inlines stylesheets (``_cssText``,
  ``@import`` resolved) and the replayer rewrites CSS for ``:hover`` and adds its own sheet, so
  their form differs on purpose; what CSS does is the screenshot comparison's job;
- attributes the recorder adds for the replayer (``rr_*``, ``_cssText``) dropped, and an
  ``iframe``'s ``src`` (recorded as ``rr_src`` so replays never load live pages);
- ``href``/``src``/``srcset``/``xlink:href``/``poster`` and ``url()`` in ``style`` resolved
  against the document's URL (fragment-only ``#id`` references kept as they are, as the recorder
  keeps them): the recorder makes URLs absolute on purpose;
- what the replayer itself changes dropped: the classes it adds (``:hover`` to simulate the
  pointer, ``rrweb-paused``), ``caret-color: transparent`` in a field's style and the
  ``autocomplete`` attribute of fields (it sets ``off`` so the browser offers nothing);
- form state read from properties, not attributes (``value``, ``checked``, option ``selected``):
  the recorder writes the live state into attributes, the page's markup holds the defaults; a
  textarea's text children are dropped for the same reason (its value is compared instead);
- the value of private fields (password, hidden, file, ``cc-*``/``one-time-code`` autocomplete,
  card-like names, anything under ``data-st-ignore``) dropped: never recorded (privacy); which
  fields those are is read on the live page (``HINTS_JS``), since the replayer rewrites
  ``autocomplete``; such a field, and an option of such a select, compared on its layout
  attributes only (type, id, class, name, size-related ones, style...), as the recorder keeps;
- text under ``data-st-mask`` compared masked (every non-space character ``*``), and elements
  under ``data-st-block`` compared as empty boxes (tag, id, class): privacy rules, by design;
- text whitespace collapsed and whitespace-only text dropped: layout whitespace is not content.

Screenshots: the live page's scrollbars are hidden before recording starts (the replayer's frame
has none), the pointer is parked outside any hover target and focus removed (focus rings and
carets are not part of rrweb's replay). ``PIXEL_TOLERANCE`` is the fraction of pixels allowed to
differ by more than ``CHANNEL_SLACK`` in any channel: it absorbs anti-aliasing, a media player's
clock and the dynamic page's one-second ticker turning between screenshot and stop.
"""

from __future__ import annotations

import difflib
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import BrowserContext, Page, ViewportSize

from sessiontape import Client, Recording
from sessiontape.events import FullSnapshotEvent
from tests.conftest import Collector
from tests.e2e.conftest import flush_and_fetch, walk

RRWEB = Path(__file__).parents[2] / "recorder_js/node_modules/rrweb/dist/rrweb.umd.cjs"
VIEWPORT: ViewportSize = {"width": 1000, "height": 700}
PIXEL_TOLERANCE = 0.01
CHANNEL_SLACK = 24

HIDE_SCROLLBARS = """
document.addEventListener('readystatechange', () => {
  if (document.readyState !== 'interactive' || document.getElementById('no-scrollbars')) return;
  const style = document.createElement('style');
  style.id = 'no-scrollbars';
  style.textContent = '::-webkit-scrollbar { display: none; }';
  document.head.appendChild(style);
}, { capture: true });
"""

SERIALISE_JS = (Path(__file__).parent / "serialise_dom.js").read_text()

STOP_AND_SERIALISE_JS = (
    "(serialise) => { window.sessiontape.recorder.stop();"
    " return eval(serialise)([document, {private: [], blocked: []}]); }"
)
# Which elements the privacy rules cover, read on the live page: the replayer rewrites the
# attributes they depend on (autocomplete) and keeps only id and class of blocked elements.
HINTS_JS = """() => {
  const ids = (sel) => Array.from(document.querySelectorAll(sel), (e) => e.id).filter(Boolean);
  return {
    blocked: ids('[data-st-block]'),
    private: ids('input[type=password], input[type=hidden], [autocomplete^=cc-], '
      + '[autocomplete=one-time-code], input[name*=card], input[name*=cvc], [data-st-ignore] *'),
  };
}"""

REPLAY_JS = """async ([events, serialise, hints]) => {
  const replayer = new rrweb.Replayer(events, {
    root: document.body, mouseTail: false, showWarning: false, triggerFocus: false,
  });
  // rrweb applies the events before the offset it pauses at: one ms more takes the last too.
  replayer.pause(replayer.getMetaData().totalTime + 1);
  const doc = replayer.iframe.contentDocument;
  const frames = [doc, ...Array.from(doc.querySelectorAll('iframe'), (f) => f.contentDocument)];
  const images = frames.filter(Boolean).flatMap((d) => Array.from(d.images));
  await Promise.all(images.map((img) => img.complete ? null : new Promise((r) => {
    img.addEventListener('load', r); img.addEventListener('error', r);
  })));
  await doc.fonts.ready;
  await new Promise((r) => setTimeout(r, 300));
  window.replayer = replayer;
  return eval(serialise)([doc, hints]);
}"""


def visit_index(page: Page) -> None:
    page.click("#hello-button")
    page.fill("#newsletter-email", "ada@example.com")
    page.mouse.wheel(0, 300)


def visit_products(page: Page) -> None:
    page.locator("#product-search").press_sequentially("cas", delay=5)
    page.locator("[data-testid^=add-to-cart-]").first.click()
    page.wait_for_timeout(900)  # the button's "Added" flash ends


def visit_signup(page: Page) -> None:
    page.fill("#signup-name", "Ada")
    page.fill("#signup-email", "ada@example.com")
    page.fill("#signup-password", "hunter22")
    page.fill("#signup-about", "I like tapes")
    page.check("#signup-newsletter")
    page.check("#plan-pro")
    page.select_option("#signup-country", index=1)


def visit_login(page: Page) -> None:
    page.fill("#login-email", "ada@example.com")
    page.fill("#login-password", "hunter22")
    page.check("#login-remember")


def visit_checkout(page: Page) -> None:
    page.fill("#ship-name", "Ada Lovelace")
    page.fill("#ship-city", "London")
    page.fill("#card-number", "4242424242424242")
    page.fill("#otp", "123456")


def visit_dynamic(page: Page) -> None:
    page.click("#tab-specs")
    page.click("#add-item")
    page.click("#add-item")
    page.click("#remove-item")
    page.click("#open-modal")
    page.click("#dynamic-modal-close")
    page.locator("#shop-badge").locator("#badge-button").click()
    page.frame_locator("#demo-iframe").locator("#iframe-input").fill("typed in the frame")
    page.frame_locator("#demo-iframe").locator("#iframe-button").click()
    page.locator("#inner-panel").evaluate("el => el.scrollTop = 240")
    page.locator("#hover-card").scroll_into_view_if_needed()


def visit_capture(page: Page) -> None:
    page.click("#add-rule")
    page.click("#add-rule")
    page.click("#delete-rule")
    page.click("#attach-shadow")
    page.click("#set-by-script")
    page.fill("#bench-text", "typed after the script")
    page.click("#add-frame")
    page.frame_locator("#late-frame").locator("#iframe-input").fill("late frame text")
    page.locator("#scroll-box").evaluate("el => { el.scrollTop = 400; el.scrollLeft = 200; }")
    page.mouse.wheel(0, 200)


def visit_long(page: Page) -> None:
    page.mouse.wheel(0, 1500)


def visit_privacy(page: Page) -> None:
    page.mouse.move(200, 200)


def visit_iframe(page: Page) -> None:
    page.fill("#iframe-input", "hello")
    page.click("#iframe-button")


VISITS: dict[str, Callable[[Page], None]] = {
    "index.html": visit_index,
    "products.html": visit_products,
    "signup.html": visit_signup,
    "login.html": visit_login,
    "checkout.html": visit_checkout,
    "dynamic.html": visit_dynamic,
    "capture.html": visit_capture,
    "long.html": visit_long,
    "privacy.html": visit_privacy,
    "iframe.html": visit_iframe,
}


@contextmanager
def replay_page(context: BrowserContext) -> Iterator[Page]:
    """A blank page of the live page's size with rrweb loaded, closed after use."""
    replay = context.new_page()
    try:
        replay.set_viewport_size(VIEWPORT)
        replay.set_content("<!doctype html><html><body style='margin:0'></body></html>")
        replay.add_script_tag(content=RRWEB.read_text())
        yield replay
    finally:
        replay.close()


def replayed(
    context: BrowserContext, recording: Recording, hints: dict[str, list[str]]
) -> tuple[list[str], bytes]:
    """The DOM and a screenshot of `recording` replayed by rrweb's Replayer, seeked to its end."""
    events = json.loads(recording.to_rrweb_json())
    with replay_page(context) as replay:
        replay.add_style_tag(content=".replayer-mouse { display: none; } iframe { border: 0; }")
        dom: list[str] = replay.evaluate(REPLAY_JS, [events, SERIALISE_JS, hints])
        return dom, replay.locator("iframe").first.screenshot()


def assert_same_dom(live: list[str], replay: list[str]) -> None:
    diff = "\n".join(difflib.unified_diff(live, replay, "live", "replay", lineterm=""))
    assert replay == live, diff


def differing_fraction(a: bytes, b: bytes) -> float:
    left = Image.open(io.BytesIO(a)).convert("RGB")
    right = Image.open(io.BytesIO(b)).convert("RGB")
    assert left.size == right.size, (left.size, right.size)
    diff = ImageChops.difference(left, right).get_flattened_data()
    differing = sum(1 for pixel in diff if max(pixel) > CHANNEL_SLACK)
    return differing / (left.size[0] * left.size[1])


def test_every_demo_page_has_a_visit() -> None:
    pages = {p.name for p in (Path(__file__).parents[2] / "testsite").glob("*.html")}
    assert pages == set(VISITS)


@pytest.mark.parametrize("name", sorted(VISITS))
def test_replay_matches_the_live_page(
    name: str,
    page: Page,
    context: BrowserContext,
    collector: Collector,
    sdk: Client,
    tmp_path: Path,
) -> None:
    page.set_viewport_size(VIEWPORT)
    page.add_init_script(HIDE_SCROLLBARS)
    page.goto(collector.url(f"/demo/{name}"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    page.wait_for_load_state("load")
    VISITS[name](page)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.mouse.move(VIEWPORT["width"] - 2, VIEWPORT["height"] - 2)
    page.wait_for_timeout(500)  # transitions and animations settle

    hints = page.evaluate(HINTS_JS)
    live_png = page.screenshot()
    serialise = SERIALISE_JS
    live_dom: list[str] = page.evaluate(STOP_AND_SERIALISE_JS, serialise)
    recording = flush_and_fetch(page, sdk)
    replay_dom, replay_png = replayed(context, recording, hints)

    assert_same_dom(live_dom, replay_dom)
    fraction = differing_fraction(live_png, replay_png)
    if fraction > PIXEL_TOLERANCE:
        (tmp_path / "live.png").write_bytes(live_png)
        (tmp_path / "replay.png").write_bytes(replay_png)
    assert fraction <= PIXEL_TOLERANCE, f"{fraction:.2%} of pixels differ (see {tmp_path})"


SLICES_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Snapshot in slices</title></head>
<body>
<ol id="list"></ol>
<main id="root"></main>
<div id="host"></div>
<script>
  const list = document.getElementById('list');
  for (let i = 0; i < 1000; i++) list.append(Object.assign(document.createElement('li'), {
    textContent: 'line ' + i,
  }));
  const root = document.getElementById('root');
  for (let i = 0; i < 60; i++) {
    const section = document.createElement('section');
    section.id = 's' + i;
    for (let j = 0; j < 25; j++) {
      const p = document.createElement('p');
      p.className = 'c' + j;
      p.textContent = 'item ' + i + '.' + j;
      section.appendChild(p);
    }
    root.appendChild(section);
  }
  const shadow = document.getElementById('host').attachShadow({ mode: 'open' });
  for (let i = 0; i < 50; i++) shadow.append(Object.assign(document.createElement('b'), {
    textContent: 'shadow ' + i,
  }));
</script>
<script type="module">
  import { start } from "/recorder.mjs";
  // The page changes itself in every other task while the recorder walks it in slices.
  let seed = 7;
  const rnd = (n) => (seed = (seed * 16807) % 2147483647) % n;
  const shadow = document.getElementById('host').shadowRoot;
  function change() {
    const all = document.querySelectorAll('#root section, #root p');
    const pick = () => all[rnd(all.length)];
    const a = pick(), b = pick();
    switch (rnd(6)) {
      case 0: b.before(Object.assign(document.createElement('p'), {
        textContent: 'new ' + rnd(999),
      })); break;
      case 1: a.remove(); break;
      case 2: if (!a.contains(b) && !b.contains(a)) b.before(a); break;
      case 3: a.textContent = 'edited ' + rnd(999); break;
      case 4: a.setAttribute('data-n', String(rnd(999))); break;
      case 5: shadow.insertBefore(Object.assign(document.createElement('i'), {
        textContent: 'late ' + rnd(99),
      }), shadow.childNodes[rnd(shadow.childNodes.length)] || null); break;
    }
  }
  let snapshotSent = false;
  window.changesBeforeSnapshot = 0;
  window.changing = true;
  const channel = new MessageChannel();
  const list = document.getElementById('list');
  function shuffle() {  // moves within one parent, where the walk spends many slices
    const items = list.children;
    for (let i = 0; i < 60; i++) {
      list.insertBefore(items[rnd(items.length)], items[rnd(items.length)]);
    }
  }
  channel.port1.onmessage = () => {
    change();
    shuffle();
    if (!snapshotSent) window.changesBeforeSnapshot++;
    if (window.changing) channel.port2.postMessage(0);
  };
  channel.port2.postMessage(0);
  window.recorder = start({
    endpoint: location.origin, key: "{key}", snapshotSliceMs: 0,
    onEvent: (e) => { if (e.type === 2) snapshotSent = true; },
  });
</script>
</body></html>"""


def test_a_snapshot_taken_in_slices_while_the_page_changes_replays_exactly(
    page: Page, context: BrowserContext, collector: Collector, sdk: Client
) -> None:
    html = SLICES_PAGE.replace("{key}", collector.write_key)
    page.route(
        "**/lab/slices.html",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    page.set_viewport_size(VIEWPORT)
    page.goto(collector.url("/lab/slices.html"))
    page.wait_for_function("window.recorder && window.recorder.sessionId")
    page.evaluate("window.recorder.flush()")  # resolves once the snapshot is out
    page.wait_for_timeout(200)  # and the page keeps changing after it
    page.evaluate("window.changing = false")
    page.wait_for_timeout(50)

    assert page.evaluate("window.changesBeforeSnapshot") >= 20, "the snapshot took many slices"
    session = page.evaluate("window.recorder.sessionId")
    live_dom: list[str] = page.evaluate(
        "(serialise) => { window.recorder.stop();"
        " return eval(serialise)([document, {private: [], blocked: []}]); }",
        SERIALISE_JS,
    )
    page.evaluate("window.recorder.flush()")
    recording = sdk.sessions.fetch(session)
    replay_dom, _ = replayed(context, recording, {"private": [], "blocked": []})

    snapshot = next(e for e in recording.events if isinstance(e, FullSnapshotEvent))
    ids = [node["id"] for node in walk(snapshot.data.node)]
    assert len(ids) == len(set(ids)), "every node is in the snapshot once"
    assert_same_dom(live_dom, replay_dom)
