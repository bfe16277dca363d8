"""A collector with ``SESSIONTAPE_BLOB_URL``: batches' bytes go to the S3-compatible store under
their session's prefix and the index keeps none; replay, click targets and upload identity read
them back from it; erasure deletes the prefix, leaving the marker in no object. Runs on the
backend ``--database`` chooses (moto's server stands in for the S3 wire protocol)."""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Collector, start_collector, stop_collector
from tests.integration.test_erasure import marked_events
from tests.integration.viewer_session import crafted_events
from tests.object_store import ObjectStore, running_object_store
from tests.stored_rows import select

BUCKET = "tapes"
PREFIX = "prod"


@pytest.fixture(scope="module")
def object_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObjectStore]:
    with running_object_store(tmp_path_factory.mktemp("s3")) as store:
        store.client().create_bucket(Bucket=BUCKET)  # type: ignore[attr-defined]
        yield store


@pytest.fixture
def blob_collector(object_store: ObjectStore, tmp_path: Path) -> Iterator[Collector]:
    env = {**object_store.env, "SESSIONTAPE_BLOB_URL": f"s3://{BUCKET}/{PREFIX}"}
    running = start_collector(tmp_path, env=env)
    yield running
    stop_collector(running)


def objects(store: ObjectStore, prefix: str = "") -> dict[str, bytes]:
    s3: Any = store.client()
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        for item in page.get("Contents", []):
            found[item["Key"]] = s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
    return found


def send(collector: Collector, session: str, seq: int, events: list[dict]) -> None:
    body = {"v": 1, "session": session, "window": "00000000000000a1", "seq": seq, "events": events}
    answer = httpx.post(
        collector.url("/v1/ingest"), params={"key": collector.write_key}, json=body, timeout=30
    )
    assert answer.status_code == 200, answer.text


def test_batches_live_in_the_object_store_and_go_with_their_session(
    blob_collector: Collector, object_store: ObjectStore
):
    site_id = json.loads((blob_collector.data_dir / "demo-site.json").read_text())["site"]
    read = {"Authorization": f"Bearer {blob_collector.read_key}"}
    marker = "ERASE-ME-" + uuid.uuid4().hex
    session = uuid.uuid4().hex
    events = marked_events(marker)
    send(blob_collector, session, 0, events[:3])  # the page and its snapshot, no click
    send(blob_collector, session, 1, events[3:])  # clicks: their targets need batch 0's DOM

    prefix = f"{PREFIX}/{site_id}/{session}/"
    stored = objects(object_store, prefix)
    assert len(stored) == 2
    assert any(marker.encode() in gzip.decompress(data) for data in stored.values())
    assert select(blob_collector.data_dir, "SELECT length(events) FROM batches") == [(0,), (0,)]

    replayed = httpx.get(blob_collector.url(f"/v1/sessions/{session}/events"), headers=read)
    assert replayed.json()["events"] == events
    heatmap = httpx.get(
        blob_collector.url("/v1/heatmaps/clicks"),
        params={"url": "https://shop.example/"},
        headers=read,
    ).json()
    assert "button" in heatmap["elements"][0]["target"]  # resolved from batch 0's snapshot

    upload = {"session": session, "events": events}
    same = httpx.post(blob_collector.url("/v1/sessions"), json=upload, headers=read)
    assert (same.status_code, same.json()["stored"]) == (200, False)  # the same events
    other = {"session": session, "events": crafted_events()}
    assert (
        httpx.post(blob_collector.url("/v1/sessions"), json=other, headers=read).status_code == 409
    )

    deleted = httpx.delete(blob_collector.url(f"/v1/sessions/{session}"), headers=read)
    assert deleted.status_code == 204
    assert objects(object_store, prefix) == {}
    everything = objects(object_store)
    assert not any(marker.encode() in gzip.decompress(data) for data in everything.values())
