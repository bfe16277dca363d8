"""Rage and dead clicks, counted at ingest: crafted sessions on both sides of every threshold,
sent over HTTP as the recorder would (some split across batches), read back through the SDK."""

from __future__ import annotations

import json

import httpx
import pytest

from sessiontape import Client
from sessiontape.recording import DEAD_CLICK_WINDOW_MS, RAGE_RADIUS_PX, RAGE_WINDOW_MS
from tests.conftest import Collector
from tests.integration.insight_events import (
    BUTTON,
    BUTTON_LABEL,
    LINK,
    PARAGRAPH,
    batch,
    click,
    mutation,
    navigation,
    new_session_id,
    page_start,
)

T0 = 1_700_000_000_000


def ingest(collector: Collector, body: dict) -> None:
    response = httpx.post(
        collector.url("/v1/ingest"),
        params={"key": collector.write_key},
        content=json.dumps(body).encode(),
        headers={"Content-Type": "text/plain;charset=UTF-8"},
    )
    assert response.json() == {"stored": True}


def send(collector: Collector, url: str, *batches: list[dict]) -> str:
    """One session: the page, then each list of events as its own batch."""
    session = new_session_id()
    ingest(collector, batch(session, 0, page_start(url, T0)))
    for seq, events in enumerate(batches, start=1):
        ingest(collector, batch(session, seq, events))
    return session


@pytest.fixture(scope="module")
def client(collector: Collector):
    with Client(collector.base_url, collector.read_key) as sdk:
        yield sdk


def counts(client: Client, session: str) -> tuple[int, int]:
    summary = client.sessions.get(session)
    recording = client.sessions.fetch(session)
    expected = (len(recording.rage_clicks()), len(recording.dead_clicks()))
    assert (summary.rage_click_count, summary.dead_click_count) == expected  # one rule, two places
    return expected


def burst(at: int, *offsets: tuple[int, float]) -> list[dict]:
    """Clicks on the paragraph (never dead), ``(ms, px)`` after the first."""
    return [click(PARAGRAPH, at + ms, 100 + px, 100) for ms, px in offsets]


RAGE_CASES = {
    "three within the window and radius": ([(0, 0), (400, 0), (RAGE_WINDOW_MS, 0)], 1),
    "the third a millisecond late": ([(0, 0), (500, 0), (RAGE_WINDOW_MS + 1, 0)], 0),
    "three at the radius": ([(0, 0), (10, RAGE_RADIUS_PX), (20, 0)], 1),
    "the second a pixel beyond it": ([(0, 0), (10, RAGE_RADIUS_PX + 1), (20, 0)], 0),
    "two clicks": ([(0, 0), (10, 0)], 0),
    "five clicks are one burst": ([(0, 0), (10, 0), (20, 0), (30, 0), (40, 0)], 1),
    "two bursts": ([(0, 0), (10, 0), (20, 0), (3000, 0), (3010, 0), (3020, 0)], 2),
}


@pytest.mark.parametrize("case", RAGE_CASES)
def test_rage_clicks_on_both_sides_of_each_threshold(collector, client, case):
    offsets, rages = RAGE_CASES[case]
    session = send(collector, "http://rage.test/", burst(T0 + 100, *offsets))
    assert counts(client, session) == (rages, 0)


def test_a_rage_burst_split_across_batches_is_counted_once(collector, client):
    clicks = burst(T0 + 100, (0, 0), (200, 0), (400, 0), (600, 0))
    session = send(collector, "http://rage.test/", clicks[:2], clicks[2:3], clicks[3:])
    assert counts(client, session) == (1, 0)


DEAD_CASES = {
    "a button answered within the window": (
        [click(BUTTON, T0 + 100), mutation(T0 + 100 + DEAD_CLICK_WINDOW_MS)],
        0,
    ),
    "a button answered a millisecond late": (
        [click(BUTTON, T0 + 100), mutation(T0 + 101 + DEAD_CLICK_WINDOW_MS)],
        1,
    ),
    "a button never answered": ([click(BUTTON, T0 + 100)], 1),
    "the label inside a button": ([click(BUTTON_LABEL, T0 + 100)], 1),
    "a link that navigates": (
        [click(LINK, T0 + 100), *page_start("http://dead.test/more", T0 + 600)],
        0,
    ),
    "a link to a single-page route": (
        [click(LINK, T0 + 100), navigation("http://dead.test/r", T0 + 300)],
        0,
    ),
    "a paragraph is never dead": ([click(PARAGRAPH, T0 + 100)], 0),
}


@pytest.mark.parametrize("case", DEAD_CASES)
def test_dead_clicks_on_both_sides_of_the_window(collector, client, case):
    events, dead = DEAD_CASES[case]
    session = send(collector, "http://dead.test/", events)
    assert counts(client, session) == (0, dead)


def test_a_click_answered_in_the_next_batch_is_not_dead(collector, client):
    session = new_session_id()
    ingest(
        collector,
        batch(session, 0, [*page_start("http://dead.test/", T0), click(BUTTON, T0 + 900)]),
    )
    assert client.sessions.get(session).dead_click_count == 1  # nothing answered it yet
    ingest(collector, batch(session, 1, [mutation(T0 + 1500)]))
    assert counts(client, session) == (0, 0)


def test_sessions_list_filters_on_rage_and_dead_clicks(collector, client):
    host = f"http://filters-{new_session_id()[:8]}.test/"
    rage = send(collector, host, burst(T0 + 100, (0, 0), (10, 0), (20, 0)))
    dead = send(collector, host, [click(BUTTON, T0 + 100)])
    calm = send(collector, host, [click(BUTTON, T0 + 100), mutation(T0 + 200)])

    def ids(**filters: bool) -> set[str]:
        return {s.id for s in client.sessions.list(url_contains=host, **filters)}

    assert ids() == {rage, dead, calm}
    assert ids(has_rage_clicks=True) == {rage}
    assert ids(has_rage_clicks=False) == {dead, calm}
    assert ids(has_dead_clicks=True) == {dead}
    assert ids(has_dead_clicks=False, has_rage_clicks=False) == {calm}


def test_an_uploaded_recording_gets_its_counts_too(client):
    events = [
        *page_start("http://upload.test/", T0),
        *burst(T0 + 100, (0, 0), (10, 0), (20, 0)),
        click(BUTTON, T0 + 5_000),
    ]
    session = client.sessions.upload(events).id
    assert counts(client, session) == (1, 1)


OUT_OF_RANGE = 2**70


@pytest.mark.parametrize(
    "event",
    [
        click(OUT_OF_RANGE, T0 + 10),
        {
            "type": 4,
            "timestamp": T0 + 10,
            "data": {"href": "http://x.test/", "width": OUT_OF_RANGE, "height": 1e300},
        },
        {
            "type": 3,
            "timestamp": T0 + 10,
            "data": {"source": 4, "width": OUT_OF_RANGE, "height": 1},
        },
        {
            "type": 2,
            "timestamp": T0 + 10,
            "data": {"node": {"type": 0, "id": OUT_OF_RANGE, "childNodes": []}},
        },
        click(BUTTON, T0 + 10, box=[1e300, -1e300, 1e-300, 0]),
    ],
    ids=["click id", "meta size", "resize", "snapshot id", "box"],
)
def test_out_of_range_values_are_stored_without_facts_from_them(collector, client, event):
    session = send(collector, "http://range.test/", [event])
    assert client.sessions.get(session).event_count == 3
