"""The collector over real HTTP: ingest batches, read them back through the SDK."""

from __future__ import annotations

import gzip
import json

import httpx
import pytest

from sessiontape import AuthenticationError, Client, NotFoundError, PermissionDeniedError
from sessiontape.collector import Settings
from tests.conftest import Collector
from tests.integration.conftest import SiteKeys, batch, click, meta, new_session_id

LIMITS = Settings()


def ingest(collector: Collector, body: bytes | dict, key: str | None = None) -> httpx.Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return httpx.post(
        collector.url("/v1/ingest"),
        params={"key": key or collector.write_key},
        content=raw,
        headers={"Content-Type": "text/plain;charset=UTF-8"},
    )


def test_batches_are_stored_and_read_back_in_order(collector: Collector):
    """Each tab's events keep the order they were sent in; tabs interleave by time."""
    session = new_session_id()
    tab_a, tab_b = "00000000000000a1", "00000000000000b2"
    first = batch(session, 0, [meta("http://shop.test/a", 1000), click(5, 1001)], tab_a)
    second = batch(session, 1, [click(6, 1005)], tab_a)
    other_tab = batch(session, 0, [meta("http://shop.test/b", 1004)], tab_b)
    assert ingest(collector, first).json() == {"stored": True}
    assert ingest(collector, gzip.compress(json.dumps(second).encode())).json() == {"stored": True}
    assert ingest(collector, other_tab).json() == {"stored": True}

    with Client(collector.base_url, collector.read_key) as client:
        summary = client.sessions.get(session)
        recording = client.sessions.fetch(session)
        listed = [s.id for s in client.sessions.list()]

    assert session in listed
    assert summary.event_count == 4
    assert (summary.batch_count, summary.window_count, summary.click_count) == (3, 2, 2)
    assert (summary.first_url, summary.last_url) == ("http://shop.test/a", "http://shop.test/b")
    assert summary.duration_ms == 5
    assert [e.timestamp for e in recording.events] == [1000, 1001, 1004, 1005]
    assert [c.node_id for c in recording.clicks()] == [5, 6]
    assert [p.url for p in recording.pages()] == ["http://shop.test/a", "http://shop.test/b"]


def test_a_repeated_batch_is_acknowledged_and_stored_once(collector: Collector):
    session = new_session_id()
    body = batch(session, 0, [meta("http://shop.test/", 10), click(3, 11)])
    assert ingest(collector, body).json() == {"stored": True}
    assert ingest(collector, body).json() == {"stored": False}
    with Client(collector.base_url, collector.read_key) as client:
        assert client.sessions.get(session).event_count == 2
        assert len(client.sessions.fetch(session).events) == 2


def test_list_pages_through_every_session(collector: Collector):
    sessions = {new_session_id() for _ in range(5)}
    for n, session in enumerate(sorted(sessions)):
        ingest(collector, batch(session, 0, [meta("http://shop.test/", 10_000 + n)]))
    with Client(collector.base_url, collector.read_key) as client:
        seen = [s.id for s in client.sessions.list(page_size=2)]
    assert sessions <= set(seen)
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{broken", 400, "invalid_batch"),
        (
            {"v": 1, "session": "nothex", "window": "00000000000000a1", "seq": 0, "events": [{}]},
            400,
            "invalid_batch",
        ),
        (b"", 400, "empty_body"),
        (b"x" * (LIMITS.max_body_bytes + 1), 413, "body_too_large"),
        (gzip.compress(b" " * (LIMITS.max_decompressed_bytes + 1)), 413, "body_too_large"),
    ],
)
def test_bad_batches_get_a_precise_error(collector: Collector, body, status, code):
    response = ingest(collector, body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_ingest_without_a_known_key_is_refused(collector: Collector):
    body = batch(new_session_id(), 0, [meta("http://shop.test/", 1)])
    assert ingest(collector, body, key="st_pk_unknown").status_code == 401
    assert httpx.post(collector.url("/v1/ingest"), content=json.dumps(body)).status_code == 401


def test_reading_needs_the_sites_read_key(collector: Collector):
    with Client(collector.base_url, "st_sk_wrong") as client, pytest.raises(AuthenticationError):
        client.sessions.get(new_session_id())
    with (
        Client(collector.base_url, collector.write_key) as client,
        pytest.raises(PermissionDeniedError),
    ):
        next(iter(client.sessions.list()))


def test_a_site_never_sees_another_sites_sessions(collector: Collector, other_site: SiteKeys):
    mine = new_session_id()
    ingest(collector, batch(mine, 0, [meta("http://shop.test/mine", 1)]))
    theirs = new_session_id()
    ingest(collector, batch(theirs, 0, [meta("http://other.test/", 1)]), key=other_site.write_key)

    with Client(collector.base_url, other_site.read_key) as client:
        assert [s.id for s in client.sessions.list()] == [theirs]
        with pytest.raises(NotFoundError):
            client.sessions.fetch(mine)
    with Client(collector.base_url, collector.read_key) as client, pytest.raises(NotFoundError):
        client.sessions.get(theirs)
