"""Reading and uploading sessions as streams: the merged order, the whole-or-nothing upload, and
memory that stays bounded on both ends."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sessiontape import Client
from sessiontape.errors import APIStatusError
from tests.conftest import Collector, start_collector, stop_collector
from tests.integration.conftest import batch, meta, new_session_id

MB = 1 << 20
LARGE_SESSION_EVENTS = 40_000


@pytest.fixture(scope="module")
def own_collector(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collector]:
    """A collector of this module's own, so its peak memory is this module's doing."""
    running = start_collector(tmp_path_factory.mktemp("streamed"))
    yield running
    stop_collector(running)


def _move(timestamp: int, node: int = 12) -> dict:
    positions = [{"x": i * 3, "y": i * 2, "id": node, "timeOffset": -i * 50} for i in range(8)]
    return {"type": 3, "timestamp": timestamp, "data": {"source": 1, "positions": positions}}


def _typed(timestamp: int, text: str) -> dict:
    data = {"source": 5, "id": 40, "text": text, "isChecked": False}
    return {"type": 3, "timestamp": timestamp, "data": data}


def _ingest(collector: Collector, session: str, window: str, seq: int, events: list[dict]) -> None:
    body = gzip.compress(json.dumps(batch(session, seq, events, window=window)).encode())
    httpx.post(
        collector.url(f"/v1/ingest?key={collector.write_key}"), content=body
    ).raise_for_status()


def _read(collector: Collector, session: str, accept: str) -> bytes:
    headers = {"Authorization": f"Bearer {collector.read_key}", "Accept": accept}
    response = httpx.get(collector.url(f"/v1/sessions/{session}/events"), headers=headers)
    response.raise_for_status()
    return response.content


def test_windows_merge_by_time_and_batches_keep_their_order(own_collector: Collector):
    session = new_session_id()
    # Three tabs, each sending two batches; together they count 1..12 in time.
    for offset, window in enumerate(("00000000000000a1", "00000000000000a2", "00000000000000a3")):
        stamps = [1 + offset + 3 * i for i in range(4)]
        _ingest(own_collector, session, window, 0, [_move(t) for t in stamps[:2]])
        _ingest(own_collector, session, window, 1, [_move(t) for t in stamps[2:]])
    # A tie: the earlier window's event comes first; within a window, the order sent is kept.
    _ingest(own_collector, session, "00000000000000a2", 2, [_typed(20, "b1"), _typed(20, "b2")])
    _ingest(own_collector, session, "00000000000000a1", 2, [_typed(20, "a1")])

    document = json.loads(_read(own_collector, session, "application/json"))
    lines = _read(own_collector, session, "application/x-ndjson").decode().splitlines()
    with Client(own_collector.base_url, own_collector.read_key) as client:
        fetched = [e.timestamp for e in client.sessions.fetch(session).events]

    expected = [*range(1, 13), 20, 20, 20]
    assert [e["timestamp"] for e in document["events"]] == expected
    assert [e["data"]["text"] for e in document["events"][12:]] == ["a1", "b1", "b2"]
    assert [json.loads(line) for line in lines] == document["events"]
    assert fetched == expected


def test_one_window_reads_back_exactly_as_sent(own_collector: Collector):
    session = new_session_id()
    tricky = ['quote " and \\ backslash', "line\nbreak \u2028 sep", "café 購物 🛒", "</script>"]
    sent = [meta("http://shop.test/streamed", 1_000)]
    sent += [_typed(1_001 + i, text) for i, text in enumerate(tricky * 500)]
    for seq, start in enumerate(range(0, len(sent), 700)):
        _ingest(own_collector, session, "00000000000000b1", seq, sent[start : start + 700])

    document = json.loads(_read(own_collector, session, "application/json"))
    lines = _read(own_collector, session, "application/x-ndjson").splitlines()

    assert document == {"session": session, "events": sent}
    assert [json.loads(line) for line in lines] == sent


def test_a_bad_event_anywhere_rejects_the_whole_upload(own_collector: Collector):
    session = new_session_id()
    events = [_move(1_000 + i) for i in range(3_000)]
    events[2_500] = {"type": 3, "timestamp": 5, "data": {"source": 5, "id": "not a number"}}
    body = json.dumps({"session": session, "events": events}).encode()
    headers = {"Authorization": f"Bearer {own_collector.read_key}"}

    answer = httpx.post(
        own_collector.url("/v1/sessions"), content=gzip.compress(body), headers=headers
    )

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid_recording"
    assert answer.json()["error"]["message"].startswith("events[2500]")
    missing = httpx.get(own_collector.url(f"/v1/sessions/{session}"), headers=headers)
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"events": [{"type": 4, "timestamp": 1, "data": {}}]}, "events[0]"),
        ({"events": [_move(1)]}, "session: Field required"),
        ({"session": "0" * 32, "events": []}, "events: List should have at least 1 item"),
        ({"session": "0" * 32, "events": [_move(1)], "extra": 1}, "extra: Extra inputs"),
        ({"session": "0" * 32, "events": [7]}, "events[0]: Input should be a valid dictionary"),
    ],
)
def test_malformed_uploads_name_their_fault(own_collector: Collector, document: dict, message: str):
    headers = {"Authorization": f"Bearer {own_collector.read_key}"}
    answer = httpx.post(own_collector.url("/v1/sessions"), json=document, headers=headers)
    assert answer.status_code == 400
    assert answer.json()["error"]["message"].startswith(message)


def _large_session() -> list[dict]:
    events = [meta("http://shop.test/large", 1_000)]
    for i in range(LARGE_SESSION_EVENTS):
        events.append(
            _move(1_001 + i, node=i % 500) if i % 3 else _typed(1_001 + i, "x" * (i % 40))
        )
    return events


def _status_bytes(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


UPLOAD_SCRIPT = """
import json, sys
from sessiontape import Client

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024

with Client(sys.argv[1], sys.argv[2], timeout=120) as client:
    idle = status("VmRSS")
    result = client.sessions.upload_file(sys.argv[3])
    print(json.dumps({"grew": status("VmHWM") - idle, "stored": result.stored,
                      "event_count": result.event_count}))
"""


def test_large_sessions_stream_in_bounded_memory(own_collector: Collector, tmp_path: Path):
    session = new_session_id()
    source = tmp_path / "source.json"
    source.write_text(json.dumps({"session": session, "events": _large_session()}))
    size = source.stat().st_size
    assert size > 12 * MB  # large enough for the bounds below to mean something
    pid = own_collector.process.pid

    before = _status_bytes(pid, "VmRSS")
    uploaded = json.loads(
        subprocess.run(
            [
                sys.executable,
                "-c",
                UPLOAD_SCRIPT,
                own_collector.base_url,
                own_collector.read_key,
                str(source),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    collector_growth = _status_bytes(pid, "VmHWM") - before
    with Client(own_collector.base_url, own_collector.read_key, timeout=120) as client:
        tracemalloc.start()
        try:
            with (tmp_path / "export.json").open("wb") as handle:
                client.sessions.export(session, handle)
            _, export_peak = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            start, _ = tracemalloc.get_traced_memory()
            recording = client.sessions.fetch(session)
            holding, fetch_peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert uploaded == {
        "grew": uploaded["grew"],
        "stored": True,
        "event_count": LARGE_SESSION_EVENTS + 1,
    }
    assert len(recording.events) == LARGE_SESSION_EVENTS + 1
    assert json.loads((tmp_path / "export.json").read_bytes()) == json.loads(source.read_bytes())
    assert uploaded["grew"] < 16 * MB, f"uploading {size / MB:.0f} MB took {uploaded['grew']} B"
    assert collector_growth < 64 * MB, f"the collector grew {collector_growth / MB:.0f} MB"
    assert export_peak < 4 * MB, f"exporting held {export_peak / MB:.1f} MB"
    decoded = holding - start
    assert fetch_peak - start < 1.5 * decoded, (fetch_peak - start, decoded)


def test_uploading_again_stores_nothing_new(own_collector: Collector, tmp_path: Path):
    events = [meta("http://shop.test/again", 1_000), *(_move(1_001 + i) for i in range(2_500))]
    path = tmp_path / "plain-array.json.gz"
    path.write_bytes(gzip.compress(json.dumps(events).encode()))
    with Client(own_collector.base_url, own_collector.read_key) as client:
        first = client.sessions.upload_file(path)
        again = client.sessions.upload_file(path)
        same_content = client.sessions.upload(events)
        assert (first.stored, again.stored, same_content.stored) == (True, False, False)
        assert first.id == again.id == same_content.id
        assert client.sessions.get(first.id).event_count == len(events)
        with pytest.raises(APIStatusError):
            client.sessions.upload([{"type": 3, "timestamp": 1, "data": {"source": 99}}])
