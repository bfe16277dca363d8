"""A visitor's real session in Chromium, recorded, stored and read back through the SDK."""

from __future__ import annotations

from playwright.sync_api import Page

from sessiontape import Client
from sessiontape.events import (
    FullSnapshotEvent,
    IncrementalSnapshotEvent,
    InputData,
    MetaEvent,
    MouseInteraction,
    MouseInteractionData,
    MouseMoveData,
    ScrollData,
)
from tests.conftest import Collector
from tests.e2e.conftest import by_id, events_of, find_element, flush_and_fetch, text_of


def incrementals(recording, data_type):
    return [
        e.data
        for e in events_of(recording, IncrementalSnapshotEvent)
        if isinstance(e.data, data_type)
    ]


def test_a_visit_is_recorded_and_read_back(page: Page, collector: Collector, sdk: Client):
    page.set_viewport_size({"width": 1000, "height": 700})
    page.goto(collector.url("/demo/index.html"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    heading = page.locator("h1").inner_text()

    page.mouse.move(50, 50)
    page.mouse.move(300, 200, steps=10)
    page.click("#hello-button")
    page.fill("#newsletter-email", "")
    page.locator("#newsletter-email").press_sequentially("ada@example.com", delay=10)
    page.mouse.wheel(0, 400)
    page.wait_for_function("window.scrollY > 0")
    page.wait_for_timeout(300)

    recording = flush_and_fetch(page, sdk)

    meta = events_of(recording, MetaEvent)[0]
    assert meta.data.href == page.url
    assert (meta.data.width, meta.data.height) == (1000, 700)

    snapshot = events_of(recording, FullSnapshotEvent)[0]
    assert heading in text_of(snapshot.data.node)

    button = find_element(recording, by_id("hello-button"))
    clicks = [
        data
        for data in incrementals(recording, MouseInteractionData)
        if data.type == MouseInteraction.CLICK
    ]
    assert [c.id for c in clicks] == [button["id"]]

    email = find_element(recording, by_id("newsletter-email"))
    typed = [data.text for data in incrementals(recording, InputData) if data.id == email["id"]]
    assert typed[-1] == "ada@example.com"
    assert len(typed) >= len("ada@example.com"), "one Input event per keystroke"

    assert sum(len(m.positions) for m in incrementals(recording, MouseMoveData)) >= 2
    assert any(s.y > 0 for s in incrementals(recording, ScrollData))


def test_the_session_is_listed(page: Page, collector: Collector, sdk: Client):
    page.goto(collector.url("/demo/index.html"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    recording = flush_and_fetch(page, sdk)
    summary = sdk.sessions.get(recording.id)
    assert summary.first_url == page.url
    assert recording.id in [s.id for s in sdk.sessions.list()]
