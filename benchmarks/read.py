"""One large session end to end: upload it, stream it raw, fetch it with the SDK, export it.

``python -m benchmarks.read [--events 200000] [--out FILE.json] [--baseline OLD.json]``

The collector runs as its own process, started the way the integration tests start it. Times are
wall clock on loopback; memory is the peak resident set of the process doing the work, over what
the same process holds when idle (the SDK fetch measures itself in a child process; the CLI's
peak comes from ``wait4``; the collector's from ``VmHWM`` in ``/proc/<pid>/status``).
With ``--baseline`` it prints each figure next to the baseline's and their ratio.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from tests.conftest import Collector, start_collector, stop_collector

MB = 1 << 20
START_MS = 1_700_000_000_000
WINDOWS = ("00000000000000c1", "00000000000000c2")

FETCH_SCRIPT = """
import json, sys, time, tracemalloc
from sessiontape import Client

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024

base_url, key, session, traced = sys.argv[1:5]
with Client(base_url, key, timeout=600) as client:
    client.sessions.get(session)
    idle = status("VmRSS")
    if traced == "traced":
        tracemalloc.start()
    started = time.perf_counter()
    recording = client.sessions.fetch(session)
    seconds = time.perf_counter() - started
    holding, peak = tracemalloc.get_traced_memory()
    print(json.dumps({"seconds": seconds, "events": len(recording.events), "idle": idle,
                      "peak_rss": status("VmHWM"), "traced_peak": peak, "traced_holding": holding}))
"""
# A child forked from this (large) process starts with its peak RSS: measure through a small one.
PEAK_OF_CHILD = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
"""


def session_events(count: int) -> list[dict[str, Any]]:
    """A recorder-like mix: a page's snapshot, then mouse trails, mutations, typing, scrolls."""
    now = START_MS
    events: list[dict[str, Any]] = [
        {
            "type": 4,
            "data": {"href": "http://shop.test/", "width": 1280, "height": 800},
            "timestamp": now,
        },
        {
            "type": 2,
            "data": {"node": _document(800), "initialOffset": {"left": 0, "top": 0}},
            "timestamp": now + 1,
        },
    ]
    step = 0
    while len(events) < count:
        step += 1
        now += 37
        kind = step % 10
        if kind < 5:
            data: dict[str, Any] = {
                "source": 1,
                "positions": [
                    {
                        "x": 300 + i * 3 + step % 50,
                        "y": 200 + i * 2,
                        "id": 40 + i,
                        "timeOffset": -i * 50,
                    }
                    for i in range(8)
                ],
            }
        elif kind < 7:
            node = {
                "type": 2,
                "id": 10_000 + step,
                "tagName": "li",
                "attributes": {"class": "cart-line", "data-sku": f"SKU-{step:06d}"},
                "childNodes": [{"type": 3, "id": 20_000 + step, "textContent": "Blue mug x1"}],
            }
            data = {
                "source": 0,
                "texts": [{"id": 77, "value": f"{step % 9} items"}],
                "attributes": [{"id": 78, "attributes": {"class": "badge active"}}],
                "removes": [],
                "adds": [{"parentId": 60, "nextId": None, "node": node}],
            }
        elif kind < 9:
            data = {
                "source": 5,
                "id": 90 + step % 3,
                "text": "search term"[: 1 + step % 11],
                "isChecked": False,
            }
        elif step % 20 == 9:
            data = {"source": 2, "type": 2, "id": 31 + step % 7, "x": 120, "y": 340}
        else:
            data = {"source": 3, "id": 1, "x": 0, "y": step % 4_000}
        events.append({"type": 3, "data": data, "timestamp": now})
    return events[:count]


def _document(elements: int) -> dict[str, Any]:
    items = [
        {
            "type": 2,
            "id": 10 + i,
            "tagName": "div",
            "attributes": {"class": "product", "data-id": str(i)},
            "childNodes": [{"type": 3, "id": 5_000 + i, "textContent": f"Product number {i}"}],
        }
        for i in range(elements)
    ]
    body = {"type": 2, "id": 3, "tagName": "body", "attributes": {}, "childNodes": items}
    html = {"type": 2, "id": 2, "tagName": "html", "attributes": {}, "childNodes": [body]}
    return {"type": 0, "id": 1, "childNodes": [html]}


def _status_bytes(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(field)


def _cli(collector: Collector, *args: str) -> tuple[float, int]:
    """Runs ``sessiontape sessions ...``; returns its wall time and peak RSS in bytes."""
    command = [
        sys.executable,
        "-m",
        "sessiontape.cli",
        "sessions",
        *args,
        "--url",
        collector.base_url,
        "--api-key",
        collector.read_key,
    ]
    started = time.perf_counter()
    peak = subprocess.run(
        [sys.executable, "-c", PEAK_OF_CHILD, *command], check=True, capture_output=True, text=True
    ).stdout
    return time.perf_counter() - started, int(peak)


def _raw_get(collector: Collector, session: str, accept: str) -> dict[str, float]:
    headers = {"Authorization": f"Bearer {collector.read_key}", "Accept": accept}
    started = time.perf_counter()
    size = 0
    with httpx.stream(
        "GET", collector.url(f"/v1/sessions/{session}/events"), headers=headers, timeout=600
    ) as response:
        response.raise_for_status()
        for chunk in response.iter_raw():
            size += len(chunk)
    return {"seconds": time.perf_counter() - started, "bytes": size}


def _fetch(collector: Collector, session: str, mode: str) -> dict[str, Any]:
    """``client.sessions.fetch`` in a fresh process; ``traced`` also counts Python allocations."""
    fetched = subprocess.run(
        [sys.executable, "-c", FETCH_SCRIPT, collector.base_url, collector.read_key, session, mode],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(fetched.stdout)
    return result


def _ingest_windows(collector: Collector, events: list[dict[str, Any]]) -> str:
    """The same events sent by two tabs, alternating, 1,000 per batch: the merge path."""
    session = uuid.uuid4().hex
    per_window = [events[0::2], events[1::2]]
    with httpx.Client(timeout=60) as http:
        for window, window_events in zip(WINDOWS, per_window, strict=True):
            for seq, start in enumerate(range(0, len(window_events), 1_000)):
                body = {
                    "v": 1,
                    "session": session,
                    "window": window,
                    "seq": seq,
                    "events": window_events[start : start + 1_000],
                }
                http.post(
                    collector.url(f"/v1/ingest?key={collector.write_key}"),
                    content=gzip.compress(json.dumps(body).encode()),
                ).raise_for_status()
    return session


def run(event_count: int) -> dict[str, Any]:
    events = session_events(event_count)
    session = uuid.uuid4().hex
    results: dict[str, Any] = {"events": event_count}
    with tempfile.TemporaryDirectory() as scratch:
        scratch_dir = Path(scratch)
        source = scratch_dir / "source.json"
        source.write_text(json.dumps({"session": session, "events": events}))
        results["decoded_json_bytes"] = source.stat().st_size
        del events
        data_dir = scratch_dir / "data"
        data_dir.mkdir()
        collector = start_collector(data_dir)
        try:
            results.update(_measure(collector, session, source, scratch_dir))
        finally:
            stop_collector(collector)
    return results


def _measure(collector: Collector, session: str, source: Path, scratch: Path) -> dict[str, Any]:
    pid = collector.process.pid
    out: dict[str, Any] = {}
    _, out["cli_idle_rss"] = _cli(collector, "list", "--limit", "1")
    collector_idle = _status_bytes(pid, "VmRSS")
    seconds, peak = _cli(collector, "import", str(source))
    out["upload"] = {
        "seconds": seconds,
        "cli_peak_over_idle": peak - out["cli_idle_rss"],
        "collector_growth": _status_bytes(pid, "VmHWM") - collector_idle,
    }
    out["raw_get_json"] = _raw_get(collector, session, "application/json")
    out["raw_get_ndjson"] = _raw_get(collector, session, "application/x-ndjson")
    fetch, traced = (_fetch(collector, session, mode) for mode in ("plain", "traced"))
    out["sdk_fetch"] = {
        "seconds": fetch["seconds"],
        "peak_over_idle": fetch["peak_rss"] - fetch["idle"],
        "decoded_size": traced["traced_holding"],
        "traced_peak": traced["traced_peak"],
        "peak_vs_decoded": traced["traced_peak"] / traced["traced_holding"],
        "rss_peak_vs_decoded": (fetch["peak_rss"] - fetch["idle"]) / traced["traced_holding"],
    }
    seconds, peak = _cli(collector, "export", session, "--out", str(scratch / "export"))
    out["cli_export"] = {
        "seconds": seconds,
        "peak_over_idle": peak - out["cli_idle_rss"],
        "file_bytes": (scratch / "export" / f"{session}.json").stat().st_size,
    }
    source_events = json.loads(source.read_bytes())["events"]
    merged_session = _ingest_windows(collector, source_events)
    del source_events
    out["raw_get_two_windows"] = _raw_get(collector, merged_session, "application/json")
    return out


FIGURES = [
    ("raw GET, JSON (s)", ("raw_get_json", "seconds"), 1),
    ("raw GET, NDJSON (s)", ("raw_get_ndjson", "seconds"), 1),
    ("raw GET, 2 windows merged (s)", ("raw_get_two_windows", "seconds"), 1),
    ("SDK fetch (s)", ("sdk_fetch", "seconds"), 1),
    ("SDK fetch peak over idle (MB)", ("sdk_fetch", "peak_over_idle"), MB),
    ("SDK fetch decoded size (MB, traced)", ("sdk_fetch", "decoded_size"), MB),
    ("SDK fetch traced peak / decoded size", ("sdk_fetch", "peak_vs_decoded"), 1),
    ("SDK fetch RSS peak over idle / decoded", ("sdk_fetch", "rss_peak_vs_decoded"), 1),
    ("CLI export (s)", ("cli_export", "seconds"), 1),
    ("CLI export peak over idle (MB)", ("cli_export", "peak_over_idle"), MB),
    ("CLI import (s)", ("upload", "seconds"), 1),
    ("CLI import peak over idle (MB)", ("upload", "cli_peak_over_idle"), MB),
    ("collector growth during upload (MB)", ("upload", "collector_growth"), MB),
]


def table(results: dict[str, Any], baseline: dict[str, Any] | None) -> str:
    lines = [f"{results['events']:,} events, {results['decoded_json_bytes'] / MB:,.1f} MB of JSON"]
    lines.append(f"{'figure':40} {'now':>10} {'before':>10} {'before/now':>11}")
    for label, (section, key), unit in FIGURES:
        now = results[section][key] / unit
        row = f"{label:40} {now:>10.2f}"
        if baseline is not None and section in baseline:
            before = baseline[section][key] / unit
            row += f" {before:>10.2f} {before / now if now else float('inf'):>10.1f}x"
        lines.append(row)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.read", description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=Path("benchmark-read.json"))
    parser.add_argument("--baseline", type=Path, help="an earlier --out file to compare with")
    args = parser.parse_args(argv)
    results = run(args.events)
    args.out.write_text(json.dumps(results, indent=2))
    baseline = json.loads(args.baseline.read_text()) if args.baseline else None
    print(table(results, baseline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
