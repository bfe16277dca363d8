"""Heatmap and click insight queries over many synthetic sessions of one page, and what the
click and scroll facts cost at ingest.

    python -m benchmarks.insights [--sessions 10000] [--before PATH]

``--before PATH``: a checkout of the package without facts (e.g. ``git archive`` of an earlier
commit's ``sdk``), to time the same batches stored by it in a child process.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sessiontape.codec import BatchLimits
from sessiontape.collector.storage import SQLiteStorage
from sessiontape.collector.storage.prepared import prepare_batch

URL = "https://shop.example/product/1"
T0 = 1_700_000_000_000
WIDTHS = (390, 820, 1280, 1440)
BUTTONS = 30


def page_events(at: int, width: int) -> list[dict]:
    buttons = [
        {
            "type": 2,
            "id": 10 + i,
            "tagName": "button",
            "attributes": {"class": "buy"},
            "childNodes": [{"type": 3, "id": 100 + i, "textContent": f"Buy {i}"}],
        }
        for i in range(BUTTONS)
    ]
    body = {"type": 2, "id": 3, "tagName": "body", "attributes": {}, "childNodes": buttons}
    html = {"type": 2, "id": 2, "tagName": "html", "attributes": {}, "childNodes": [body]}
    return [
        {"type": 4, "timestamp": at, "data": {"href": URL, "width": width, "height": 800}},
        {"type": 2, "timestamp": at, "data": {"node": {"type": 0, "id": 1, "childNodes": [html]}}},
    ]


def session_batches(rng: random.Random, index: int) -> list[bytes]:
    session = f"{index:032x}"
    at = T0 + index * 1_000
    first = page_events(at, rng.choice(WIDTHS))
    later = []
    for k in range(rng.randint(2, 8)):
        at += rng.randint(100, 2_000)
        target = 10 + min(int(rng.expovariate(0.3)), BUTTONS - 1)
        x, y = rng.uniform(0, 400), rng.uniform(0, 800)
        data = {
            "source": 2,
            "type": 2,
            "id": target,
            "x": x,
            "y": y,
            "box": [x - 10, y - 5, 80, 30],
        }
        later.append({"type": 3, "timestamp": at, "data": data})
        if rng.random() < 0.5:
            later.append({"type": 3, "timestamp": at + 50, "data": mutation(1_000 + k)})
    later.append(
        {
            "type": 3,
            "timestamp": at + 10,
            "data": {"source": 3, "id": 1, "x": 0, "y": rng.randint(0, 4000)},
        }
    )
    return [
        json.dumps(
            {"v": 1, "session": session, "window": "0" * 15 + "1", "seq": seq, "events": events}
        ).encode()
        for seq, events in enumerate([first, later])
    ]


def mutation(node_id: int) -> dict:
    added = {
        "parentId": 3,
        "nextId": None,
        "node": {"type": 2, "id": node_id, "tagName": "p", "attributes": {}, "childNodes": []},
    }
    return {"source": 0, "texts": [], "attributes": [], "removes": [], "adds": [added]}


def fill(storage: SQLiteStorage, sessions: int) -> float:
    site = storage.create_site("bench", ("*",)).site
    rng = random.Random(7)
    started = time.perf_counter()
    for index in range(sessions):
        for body in session_batches(rng, index):
            storage.store_batch(site, prepare_batch(body, BatchLimits(), T0), T0)
    return time.perf_counter() - started


def time_queries(storage: SQLiteStorage, repeats: int = 5) -> dict[str, float]:
    from sessiontape.collector.storage.insight_base import HeatmapOptions, PageFilter, Thresholds

    site = storage.site_by_name("bench")
    assert site is not None
    reader = storage.insights()
    queries = {
        "heatmap url": lambda: reader.click_heatmap(site.id, PageFilter(url=URL), HeatmapOptions()),
        "heatmap pattern+mobile": lambda: reader.click_heatmap(
            site.id, PageFilter(pattern="/product/*", viewport="mobile"), HeatmapOptions()
        ),
        "scroll map": lambda: reader.scroll_map(site.id, PageFilter(url=URL), 100, 500),
        "click insights": lambda: reader.click_insights(
            site.id, PageFilter(url=URL), Thresholds(), 20, 3
        ),
        "click insights, custom rage": lambda: reader.click_insights(
            site.id, PageFilter(url=URL), Thresholds(rage_window_ms=500), 20, 3
        ),
    }
    results = {}
    for name, query in queries.items():
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            query()
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = statistics.median(timings)
    return results


def ingest_seconds(batches: int) -> float:
    """Prepares and stores benchmark batches (the ingest benchmark's) with the code imported."""
    from benchmarks.ingest import batch_bodies

    with tempfile.TemporaryDirectory() as directory:
        storage = SQLiteStorage(Path(directory) / "db.sqlite")
        site = storage.create_site("ingest", ("*",)).site
        bodies = [b for _ in range(batches // 200) for b in batch_bodies(200)]
        started = time.perf_counter()
        for body in bodies:
            storage.store_batch(site, prepare_batch(body, BatchLimits(), T0), T0)
        elapsed = time.perf_counter() - started
        storage.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--before", type=Path, help="an sdk directory without facts")
    parser.add_argument("--ingest-only", action="store_true")
    parser.add_argument("--batches", type=int, default=2_000)
    args = parser.parse_args()
    if not args.ingest_only:
        with tempfile.TemporaryDirectory() as directory:
            storage = SQLiteStorage(Path(directory) / "db.sqlite")
            storage._db.execute("PRAGMA synchronous=OFF")  # a faster fill; queries are unchanged
            seconds = fill(storage, args.sessions)
            print(f"filled {args.sessions} sessions in {seconds:.1f} s")
            for name, ms in time_queries(storage).items():
                print(f"{name:32s} {ms:7.1f} ms (median of 5)")
            storage.close()
    now = ingest_seconds(args.batches)
    print(f"ingest: {args.batches / now:.0f} batches/s stored with facts")
    if args.before:
        code = (
            f"from benchmarks.insights import ingest_seconds; print(ingest_seconds({args.batches}))"
        )
        root = Path(__file__).resolve().parent.parent
        env_path = f"{args.before}:{root}"
        before = float(
            subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                check=True,
                env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
            ).stdout
        )
        print(
            f"ingest: {args.batches / before:.0f} batches/s stored without"
            f" (with facts: {now / before - 1:+.1%} time)"
        )


if __name__ == "__main__":
    main()
