"""A recorder that sends only its ``userAgent``, or none at all (the browser's ``User-Agent``
header of the ingest request then names it): the collector lists the session, and the viewer
describes it, with the browser and OS that user agent names."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sessiontape import Client
from tests.conftest import Collector
from tests.integration.conftest import batch, click, meta, new_session_id
from tests.integration.viewer_session import upload

T0 = 1_764_500_000_000
EDGE_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70"
)
FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)


def viewer_shows(
    viewer: httpx.Client, session: str, url: str, names: tuple[str, str]
) -> dict[str, Any]:
    """Asserts the viewer's list row and side panel name the browser and OS `names`; returns the
    side panel's client. The list is filtered by the session's address: the shared collector
    lists newer sessions of other tests first."""
    page = viewer.get("/sessions", params={"url": url}).text
    row = re.search(rf'<tr data-session-id="{session}">(.*?)</tr>', page, re.S)
    assert row, page
    for name in names:
        assert f"<td>{name}</td>" in row.group(1)
    shown: dict[str, Any] = viewer.get(f"/sessions/{session}/timeline").json()["client"]
    assert (shown["browser"], shown["os"]) == names
    return shown


def client_event(payload: dict[str, Any], at: int) -> dict[str, Any]:
    return {"type": 5, "timestamp": at, "data": {"tag": "client", "payload": payload}}


def new_recorder_client(user_agent: str) -> dict[str, Any]:
    """What the recorder sends now: no ``browser``, no ``os``."""
    return {
        "userAgent": user_agent,
        "language": "de-DE",
        "timeZone": "Europe/Berlin",
        "screen": {"width": 1536, "height": 864},
        "devicePixelRatio": 1.25,
        "referrer": "",
    }


def ingest(collector: Collector, body: dict[str, Any], user_agent: str | None = None) -> None:
    """Posts as a browser would: ``user_agent`` is its ``User-Agent`` header (httpx's own when
    None)."""
    headers = {"Content-Type": "text/plain;charset=UTF-8"}
    if user_agent is not None:
        headers["User-Agent"] = user_agent
    answer = httpx.post(
        collector.url("/v1/ingest"),
        params={"key": collector.write_key},
        content=json.dumps(body).encode(),
        headers=headers,
    )
    assert answer.json() == {"stored": True}, answer.text


@pytest.fixture
def viewer(collector: Collector) -> Iterator[httpx.Client]:
    """The viewer, signed in with the demo site's read key."""
    with httpx.Client(base_url=collector.base_url, follow_redirects=False) as signed_in:
        answer = signed_in.post(
            "/signin",
            data={"key": collector.read_key, "next": "/sessions"},
            headers={"Origin": collector.base_url},
        )
        assert answer.status_code == 303, answer.text
        yield signed_in


def test_a_batch_with_only_a_user_agent_is_listed_with_its_browser_and_os(
    collector: Collector, viewer: httpx.Client
):
    session = new_session_id()
    events = [
        meta("http://shop.test/derived", T0),
        client_event(new_recorder_client(EDGE_ON_WINDOWS), T0 + 5),
        click(3, T0 + 100),
    ]
    ingest(collector, batch(session, 0, events))

    with Client(collector.base_url, collector.read_key) as client:
        summary = client.sessions.get(session)
        listed = next(s for s in client.sessions.list() if s.id == session)
    assert (summary.browser, summary.os) == ("Edge", "Windows")
    assert (listed.browser, listed.os) == ("Edge", "Windows")

    shown = viewer_shows(viewer, session, "shop.test/derived", ("Edge", "Windows"))
    assert shown["user_agent"] == EDGE_ON_WINDOWS


def test_names_an_older_recorder_or_an_upload_states_still_win(
    collector: Collector, viewer: httpx.Client
):
    stated = {**new_recorder_client(FIREFOX_ON_LINUX), "browser": "Tor Browser", "os": "Tails"}
    session = upload(
        collector,
        collector.read_key,
        [meta("http://shop.test/stated", T0), client_event(stated, T0)],
    )
    with Client(collector.base_url, collector.read_key) as client:
        summary = client.sessions.get(session)
    assert (summary.browser, summary.os) == ("Tor Browser", "Tails")
    shown = viewer.get(f"/sessions/{session}/timeline").json()["client"]
    assert (shown["browser"], shown["os"]) == ("Tor Browser", "Tails")


def test_an_upload_with_only_a_user_agent_gets_the_derived_names(collector: Collector):
    events = [
        meta("http://shop.test/uploaded", T0),
        client_event({"userAgent": FIREFOX_ON_LINUX}, T0),
    ]
    session = upload(collector, collector.read_key, events)
    with Client(collector.base_url, collector.read_key) as client:
        summary = client.sessions.get(session)
    assert (summary.browser, summary.os) == ("Firefox", "Linux")


def without_user_agent() -> dict[str, Any]:
    """What the recorder sends since it leaves the user agent to the request's header."""
    client = new_recorder_client(FIREFOX_ON_LINUX)
    del client["userAgent"]
    return client


def labels(collector: Collector, session: str) -> tuple[str | None, str | None]:
    with Client(collector.base_url, collector.read_key) as client:
        summary = client.sessions.get(session)
    return summary.browser, summary.os


def test_a_recorder_without_a_user_agent_is_named_by_its_requests_header(
    collector: Collector, viewer: httpx.Client
):
    session = new_session_id()
    events = [
        meta("http://shop.test/header", T0),
        client_event(without_user_agent(), T0 + 5),
        click(3, T0 + 100),
    ]
    ingest(collector, batch(session, 0, events), user_agent=FIREFOX_ON_WINDOWS)

    assert labels(collector, session) == ("Firefox", "Windows")
    shown = viewer_shows(viewer, session, "shop.test/header", ("Firefox", "Windows"))
    assert shown["language"] == "de-DE"
    assert shown["user_agent"] is None


def test_only_the_batch_with_the_client_event_names_the_browser(collector: Collector):
    session = new_session_id()
    first = [meta("http://shop.test/first", T0), client_event(without_user_agent(), T0 + 5)]
    ingest(collector, batch(session, 0, first), user_agent=FIREFOX_ON_WINDOWS)
    ingest(collector, batch(session, 1, [click(3, T0 + 900)]), user_agent=EDGE_ON_WINDOWS)
    assert labels(collector, session) == ("Firefox", "Windows")

    unlabelled = new_session_id()
    ingest(
        collector,
        batch(unlabelled, 0, [meta("http://shop.test/bare", T0), click(3, T0 + 5)]),
        user_agent=FIREFOX_ON_WINDOWS,
    )
    assert labels(collector, unlabelled) == (None, None)


def test_the_user_agent_the_page_states_wins_over_the_header(collector: Collector):
    session = new_session_id()
    events = [meta("http://shop.test/stated", T0), client_event({"userAgent": EDGE_ON_WINDOWS}, T0)]
    ingest(collector, batch(session, 0, events), user_agent=FIREFOX_ON_LINUX)
    assert labels(collector, session) == ("Edge", "Windows")


def test_an_over_long_header_is_read_only_as_far_as_its_first_512_characters(
    collector: Collector,
):
    """What follows the first 512 characters would name Edge on Windows; it is not read."""
    padded = FIREFOX_ON_LINUX + " " + "x" * (512 - len(FIREFOX_ON_LINUX))
    header = padded + " " + EDGE_ON_WINDOWS + " y" * 2_000
    session = new_session_id()
    events = [meta("http://shop.test/long", T0), client_event(without_user_agent(), T0 + 5)]
    ingest(collector, batch(session, 0, events), user_agent=header)
    assert labels(collector, session) == ("Firefox", "Linux")


def test_a_large_batch_parsed_in_a_worker_process_is_named_by_its_header(collector: Collector):
    """Over the collector's 64 KiB, the batch is prepared in another process."""
    session = new_session_id()
    large = {"type": 5, "timestamp": T0 + 9, "data": {"tag": "note", "payload": "n" * 100_000}}
    events = [meta("http://shop.test/large", T0), client_event(without_user_agent(), T0), large]
    ingest(collector, batch(session, 0, events), user_agent=FIREFOX_ON_WINDOWS)
    assert labels(collector, session) == ("Firefox", "Windows")


def test_an_upload_is_never_named_by_the_sdks_own_user_agent(collector: Collector):
    events = [meta("http://shop.test/upload", T0), client_event(without_user_agent(), T0)]
    session = upload(collector, collector.read_key, events)
    assert labels(collector, session) == (None, None)
