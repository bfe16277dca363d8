"""Two collector processes on one PostgreSQL database: a load generator sends each batch to either
at random, retrying (to either) until it is acknowledged; one process is killed with SIGKILL
mid-run and restarted. Every acknowledged batch is stored exactly once, and each session's
summary counts each of its batches once."""

from __future__ import annotations

import json
import random
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import Collector, start_collector, stop_collector
from tests.integration.conftest import batch, meta
from tests.object_store import ObjectStore, running_object_store

BUCKET = "tapes"
SESSIONS = 24
BATCHES_PER_SESSION = 20
EVENTS_PER_BATCH = 5
SENDERS = 8
KILL_AFTER = 150
"""Acknowledged batches before one collector is killed."""


def events_of(session: int, seq: int) -> list[dict]:
    start = 1_764_500_000_000 + session * 1_000_000 + seq * 100
    events = [meta(f"https://shop.example/s{session}/p{seq}", start)]
    events += [
        {"type": 3, "timestamp": start + i, "data": {"source": 1, "positions": []}}
        for i in range(1, EVENTS_PER_BATCH)
    ]
    return events


class LoadGenerator:
    def __init__(self, collectors: list[Collector], write_key: str) -> None:
        self.collectors = collectors
        self.write_key = write_key
        self.acknowledged = 0
        self.stored_answers: dict[tuple[str, int], int] = {}
        self.retries = 0
        self._lock = threading.Lock()
        self.killed = threading.Event()

    def send(self, session_id: str, session: int, seq: int) -> None:
        body = json.dumps(batch(session_id, seq, events_of(session, seq)))
        with httpx.Client(timeout=10) as client:
            while True:
                target = random.choice(self.collectors)
                try:
                    answer = client.post(
                        target.url("/v1/ingest"), params={"key": self.write_key}, content=body
                    )
                except httpx.TransportError:
                    answer = None
                if answer is not None and answer.status_code == 200:
                    break
                with self._lock:
                    self.retries += 1
                time.sleep(0.05)
        with self._lock:
            self.acknowledged += 1
            stored = int(answer.json()["stored"])
            key = (session_id, seq)
            self.stored_answers[key] = self.stored_answers.get(key, 0) + stored


@pytest.fixture(params=["database", "object-store"])
def object_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ObjectStore | None]:
    """Where the batches' bytes go: the database (None), or an S3-compatible store."""
    if request.param == "database":
        yield None
        return
    with running_object_store(tmp_path) as store:
        store.client().create_bucket(Bucket=BUCKET)  # type: ignore[attr-defined]
        yield store


def test_batches_retried_across_two_collectors_one_killed_are_stored_once(
    database_url: str, object_store: ObjectStore | None, tmp_path: Path
):
    blobs = {} if object_store is None else object_store.env
    if object_store is not None:
        blobs["SESSIONTAPE_BLOB_URL"] = f"s3://{BUCKET}/load"
    env = {
        **blobs,
        "SESSIONTAPE_DATABASE_URL": database_url,
        "SESSIONTAPE_INGEST_RATE_PER_SITE": "100000",
        "SESSIONTAPE_INGEST_BURST_PER_SITE": "100000",
    }
    first_dir, second_dir = tmp_path / "a", tmp_path / "b"
    first_dir.mkdir()
    second_dir.mkdir()
    first = start_collector(first_dir, env=env)
    shutil.copy(first_dir / "demo-site.json", second_dir / "demo-site.json")  # the same site
    second = start_collector(second_dir, env=env)
    session_ids = [f"{i:032x}" for i in range(1, SESSIONS + 1)]
    work = [
        (sid, n, seq) for n, sid in enumerate(session_ids) for seq in range(BATCHES_PER_SESSION)
    ]
    random.shuffle(work)
    load = LoadGenerator([first, second], first.write_key)
    try:
        with ThreadPoolExecutor(SENDERS) as senders:
            futures = [senders.submit(load.send, *item) for item in work]
            while load.acknowledged < KILL_AFTER:
                time.sleep(0.01)
            first.process.kill()  # SIGKILL: no shutdown, transactions cut where they stand
            first.process.wait()
            port = int(first.base_url.rsplit(":", 1)[1])
            restarted = start_collector(first_dir, port=port, env=env)
            load.collectors[0] = restarted
            for future in futures:
                future.result()
    finally:
        for running in load.collectors:
            stop_collector(running)
        if first.process.poll() is None:
            stop_collector(first)

    assert load.acknowledged == len(work)
    assert all(count <= 1 for count in load.stored_answers.values())
    with psycopg.connect(database_url) as conn:
        stored = conn.execute(
            "SELECT session_id, seq, event_count FROM batches ORDER BY session_id, seq"
        ).fetchall()
        summaries = conn.execute(
            "SELECT id, batch_count, event_count, window_count, page_count FROM sessions"
        ).fetchall()
    assert sorted((sid, seq) for sid, seq, _ in stored) == sorted((s, q) for s, _, q in work)
    assert {count for _, _, count in stored} == {EVENTS_PER_BATCH}
    assert sorted(summaries) == [
        (
            sid,
            BATCHES_PER_SESSION,
            BATCHES_PER_SESSION * EVENTS_PER_BATCH,
            1,
            BATCHES_PER_SESSION,
        )
        for sid in session_ids
    ]
    if object_store is not None:  # one object per batch, under its session's prefix
        s3: Any = object_store.client()
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="load/")
        keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
        assert len(keys) == len(work)
        assert {key.split("/")[2] for key in keys} == set(session_ids)
    print(f"retries: {load.retries}")
