"""The mechanisms behind the privacy rules, each on the bytes that left Chromium (the Tap), on
scenarios of testsite/privacy-lab/mechanisms.js: "ever a password" in every tree and timing,
mask/ignore context under documents and shadow roots, attributes of private fields, and what is
never recorded at all (event handlers, script URLs, credentials in <meta>, ignored editables).
Every test also checks that ordinary content next to the secrets did arrive.
"""

from __future__ import annotations

import json
import time

import pytest
from playwright.sync_api import Page, Route

from tests.conftest import Collector
from tests.e2e.collector_tap import Tap, star_runs
from tests.e2e.privacy_checks import (
    assert_never_sent,
    attributes_sent,
    secret,
    sent_events,
    serialized_nodes,
)

LAB = "/demo/privacy-lab/mechanisms.html"
ORDINARY = "Ordinary text that may be recorded"


def open_case(page: Page, tap: Tap, case: str, secrets: list[str]) -> None:
    """Loads the scenario with its secrets, waits for recording, runs its after-start part."""
    page.add_init_script(f"window.SECRETS = {json.dumps(secrets)};")
    page.goto(tap.url(f"{LAB}?case={case}"))
    page.wait_for_function("window.sessiontape.recorder && window.sessiontape.recorder.sessionId")
    page.evaluate("window.lab.after()")


def type_into_field(page: Page, text: str) -> None:
    """Types into the scenario's field (wherever it is: shadow root, closed one, frame)."""
    page.evaluate("window.lab.field().focus()")
    page.keyboard.type(text, delay=2)


def add_by_script(page: Page, text: str) -> None:
    page.evaluate("s => { const f = window.lab.field(); f.value = f.value + s; }", text)


def finish(page: Page, tap: Tap) -> str:
    """Types into the ordinary field, sends everything, returns what was sent."""
    page.locator("#plain").press_sequentially("plain typing", delay=2)
    page.evaluate("window.sessiontape.recorder.flush()")
    sent = tap.ingested_text()
    assert ORDINARY in sent
    assert "plain typing" in sent
    return sent


def slow_frames(page: Page) -> None:
    """The scenario's frame page answers a second late: it loads after recording has started."""

    def late(route: Route) -> None:
        time.sleep(1)
        route.continue_()

    page.route("**/mech-frame.html*", late)


# Each: the scenario, and ordinary text of its tree that must arrive (None: not recorded at all).
EVER_A_PASSWORD = [
    ("upper-markup", None),
    ("shadow-open-at-parse", "Ordinary shadow text"),
    ("shadow-closed-at-parse", None),  # a closed root met before recording is never recorded
    ("shadow-open-same-task", "Ordinary shadow text"),
    ("shadow-closed-same-task", "Ordinary shadow text"),
    ("custom-element-same-task", None),
    ("custom-element-closed-shadow", "Ordinary shadow text"),
    ("frame-write-same-task", "Ordinary frame text"),
    ("frame-write-later-toggle", "Ordinary frame text"),
    pytest.param(
        "frame-srcdoc-at-parse",
        "Ordinary frame text",
        # The frame's own script shows the field as text while the frame parses, before the
        # recorder can reach that document (a limit, documented): it leaks when the frame
        # document is newer than the recorder's watch on the frame.
        marks=pytest.mark.xfail(
            reason="a srcdoc frame toggling at parse is not seen", strict=False
        ),
    ),
    ("frame-page-at-parse", "Ordinary frame text"),
    ("swap-same-name", None),
    ("swap-anonymous", None),
]


@pytest.mark.parametrize(("case", "nearby"), EVER_A_PASSWORD)
def test_ever_a_password(page: Page, tap: Tap, case: str, nearby: str | None):
    prefilled, typed, scripted = secret(), secret(), secret()
    open_case(page, tap, case, [prefilled])
    assert page.evaluate("window.lab.field().type") == "text"  # shown as text by now
    type_into_field(page, typed)
    add_by_script(page, scripted)
    whole = page.evaluate("window.lab.field().value")
    assert typed in whole
    assert scripted in whole
    sent = finish(page, tap)

    if nearby:
        assert nearby in sent
    assert_never_sent(tap, prefilled, typed, scripted, whole)


CONTEXTS = ["shadow-text-open", "shadow-text-closed", "frame-slow-mask", "frame-write-mask"]


@pytest.mark.parametrize("case", CONTEXTS)
def test_masked_context_reaches_children_of_documents_and_shadow_roots(
    page: Page, tap: Tap, case: str
):
    texts = [secret(), secret(), secret()]
    typed = secret()
    if "slow" in case:
        slow_frames(page)
    open_case(page, tap, case, texts)
    if "frame" in case:
        type_into_field(page, typed)
    sent = finish(page, tap)

    assert_never_sent(tap, *texts, length_too=False)
    if "frame" in case:
        # The frame's text, set after it was first recorded, arrived masked (same length).
        assert star_runs(sent, len(texts[1])) >= 1
        assert star_runs(sent, len(texts[2])) >= 1
        assert "******** ***** ****" in sent  # "Ordinary frame text"
        assert_never_sent(tap, typed, length_too=False)
    else:
        assert star_runs(sent, len(texts[0])) >= 1
        assert "****** *********" in sent  # "Shadow paragraph"


@pytest.mark.parametrize("case", ["frame-slow-ignore", "frame-write-ignore"])
def test_ignored_context_reaches_frames_loaded_late_or_written(page: Page, tap: Tap, case: str):
    texts = [secret(), secret(), secret()]
    typed = secret()
    if "slow" in case:
        slow_frames(page)
    open_case(page, tap, case, texts)
    type_into_field(page, typed)
    sent = finish(page, tap)

    assert texts[1] in sent
    assert texts[2] in sent
    assert_never_sent(tap, typed)


def test_comments_in_masked_content_are_masked(page: Page, tap: Tap):
    texts = [secret(), secret(), secret()]
    open_case(page, tap, "comments-masked", texts)
    sent = finish(page, tap)

    assert star_runs(sent, len(texts[0])) >= 1
    assert star_runs(sent, len(texts[2])) >= 1
    assert_never_sent(tap, *texts, length_too=False)


def test_srcdoc_is_never_recorded(page: Page, tap: Tap):
    texts = [secret(), secret(), secret()]
    open_case(page, tap, "srcdoc-never", texts)
    sent = finish(page, tap)

    assert "Ordinary frame text" in sent  # the frame's document itself is recorded
    assert '"srcdoc":"' not in sent  # neither in the snapshot nor in the change (sent as removal)
    assert_never_sent(tap, texts[0], texts[2])
    assert_never_sent(tap, texts[1], length_too=False)  # masked frame text keeps its length


def test_private_select_options_keep_no_selection_attributes(page: Page, tap: Tap):
    open_case(page, tap, "select-expiry", [])
    page.select_option("#exp", "07")
    page.select_option("#colour", "blue")
    finish(page, tap)

    events = sent_events(tap)
    for month in range(1, 13):
        names = set(attributes_sent(events, f"exp-{month:02}"))
        assert names <= {"id"}, f"exp-{month:02} sent {names}"
    assert set(attributes_sent(events, "exp")) <= {"id", "name"}
    # The same page code on an ordinary select is recorded: the mechanism is what differs.
    assert "selected" in attributes_sent(events, "col-blue")


def test_ignored_radio_group_keeps_no_checked_or_values(page: Page, tap: Tap):
    values = [secret(), secret(), secret()]
    open_case(page, tap, "radio-ignored", values)
    page.check("#q2")
    page.check("#q3")
    page.check("#r1")
    finish(page, tap)

    events = sent_events(tap)
    for element_id in ("q1", "q2", "q3"):
        names = set(attributes_sent(events, element_id))
        assert names <= {"id", "type", "name"}, f"{element_id} sent {names}"
    assert_never_sent(tap, *values)
    plain = attributes_sent(events, "r1")
    assert "plain-one" in plain["data-chosen"]
    assert plain.get("checked")


def test_attributes_a_page_mirrors_from_private_fields_are_dropped(page: Page, tap: Tap):
    password, card = secret(), "4539 1488 0343 6467"
    open_case(page, tap, "mirrored-value", [])
    page.locator("#f").press_sequentially(password, delay=2)
    page.locator("#card").press_sequentially(card, delay=2)
    page.locator("#mirrored-plain").press_sequentially("Ordinary city", delay=2)
    sent = finish(page, tap)

    events = sent_events(tap)
    assert set(attributes_sent(events, "f")) <= {"id", "type", "name"}
    assert set(attributes_sent(events, "card")) <= {"id", "type"}
    assert "Ordinary city" in attributes_sent(events, "mirrored-plain")["data-value"]
    assert_never_sent(tap, password)
    assert "4539 1488" not in sent
    assert "1488 0343" not in sent


def test_recording_is_script_free(page: Page, tap: Tap):
    code = [secret() for _ in range(11)]
    open_case(page, tap, "script-free", code)
    sent = finish(page, tap)

    assert "Ordinary button" in sent
    assert "https://example.com/ordinary-link" in sent
    assert "javascript:" not in sent.lower()
    assert "vbscript:" not in sent.lower()
    assert "data:text/html" not in sent
    assert_never_sent(tap, *code)


def test_credentials_in_meta_tags_are_dropped(page: Page, tap: Tap):
    tokens = [secret() for _ in range(4)]
    open_case(page, tap, "meta-credentials", tokens)
    sent = finish(page, tap)

    assert "Ordinary description of the mechanisms lab" in sent
    assert "ordinary keywords" in sent
    assert "csrf-token" in sent  # the tag stays, without its content
    assert_never_sent(tap, *tokens)


def test_editable_region_in_ignored_markup_is_ignored_like_a_field(page: Page, tap: Tap):
    initial, added_by_script, typed = secret(), secret(), secret()
    open_case(page, tap, "editable-ignored", [initial, added_by_script])
    type_into_field(page, typed)
    page.locator("#ed-plain").press_sequentially(" and more", delay=2)
    sent = finish(page, tap)

    assert "Ordinary editable text" in sent
    assert_never_sent(tap, initial, added_by_script, typed)


def test_field_of_an_ignored_form_is_ignored(page: Page, tap: Tap):
    typed = secret()
    open_case(page, tap, "form-attribute-ignored", [])
    type_into_field(page, typed)
    sent = finish(page, tap)

    assert "Ordinary form text" in sent
    assert_never_sent(tap, typed)


def serve_page(page: Page, tap: Tap, collector: Collector, path: str, body: str) -> None:
    """Serves `body` in a page with the recorder's tag at `path`, opens it, waits for recording."""
    html = (
        '<!doctype html><html><head><meta charset="utf-8"><title>Case</title>'
        f'<script src="/recorder.js" data-endpoint="/" data-key="{collector.write_key}"></script>'
        f'</head><body><p>{ORDINARY}</p><input id="plain">{body}</body></html>'
    )
    page.route(
        tap.url(path) + "*",
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    page.goto(tap.url(path))
    page.wait_for_function("window.sessiontape.recorder && window.sessiontape.recorder.sessionId")


LATE_NESTED_FRAMES = """
<iframe id="outer"></iframe><div id="host"></div>
<script>
  const outer = document.getElementById("outer").contentDocument;
  outer.body.innerHTML = "<p>Outer frame words</p><iframe id='nested'></iframe>";
  const root = document.getElementById("host").attachShadow({ mode: "open" });
  root.innerHTML = "<p>Shadow words</p><iframe id='in-shadow'></iframe>";
  const load = (frame, words) => new Promise((done) => {
    frame.addEventListener("load", () => {
      frame.contentDocument.body.insertAdjacentHTML("beforeend", "<p>" + words + "</p>");
      done();
    }, { once: true });
    frame.src = "/demo/privacy-lab/frame.html";
  });
  window.nested = () => outer.getElementById("nested");
  window.inShadow = () => root.getElementById("in-shadow");
  // Called once recording runs: both frames load their page late.
  window.loadLate = () => Promise.all([
    load(window.nested(), "Nested frame words"), load(window.inShadow(), "Shadow frame words"),
  ]);
</script>"""


def node_id(tap: Tap, element_id: str) -> int:
    ids = [
        n["id"]
        for n in serialized_nodes(sent_events(tap))
        if n.get("attributes", {}).get("id") == element_id
    ]
    assert ids, f"#{element_id} was not recorded"
    return int(ids[0])


def type_in_frame(page: Page, frame: str, field: str, text: str) -> None:
    page.evaluate(f"{frame}.focus(); {frame}.contentDocument.getElementById('{field}').focus()")
    page.keyboard.type(text, delay=2)


def test_frames_loading_late_inside_frames_and_shadow_roots_are_recorded(
    page: Page, tap: Tap, collector: Collector
):
    password = secret()
    serve_page(page, tap, collector, "/lab/late-nested-frames.html", LATE_NESTED_FRAMES)
    page.evaluate("window.loadLate()")
    type_in_frame(page, "window.nested()", "frame-name", "nested name")
    type_in_frame(page, "window.inShadow()", "frame-name", "shadow name")
    type_in_frame(page, "window.nested()", "frame-pw", password)
    sent = finish(page, tap)

    for words in ("Outer frame words", "Shadow words", "Nested frame words", "Shadow frame words"):
        assert words in sent
    assert sent.count("Frame text that may be recorded") >= 2  # the page each frame loaded
    inputs = [
        e["data"]["text"] for e in sent_events(tap) if e["type"] == 3 and e["data"]["source"] == 5
    ]
    assert "nested name" in inputs
    assert "shadow name" in inputs
    # Each frame's new document is attached under its iframe; what it adds later names it as root.
    for frame in ("nested", "in-shadow"):
        attached = [
            a
            for e in sent_events(tap)
            if e["type"] == 3 and e["data"]["source"] == 0 and e["data"].get("isAttachIframe")
            for a in e["data"]["adds"]
            if a["parentId"] == node_id(tap, frame)
        ]
        doc_id = attached[-1]["node"]["id"]  # the page loaded late (after about:blank)
        words = "Nested frame words" if frame == "nested" else "Shadow frame words"
        added = [
            a
            for e in sent_events(tap)
            if e["type"] == 3 and e["data"]["source"] == 0
            for a in e["data"]["adds"]
            if a["node"].get("textContent") == words
        ]
        assert [a["node"].get("rootId") for a in added] == [doc_id]
    assert_never_sent(tap, password)  # the rules hold in those frames


FIELDS_LEAVING_UNSEEN_MARKUP = """
<div id="host"></div>
<div data-st-block><iframe id="blocked-frame"></iframe></div>
<div id="out"></div>
<script>
  // Ignored markup the recording never shows: in a closed shadow root attached before recording
  // starts, and in a frame inside a blocked box.
  const root = document.getElementById("host").attachShadow({ mode: "closed" });
  root.innerHTML = "<section data-st-ignore><input id='in-closed'></section>";
  const doc = document.getElementById("blocked-frame").contentDocument;
  doc.body.innerHTML = "<section data-st-ignore><textarea id='in-frame'></textarea></section>";
  window.fields = {
    closed: root.getElementById("in-closed"), frame: doc.getElementById("in-frame"),
  };
  window.moveOut = (which) => document.getElementById("out").appendChild(window.fields[which]);
</script>"""


def test_fields_moved_out_of_ignored_markup_the_recording_never_showed_stay_private(
    page: Page, tap: Tap, collector: Collector
):
    in_closed, in_frame, after = secret(), secret(), secret()
    serve_page(page, tap, collector, "/lab/unseen-ignored.html", FIELDS_LEAVING_UNSEEN_MARKUP)
    page.evaluate("window.fields.closed.focus()")
    page.keyboard.type(in_closed, delay=1)
    page.evaluate("document.getElementById('blocked-frame').focus(); window.fields.frame.focus()")
    page.keyboard.type(in_frame, delay=1)
    page.evaluate("window.moveOut('closed'); window.moveOut('frame')")
    page.evaluate("window.fields.closed.focus()")
    page.keyboard.type(after, delay=1)  # typed once the field is in recorded markup
    assert page.evaluate("window.fields.closed.value") == in_closed + after
    sent = finish(page, tap)

    events = sent_events(tap)
    assert "in-closed" in attributes_sent(events, "in-closed")["id"]  # the fields arrived ...
    assert "in-frame" in attributes_sent(events, "in-frame")["id"]
    assert "Ordinary text that may be recorded" in sent
    assert_never_sent(tap, in_closed, in_frame, after)  # ... without their values
