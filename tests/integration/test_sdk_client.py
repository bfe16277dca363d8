"""Every SDK method, sync and async, against a live collector process."""

from __future__ import annotations

import gzip
import json
import time
import zlib

import httpx
import pytest

from sessiontape import (
    APIConnectionError,
    AsyncClient,
    BadRequestError,
    Client,
    InternalServerError,
    NotFoundError,
    RateLimitError,
)
from sessiontape.codec import load_events
from sessiontape.events import MetaEvent
from tests.conftest import Collector, free_port, run_async
from tests.integration.conftest import batch, click, meta, new_session_id
from tests.integration.flaky_proxy import flaky_proxy


def ingest(collector: Collector, body: dict) -> None:
    response = httpx.post(
        collector.url("/v1/ingest"), params={"key": collector.write_key}, content=json.dumps(body)
    )
    response.raise_for_status()


def recorded_session(collector: Collector, url: str, started: int, clicks: int = 0) -> str:
    session = new_session_id()
    events = [meta(url, started)] + [click(3, started + 100 * (i + 1)) for i in range(clicks)]
    ingest(collector, batch(session, 0, events))
    return session


@pytest.fixture
def client(collector: Collector):
    with Client(collector.base_url, collector.read_key) as sync_client:
        yield sync_client


def test_list_filters_by_url_duration_clicks_and_time(collector: Collector, client: Client):
    base = int(time.time() * 1000) + 10_000_000  # later than anything else in this collector
    checkout = recorded_session(collector, "http://shop.test/checkout?step=2", base, clicks=3)
    browsing = recorded_session(collector, "http://shop.test/products", base + 1)
    idle = recorded_session(collector, "http://shop.test/checkout", base + 2)

    def ids(**filters):
        return {s.id for s in client.sessions.list(started_after=base, **filters)}

    assert ids() == {checkout, browsing, idle}
    assert ids(url_contains="/checkout") == {checkout, idle}
    assert ids(has_clicks=True) == {checkout}
    assert ids(has_clicks=False) == {browsing, idle}
    assert ids(min_duration_ms=300) == {checkout}
    assert ids(started_before=base + 2) == {checkout, browsing}


def test_list_finds_single_page_app_routes_and_shows_the_last_one(
    collector: Collector, client: Client
):
    base = int(time.time() * 1000) + 15_000_000
    session = recorded_session(collector, "http://shop.test/app", base)
    payload = {"href": "http://shop.test/app#/orders/7"}
    route = {"type": 5, "timestamp": base + 500, "data": {"tag": "navigation", "payload": payload}}
    ingest(collector, batch(session, 1, [route]))

    assert [s.id for s in client.sessions.list(url_contains="#/orders/7")] == [session]
    assert client.sessions.get(session).last_url == "http://shop.test/app#/orders/7"


def test_list_paginates_lazily_across_pages(collector: Collector, client: Client):
    base = int(time.time() * 1000) + 20_000_000
    made = [recorded_session(collector, "http://shop.test/p", base + n) for n in range(7)]
    listed = [s.id for s in client.sessions.list(started_after=base, page_size=3)]
    assert listed == list(reversed(made)), "newest first, every session once"


def test_upload_fetch_iterate_and_delete(collector: Collector, client: Client):
    events = [meta("http://shop.test/imported", 5_000), click(7, 5_010), click(7, 5_020)]
    first = client.sessions.upload(events)
    again = client.sessions.upload(events)
    assert first.stored
    assert not again.stored
    assert first.id == again.id

    recording = client.sessions.fetch(first.id)
    assert [e.timestamp for e in recording.events] == [5_000, 5_010, 5_020]
    streamed = list(client.sessions.iter_events(first.id))
    assert [e.timestamp for e in streamed] == [5_000, 5_010, 5_020]
    assert isinstance(streamed[0], MetaEvent)
    assert client.sessions.get(first.id).click_count == 2

    client.sessions.delete(first.id)
    with pytest.raises(NotFoundError):
        client.sessions.fetch(first.id)
    with pytest.raises(NotFoundError):
        client.sessions.delete(first.id)


def test_upload_of_a_fetched_recording_keeps_its_id(collector: Collector, client: Client):
    session = recorded_session(collector, "http://shop.test/original", 9_000, clicks=1)
    recording = client.sessions.fetch(session)
    client.sessions.delete(session)
    assert client.sessions.upload(recording).id == session
    assert client.sessions.fetch(session).to_rrweb_json() == recording.to_rrweb_json()


def test_upload_accepts_rrweb_packer_events(client: Client):
    plain = [meta("http://shop.test/packed", 1), click(2, 2)]
    packed = [zlib.compress(json.dumps({**e, "v": "v1"}).encode()).decode("latin-1") for e in plain]
    result = client.sessions.upload(load_events(json.dumps(packed)))
    assert [e.timestamp for e in client.sessions.fetch(result.id).events] == [1, 2]


def test_malformed_upload_is_refused_and_stores_nothing(collector: Collector, client: Client):
    session = new_session_id()
    with pytest.raises(BadRequestError, match=r"events\[1\]"):
        client.sessions.upload(
            [meta("http://x/", 1), {"type": 3, "timestamp": 2}], session_id=session
        )
    with pytest.raises(NotFoundError):
        client.sessions.get(session)
    raw = httpx.post(
        collector.url("/v1/sessions"),
        headers={"Authorization": f"Bearer {collector.read_key}"},
        content=gzip.compress(b"[" * 50_000),
    )
    assert raw.status_code == 400


def test_retries_after_503_then_succeeds(collector: Collector):
    session = recorded_session(collector, "http://shop.test/retry", 1_000)
    with flaky_proxy(collector.base_url, failures=2) as proxy:
        with Client(proxy.url, collector.read_key, max_retries=2) as flaky:
            assert flaky.sessions.get(session).id == session
        assert proxy.requests == 3


def test_gives_up_with_a_typed_error_when_retries_run_out(collector: Collector):
    with flaky_proxy(collector.base_url, failures=10) as proxy:
        with Client(proxy.url, collector.read_key, max_retries=1) as flaky:
            with pytest.raises(InternalServerError) as raised:
                flaky.sessions.get(new_session_id())
        assert raised.value.message == "try again"
        assert proxy.requests == 2
    with flaky_proxy(collector.base_url, failures=10, status=429) as proxy:
        with Client(proxy.url, collector.read_key, max_retries=0) as limited:
            with pytest.raises(RateLimitError):
                limited.sessions.get(new_session_id())


def test_unreachable_collector_is_a_connection_error():
    with Client(f"http://127.0.0.1:{free_port()}", "st_sk_x", max_retries=1) as nowhere:
        with pytest.raises(APIConnectionError):
            nowhere.sessions.get(new_session_id())


def test_async_client_has_the_same_surface(collector: Collector):
    async def scenario() -> None:
        async with AsyncClient(collector.base_url, collector.read_key) as client:
            uploaded = await client.sessions.upload([meta("http://shop.test/async", 42)])
            summary = await client.sessions.get(uploaded.id)
            assert summary.first_url == "http://shop.test/async"
            listed = [s.id async for s in client.sessions.list(url_contains="/async", page_size=1)]
            assert uploaded.id in listed
            recording = await client.sessions.fetch(uploaded.id)
            assert recording.pages()[0].url == "http://shop.test/async"
            streamed = [e async for e in client.sessions.iter_events(uploaded.id)]
            assert len(streamed) == 1
            with flaky_proxy(collector.base_url, failures=1) as proxy:
                async with AsyncClient(proxy.url, collector.read_key) as flaky:
                    assert (await flaky.sessions.get(uploaded.id)).id == uploaded.id
                assert proxy.requests == 2
            await client.sessions.delete(uploaded.id)
            with pytest.raises(NotFoundError):
                await client.sessions.get(uploaded.id)

    run_async(scenario())
