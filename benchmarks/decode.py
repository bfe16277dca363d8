"""SDK typed decode: MB/s of bytes -> typed rrweb events vs ``orjson.loads`` on the same bytes.

The input is the sessions the project's recorder produced (tests/fixtures/sessions), repeated to
a realistic session size.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from sessiontape.codec import decode_json_events

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sessions"


def session_bytes(target_bytes: int) -> bytes:
    events: list[dict[str, Any]] = []
    for path in sorted(FIXTURES.glob("*.json")):
        events.extend(json.loads(path.read_bytes())["events"])
    one = json.dumps(events).encode()
    repeats = max(1, target_bytes // len(one))
    return json.dumps(events * repeats).encode()


def _median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(quick: bool) -> dict[str, Any]:
    data = session_bytes(1 << 20 if quick else 16 << 20)
    runs = 3 if quick else 7
    floor = _median_seconds(lambda: orjson.loads(data), runs)
    typed = _median_seconds(lambda: decode_json_events(data), runs)
    megabytes = len(data) / 1e6
    return {
        "bytes": len(data),
        "events": len(orjson.loads(data)),
        "orjson_mb_per_s": megabytes / floor,
        "mb_per_s": megabytes / typed,
        "ratio": typed / floor,
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
