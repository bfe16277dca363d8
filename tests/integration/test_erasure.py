"""Erasure is verifiable: once ``DELETE /v1/sessions/{id}`` has answered, no byte of that
session's events is left in any file of the data directory (the database, its WAL, free pages),
while every other session stays whole."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Collector, start_collector, stop_collector
from tests.integration.conftest import create_site
from tests.integration.viewer_session import crafted_events, upload

WINDOW = 48
DAY_MS = 86_400_000


@pytest.fixture
def own_collector(tmp_path: Path) -> Iterator[Collector]:
    (tmp_path / "data").mkdir()
    running = start_collector(tmp_path / "data")
    yield running
    stop_collector(running)


def marked_events(marker: str) -> list[dict]:
    events = crafted_events()
    events[1]["data"]["node"]["childNodes"][1]["childNodes"][1]["childNodes"][0]["childNodes"][0][
        "textContent"
    ] = marker
    events[6]["data"]["text"] = marker  # typed into a field, too
    return events


def stored_blobs(database: Path, session_id: str) -> list[bytes]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT events FROM batches WHERE session_id = ?", (session_id,))
        return [bytes(row[0]) for row in rows]


def fingerprints(blobs: list[bytes]) -> list[bytes]:
    """Pieces of the stored (compressed) bytes, from their start, middle and end."""
    pieces = []
    for blob in blobs:
        assert len(blob) > 3 * WINDOW
        for start in (8, len(blob) // 2, len(blob) - WINDOW - 8):
            pieces.append(blob[start : start + WINDOW])
    return pieces


def files_containing(data_dir: Path, needles: list[bytes]) -> dict[str, int]:
    found: dict[str, int] = {}
    for path in data_dir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            hits = sum(1 for needle in needles if needle in content)
            if hits:
                found[path.name] = hits
    return found


@pytest.mark.sqlite_only("scans the SQLite files; see tests/integration/postgres")
def test_no_byte_of_an_erased_session_remains_in_the_data_directory(own_collector: Collector):
    marker = "ERASE-ME-" + uuid.uuid4().hex
    database = own_collector.data_dir / "sessiontape.sqlite3"
    kept = upload(own_collector, own_collector.read_key, crafted_events())
    erased = upload(own_collector, own_collector.read_key, marked_events(marker))
    needles = [*fingerprints(stored_blobs(database, erased)), marker.encode()]
    # the scan finds the session while it is stored (so finding nothing later means something)
    assert files_containing(own_collector.data_dir, needles)

    answer = httpx.delete(
        own_collector.url(f"/v1/sessions/{erased}"),
        headers={"Authorization": f"Bearer {own_collector.read_key}"},
    )
    assert answer.status_code == 204

    assert files_containing(own_collector.data_dir, needles) == {}
    fetched = httpx.get(
        own_collector.url(f"/v1/sessions/{kept}/events"),
        headers={"Authorization": f"Bearer {own_collector.read_key}"},
    )
    assert len(fetched.json()["events"]) == len(crafted_events())


def test_the_collector_purges_sessions_past_their_sites_retention(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    running = start_collector(data, env={"SESSIONTAPE_PURGE_INTERVAL_S": "0.2"})
    try:
        shop = create_site(running, "short-lived")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sessiontape.cli",
                "sites",
                "update",
                "short-lived",
                "--retention-days",
                "1",
                "--data-dir",
                str(data),
            ],
            check=True,
            capture_output=True,
        )
        now = int(time.time() * 1000)
        old = upload(running, shop.read_key, shifted(crafted_events(), now - 2 * DAY_MS))
        recent = upload(running, shop.read_key, shifted(crafted_events(), now - DAY_MS // 2))
        headers = {"Authorization": f"Bearer {shop.read_key}"}
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if httpx.get(running.url(f"/v1/sessions/{old}"), headers=headers).status_code == 404:
                break
            time.sleep(0.1)
        assert httpx.get(running.url(f"/v1/sessions/{old}"), headers=headers).status_code == 404
        assert httpx.get(running.url(f"/v1/sessions/{recent}"), headers=headers).status_code == 200
    finally:
        stop_collector(running)


def shifted(events: list[dict], ending_at: int) -> list[dict]:
    shift = ending_at - max(e["timestamp"] for e in events)
    return [{**e, "timestamp": e["timestamp"] + shift} for e in events]
