"""A full disk: ingest answers 507 in the error shape, reads and erasure keep working, and the
collector recovers by itself once space is freed.

The disk is simulated deterministically by ``SESSIONTAPE_MAX_DATABASE_BYTES``, which caps the
database's pages (SQLite's ``max_page_count``): a write past it fails with SQLITE_FULL, the same
error a full file system gives.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Collector, start_collector, stop_collector
from tests.integration.conftest import batch, meta, new_session_id

pytestmark = pytest.mark.sqlite_only("caps the SQLite file's pages to simulate a full disk")


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Collector]:
    running = start_collector(tmp_path, env={"SESSIONTAPE_MAX_DATABASE_BYTES": str(600 << 10)})
    yield running
    stop_collector(running)


def noisy_batch(session: str) -> bytes:
    """About 20 KB that gzip cannot shrink."""
    noise = {
        "type": 5,
        "timestamp": 2,
        "data": {"tag": "noise", "payload": os.urandom(10_000).hex()},
    }
    return json.dumps(batch(session, 0, [meta("http://shop.test/", 1), noise]))


def test_a_full_disk_answers_507_keeps_reads_and_erasure_and_recovers(small_disk: Collector):
    client = httpx.Client(base_url=small_disk.base_url, timeout=30)
    auth = {"Authorization": f"Bearer {small_disk.read_key}"}
    stored: list[str] = []
    for _ in range(200):
        session = new_session_id()
        answer = client.post(
            "/v1/ingest", params={"key": small_disk.write_key}, content=noisy_batch(session)
        )
        if answer.status_code != 200:
            break
        stored.append(session)
    else:
        pytest.fail("the database never filled")
    assert answer.status_code == 507, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.json()["error"]["code"] == "storage_full"
    assert int(answer.headers["Retry-After"]) >= 1
    assert len(stored) > 5

    # Reads still work.
    assert client.get("/v1/sessions", headers=auth).status_code == 200
    events = client.get(f"/v1/sessions/{stored[0]}/events", headers=auth)
    assert events.status_code == 200
    assert len(events.json()["events"]) == 2
    # An upload is refused the same way.
    upload = client.post(
        "/v1/sessions",
        headers=auth,
        content=json.dumps(
            {"session": new_session_id(), "events": [meta("http://x/" + "y" * 60_000, 1)]}
        ),
    )
    assert upload.status_code == 507
    assert upload.json()["error"]["code"] == "storage_full"

    # Erasure works on a full disk, and frees room: ingest recovers without a restart.
    for session in stored[:3]:
        assert client.delete(f"/v1/sessions/{session}", headers=auth).status_code == 204
    again = client.post(
        "/v1/ingest", params={"key": small_disk.write_key}, content=noisy_batch(new_session_id())
    )
    assert again.status_code == 200, again.text
    assert client.get("/healthz").status_code == 200
