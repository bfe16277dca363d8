"""A recorder that sends only its ``userAgent``: the collector lists the session, and the viewer
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


def ingest(collector: Collector, body: dict[str, Any]) -> None:
    answer = httpx.post(
        collector.url("/v1/ingest"),
        params={"key": collector.write_key},
        content=json.dumps(body).encode(),
        headers={"Content-Type": "text/plain;charset=UTF-8"},
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

    page = viewer.get("/sessions").text
    row = re.search(rf'<tr data-session-id="{session}">(.*?)</tr>', page, re.S)
    assert row, page
    assert "<td>Edge</td>" in row.group(1)
    assert "<td>Windows</td>" in row.group(1)
    shown = viewer.get(f"/sessions/{session}/timeline").json()["client"]
    assert (shown["browser"], shown["os"]) == ("Edge", "Windows")
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
