"""What the recorder captures, checked end to end: Chromium -> recorder -> collector -> SDK."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page

from sessiontape import Client, Recording
from sessiontape.events import (
    CustomEvent,
    ElementNode,
    FullSnapshotEvent,
    IncrementalSnapshotEvent,
    InputData,
    MediaInteractionData,
    MetaEvent,
    MouseInteraction,
    MouseInteractionData,
    MutationData,
    OtherIncrementalData,
    ScrollData,
    StyleSheetRuleData,
    ViewportResizeData,
)
from tests.conftest import Collector
from tests.e2e.conftest import by_id, events_of, find_element, flush_and_fetch, walk

ADOPTED_STYLE_SHEET = 15
DOCUMENT, DOCTYPE, ELEMENT, TEXT, COMMENT = 0, 1, 2, 3, 5


def open_page(page: Page, collector: Collector, name: str) -> None:
    page.goto(collector.url(f"/demo/{name}"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    page.wait_for_load_state("load")


def incrementals(recording: Recording, data_type: type[Any]) -> list[Any]:
    return [
        e.data
        for e in events_of(recording, IncrementalSnapshotEvent)
        if isinstance(e.data, data_type)
    ]


def attached_frames(recording: Recording) -> list[MutationData]:
    return [m for m in incrementals(recording, MutationData) if m.isAttachIframe]


def elements(node: Any) -> list[ElementNode]:
    return [n for n in walk(node) if n["type"] == ELEMENT]


def element_in(node: Any, element_id: str) -> ElementNode:
    for n in elements(node):
        if n["attributes"].get("id") == element_id:
            return n
    raise AssertionError(f"no #{element_id}")


def texts_in(node: Any) -> str:
    return "".join(n["textContent"] for n in walk(node) if n["type"] == TEXT)


def test_full_snapshot_markup_urls_and_styles(page: Page, collector: Collector, sdk: Client):
    open_page(page, collector, "capture.html")
    recording = flush_and_fetch(page, sdk)
    root = events_of(recording, FullSnapshotEvent)[0].data.node
    assert root["type"] == DOCUMENT
    doctype = root["childNodes"][0]
    assert doctype["type"] == DOCTYPE
    assert doctype["name"] == "html"
    nodes = list(walk(root))
    assert any(n["type"] == COMMENT and "capture bench" in n["textContent"] for n in nodes)

    base = collector.url("/demo/")
    svg = find_element(recording, by_id("svg-art"))
    assert all(c.get("isSVG") for c in elements(svg))
    image = next(c for c in elements(svg) if c["tagName"] == "image")
    assert image["attributes"]["href"] == base + "img/logo.svg"
    img = find_element(recording, by_id("srcset-img"))["attributes"]
    assert img["src"] == base + "img/logo.svg"
    assert img["srcset"] == f"{base}img/logo.svg 1x, {base}img/hero.svg 2x"
    inline = find_element(recording, by_id("inline-art"))["attributes"]["style"]
    assert f"url({base}img/logo.svg)" in str(inline)

    styles = [n for n in elements(root) if n["tagName"] in ("style", "link")]
    css = " ".join(str(s["attributes"].get("_cssText", "")) for s in styles)
    assert ".imported-rule" in css, "the @import in a <style> is inlined"
    assert f'url("{base}img/poster.svg")' in css, "url() in inlined CSS is absolute"
    assert ".script-styled" in css, "rules inserted by script are inlined"
    assert not any(s["attributes"].get("rel") == "stylesheet" for s in styles), "links inlined"

    scripts = [n for n in elements(root) if n["tagName"] == "script"]
    assert scripts
    assert all(s["childNodes"] == [] for s in scripts)


def test_link_with_import_is_inlined(page: Page, collector: Collector, sdk: Client):
    open_page(page, collector, "dynamic.html")
    recording = flush_and_fetch(page, sdk)
    css = [
        str(n["attributes"].get("_cssText", ""))
        for e in events_of(recording, FullSnapshotEvent)
        for n in elements(e.data.node)
        if n["tagName"] == "link"
    ]
    assert any(".hover-card" in c and ".imported-rule" in c for c in css)


def test_form_state_and_values_set_by_script(page: Page, collector: Collector, sdk: Client):
    open_page(page, collector, "capture.html")
    page.fill("#bench-text", "typed")
    page.click("#set-by-script")
    recording = flush_and_fetch(page, sdk)

    assert find_element(recording, by_id("bench-text"))["attributes"]["value"] == "from markup"
    assert find_element(recording, by_id("bench-check"))["attributes"]["checked"] is True
    select = find_element(recording, by_id("bench-select"))
    options = elements(select)[1:]
    assert [o["attributes"]["value"] for o in options if o["attributes"].get("selected")] == ["b"]

    inputs = incrementals(recording, InputData)
    ids = {
        name: find_element(recording, by_id(name))["id"]
        for name in ("bench-text", "bench-check", "bench-select", "bench-notes")
    }
    assert [i.text for i in inputs if i.id == ids["bench-text"]][-1] == "set by script"
    assert [i.isChecked for i in inputs if i.id == ids["bench-check"]][-1] is False
    assert [i.text for i in inputs if i.id == ids["bench-select"]][-1] == "c"
    assert [i.text for i in inputs if i.id == ids["bench-notes"]][-1] == "notes set by script"


def test_shadow_roots(page: Page, collector: Collector, sdk: Client):
    open_page(page, collector, "dynamic.html")
    page.locator("#shop-badge").locator("#badge-button").click()
    recording = flush_and_fetch(page, sdk)

    badge = find_element(recording, by_id("shop-badge"))
    assert badge.get("isShadowHost")
    inner = [c for c in badge["childNodes"] if c.get("isShadow")]
    assert {c["attributes"].get("id") for c in inner if c["type"] == ELEMENT} >= {
        "badge-button",
        "badge-likes",
    }
    likes = element_in(badge, "badge-likes")
    texts = [t.value for m in incrementals(recording, MutationData) for t in m.texts]
    adds = [
        a.node["textContent"]
        for m in incrementals(recording, MutationData)
        for a in m.adds
        if a.parentId == likes["id"] and a.node["type"] == TEXT
    ]
    assert "1 like" in texts + adds


def test_shadow_root_attached_later(page: Page, collector: Collector, sdk: Client):
    open_page(page, collector, "capture.html")
    page.click("#attach-shadow")
    recording = flush_and_fetch(page, sdk)
    host = find_element(recording, by_id("late-host"))
    adds = [
        a.node
        for m in incrementals(recording, MutationData)
        for a in m.adds
        if a.parentId == host["id"]
    ]
    late = [n for n in adds if n["type"] == ELEMENT and n["attributes"].get("id") == "late-shadow"]
    assert late
    assert late[0].get("isShadow")


def test_same_origin_frames_and_later_loads(page: Page, collector: Collector, sdk: Client):
    open_page(page, collector, "capture.html")
    page.click("#add-frame")
    frame = page.frame_locator("#late-frame")
    frame.locator("#iframe-input").fill("in the frame")
    page.wait_for_timeout(200)
    recording = flush_and_fetch(page, sdk)

    attached = attached_frames(recording)
    assert attached, "the frame's document is sent with isAttachIframe"
    doc = attached[-1].adds[0].node
    assert doc["type"] == DOCUMENT
    field = element_in(doc, "iframe-input")
    typed = [i.text for i in incrementals(recording, InputData) if i.id == field["id"]]
    assert typed
    assert typed[-1] == "in the frame"
    frame_el = next(
        a.node
        for m in incrementals(recording, MutationData)
        for a in m.adds
        if a.node["type"] == ELEMENT and a.node["attributes"].get("id") == "late-frame"
    )
    assert attached[-1].adds[0].parentId == frame_el["id"]


def test_frame_present_at_load_follows_the_snapshot(page: Page, collector: Collector, sdk: Client):
    open_page(page, collector, "dynamic.html")
    recording = flush_and_fetch(page, sdk)
    frame = find_element(recording, by_id("demo-iframe"))
    attached = [m for m in attached_frames(recording) if m.adds[0].parentId == frame["id"]]
    assert attached
    # The document is sent as the frame has it; what its parser adds later comes as mutations.
    doc_id = attached[-1].adds[0].node["id"]
    later = [
        a.node
        for m in incrementals(recording, MutationData)
        for a in m.adds
        if a.node.get("rootId") == doc_id
    ]
    content = texts_in(attached[-1].adds[0].node) + "".join(texts_in(n) for n in later)
    assert "Inside the frame" in content
    sessions = {s.id for s in sdk.sessions.list()}
    assert recording.id in sessions
    assert len(events_of(recording, MetaEvent)) == 1, "the framed page does not record itself"


def test_stylesheet_rules_and_adopted_sheets(page: Page, collector: Collector, sdk: Client):
    open_page(page, collector, "capture.html")
    page.click("#add-rule")
    page.click("#delete-rule")
    recording = flush_and_fetch(page, sdk)

    style = find_element(recording, by_id("script-rules"))
    rules = [r for r in incrementals(recording, StyleSheetRuleData) if r.id == style["id"]]
    assert any(r.adds and "letter-spacing: 1px" in r.adds[0]["rule"] for r in rules)
    assert any(r.removes for r in rules)

    adopted = [
        d.model_extra
        for d in incrementals(recording, OtherIncrementalData)
        if d.source == ADOPTED_STYLE_SHEET
    ]
    host = find_element(recording, by_id("adopted-host"))
    root = events_of(recording, FullSnapshotEvent)[0].data.node
    assert {d["id"] for d in adopted} == {host["id"], root["id"]}  # shadow host and document
    rules = str([d.get("styles") for d in adopted])
    assert ".adopted" in rules
    assert "rgb(29, 78, 216)" in rules


def test_media_interactions(page: Page, collector: Collector, sdk: Client):
    open_page(page, collector, "capture.html")
    page.click("#play-audio")
    page.wait_for_function("!document.getElementById('bench-audio').paused")
    page.click("#pause-audio")
    page.evaluate(
        "() => { const a = document.getElementById('bench-audio');"
        " a.currentTime = 1; a.volume = 0.5; }"
    )
    page.wait_for_function("document.getElementById('bench-audio').currentTime >= 1")
    page.wait_for_timeout(200)
    recording = flush_and_fetch(page, sdk)
    audio = find_element(recording, by_id("bench-audio"))
    types = [m.type for m in incrementals(recording, MediaInteractionData) if m.id == audio["id"]]
    assert types[:2] == [0, 1]  # play, pause
    assert 2 in types  # seeked
    assert 3 in types  # volume


def test_element_scroll_viewport_and_scroll_positions_in_snapshots(
    page: Page, collector: Collector, sdk: Client
):
    page.set_viewport_size({"width": 900, "height": 600})
    open_page(page, collector, "capture.html")
    page.locator("#scroll-box").evaluate("el => { el.scrollTop = 300; el.scrollLeft = 50; }")
    page.wait_for_timeout(250)
    page.set_viewport_size({"width": 800, "height": 500})
    page.wait_for_timeout(250)
    # A new full snapshot (as checkoutEveryNms takes) carries the element's scroll position.
    page.evaluate(
        """() => { const s = document.querySelector('script[data-endpoint]');
        window.sessiontape.start({endpoint: s.dataset.endpoint, key: s.dataset.key}); }"""
    )
    recording = flush_and_fetch(page, sdk)

    box = find_element(recording, by_id("scroll-box"))
    scrolls = [s for s in incrementals(recording, ScrollData) if s.id == box["id"]]
    assert scrolls
    assert (scrolls[-1].x, scrolls[-1].y) == (50, 300)
    resizes = incrementals(recording, ViewportResizeData)
    assert (resizes[-1].width, resizes[-1].height) == (800, 500)
    last = events_of(recording, FullSnapshotEvent)[-1].data.node
    attrs = element_in(last, "scroll-box")["attributes"]
    assert (attrs["rr_scrollTop"], attrs["rr_scrollLeft"]) == (300, 50)


def test_touch_interactions(browser: Browser, collector: Collector, sdk: Client):
    context = browser.new_context(has_touch=True)
    page = context.new_page()
    try:
        open_page(page, collector, "capture.html")
        page.tap("#add-rule")
        recording = flush_and_fetch(page, sdk)
    finally:
        context.close()
    button = find_element(recording, by_id("add-rule"))
    kinds = [m.type for m in incrementals(recording, MouseInteractionData) if m.id == button["id"]]
    assert MouseInteraction.TOUCH_START in kinds
    assert MouseInteraction.TOUCH_END in kinds


def test_meta_and_client_on_every_page_of_one_session(
    page: Page, collector: Collector, sdk: Client
):
    open_page(page, collector, "index.html")
    first = page.evaluate("window.sessiontape.recorder.sessionId")
    page.evaluate("window.sessiontape.recorder.flush()")
    open_page(page, collector, "capture.html")
    recording = flush_and_fetch(page, sdk)
    assert recording.id == first
    hrefs = [m.data.href for m in events_of(recording, MetaEvent)]
    assert hrefs == [collector.url("/demo/index.html"), collector.url("/demo/capture.html")]
    clients = [c for c in events_of(recording, CustomEvent) if c.data.tag == "client"]
    assert len(clients) == 2


def test_an_internal_error_stops_recording_and_is_reported_once(
    page: Page, collector: Collector, sdk: Client
):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_page(page, collector, "capture.html")
    # A field whose value getter throws: the recorder trips over it when the page types.
    page.evaluate(
        """() => Object.defineProperty(document.getElementById('bench-text'), 'value',
        { get() { throw new Error('private detail 4242'); }, configurable: true })"""
    )
    page.locator("#bench-text").press("a")
    page.click("#add-rule")  # the page keeps working, the recorder no longer records
    assert page.evaluate("document.getElementById('script-rules').sheet.cssRules.length") == 2
    recording = flush_and_fetch(page, sdk)

    reported = [c for c in events_of(recording, CustomEvent) if c.data.tag == "error"]
    assert len(reported) == 1
    assert reported[0].data.payload["message"]
    assert "4242" not in str(reported[0].data.payload)
    button = find_element(recording, by_id("add-rule"))
    assert not [m for m in incrementals(recording, MouseInteractionData) if m.id == button["id"]]
    assert errors == []


def test_mutations_of_one_task_are_one_event_with_exact_positions(
    page: Page, collector: Collector, sdk: Client
):
    open_page(page, collector, "capture.html")
    page.evaluate(
        """() => {
        const main = document.getElementById('main');
        const title = document.getElementById('page-title');
        const kept = document.createElement('p');
        kept.id = 'kept';
        kept.append('kept text');
        main.insertBefore(kept, title.nextSibling);
        const fleeting = document.createElement('p');
        fleeting.id = 'fleeting';
        main.append(fleeting);
        fleeting.remove();
        title.textContent = 'Capture bench, renamed';
        document.getElementById('brand').remove();
    }"""
    )
    recording = flush_and_fetch(page, sdk)
    snapshot = events_of(recording, FullSnapshotEvent)[0].data.node
    main = element_in(snapshot, "main")
    title = element_in(snapshot, "page-title")
    after_title = main["childNodes"][main["childNodes"].index(title) + 1]
    brand = element_in(snapshot, "brand")

    touching = [
        m
        for m in incrementals(recording, MutationData)
        if any(a.node.get("attributes", {}).get("id") == "kept" for a in m.adds)
    ]
    assert len(touching) == 1, "one task's changes are one Mutation event"
    mutation = touching[0]
    (kept,) = [a for a in mutation.adds if a.node.get("attributes", {}).get("id") == "kept"]
    assert (kept.parentId, kept.nextId) == (main["id"], after_title["id"])
    kept_children = [a.node for a in mutation.adds if a.parentId == kept.node["id"]]
    assert texts_in(kept.node) + "".join(map(texts_in, kept_children)) == "kept text"
    added_ids = [a.node.get("attributes", {}).get("id") for a in mutation.adds]
    assert "fleeting" not in added_ids, "added and removed in the same task: never emitted"
    assert brand["id"] in [r.id for r in mutation.removes]
    renamed = [a for a in mutation.adds if a.parentId == title["id"]]
    assert [a.node["textContent"] for a in renamed] == ["Capture bench, renamed"]
    assert [r.id for r in mutation.removes if r.parentId == title["id"]] == [
        title["childNodes"][0]["id"]
    ]


def test_checkout_takes_fresh_full_snapshots(page: Page, collector: Collector, sdk: Client):
    open_page(page, collector, "capture.html")
    page.evaluate(
        """() => {
        const tag = document.querySelector('script[data-endpoint]');
        window.sessiontape.start({
            endpoint: tag.dataset.endpoint, key: tag.dataset.key, checkoutEveryNms: 300,
        });
    }"""
    )
    page.wait_for_timeout(1_000)
    page.evaluate("document.getElementById('page-title').textContent = 'after checkouts'")
    recording = flush_and_fetch(page, sdk)
    snapshots = events_of(recording, FullSnapshotEvent)
    assert len(snapshots) >= 3
    assert texts_in(element_in(snapshots[-1].data.node, "page-title")) != "after checkouts"
    metas = events_of(recording, MetaEvent)
    assert len(metas) == len(snapshots), "every checkout is a Meta and a FullSnapshot"


def test_thirty_idle_minutes_open_a_new_session(page: Page, collector: Collector, sdk: Client):
    page.clock.install()
    open_page(page, collector, "capture.html")
    page.evaluate(
        """() => {
        const tag = document.querySelector('script[data-endpoint]');
        // No timed sends: what the old session emitted last is still buffered at the switch.
        window.sessiontape.start({
            endpoint: tag.dataset.endpoint, key: tag.dataset.key, flushInterval: 3_600_000,
        });
    }"""
    )
    page.mouse.click(200, 200)
    first = page.evaluate("window.sessiontape.recorder.sessionId")
    page.evaluate("window.sessiontape.recorder.flush()")
    page.clock.fast_forward("29:00")
    page.mouse.click(210, 200)
    assert page.evaluate("window.sessiontape.recorder.sessionId") == first
    page.evaluate("document.getElementById('page-title').textContent = 'changed while idle'")
    page.clock.fast_forward("30:01")
    page.mouse.click(220, 200)
    second = page.evaluate("window.sessiontape.recorder.sessionId")
    assert second != first
    page.evaluate("window.sessiontape.recorder.flush()")

    old, new = sdk.sessions.fetch(first), sdk.sessions.fetch(second)
    assert [type(e).__name__ for e in new.events[:2]] == ["MetaEvent", "FullSnapshotEvent"]
    assert texts_in(events_of(new, FullSnapshotEvent)[0].data.node).count("Capture bench") >= 1
    assert not [e for e in old.events if e.timestamp >= new.events[0].timestamp]
    assert [m for m in incrementals(old, MutationData) if m.adds], "the idle-time change stays"
