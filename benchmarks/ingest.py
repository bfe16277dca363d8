"""Collector ingest: durably stored batches per second against the same server's no-op endpoint.

The collector runs as its own process (as in production, one uvicorn worker); the load comes from
a second process on loopback (``loadgen``), bounded in request count and time.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx


def mouse_moves(now: int) -> dict[str, Any]:
    """A MouseMove event of 40 positions, as the recorder batches them."""
    positions = [{"x": i * 3, "y": i * 2, "id": 12, "timeOffset": -i * 50} for i in range(40)]
    return {"type": 3, "timestamp": now, "data": {"source": 1, "positions": positions}}


def gzipped_batch(session: str, seq: int, events: list[dict[str, Any]]) -> bytes:
    """The wire envelope of one batch of one window, gzipped as the recorder sends it."""
    envelope = {
        "v": 1,
        "session": session,
        "window": "00000000000000b1",
        "seq": seq,
        "events": events,
    }
    return gzip.compress(json.dumps(envelope).encode())


def batch_bodies(count: int) -> list[bytes]:
    """Realistic batches: 40 mouse positions, a click, a few keystrokes, a scroll; gzipped."""
    bodies = []
    session = uuid.uuid4().hex
    for seq in range(count):
        now = 1_700_000_000_000 + seq * 5_000
        events = [
            mouse_moves(now),
            {
                "type": 3,
                "timestamp": now + 1,
                "data": {"source": 2, "type": 2, "id": 31, "x": 4, "y": 9},
            },
            *(
                {
                    "type": 3,
                    "timestamp": now + 2 + k,
                    "data": {"source": 5, "id": 40, "text": "hello"[: k + 1], "isChecked": False},
                }
                for k in range(5)
            ),
            {"type": 3, "timestamp": now + 9, "data": {"source": 3, "id": 1, "x": 0, "y": 420}},
        ]
        bodies.append(gzipped_batch(session, seq, events))
    return bodies


def _start_collector(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SESSIONTAPE_BENCHMARK_ENDPOINTS": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sessiontape.cli",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("collector did not start")


def _load(url: str, bodies: list[bytes], total: int, seconds: float) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump([base64.b64encode(b).decode() for b in bodies], handle)
    try:
        output = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.loadgen",
                url,
                "--bodies",
                handle.name,
                "--total",
                str(total),
                "--seconds",
                str(seconds),
                "--connections",
                "16",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    result: dict[str, Any] = json.loads(output)
    return result


def run(quick: bool) -> dict[str, Any]:
    total = 300 if quick else 4_000
    seconds = 3.0 if quick else 15.0
    from tests.conftest import free_port  # one helper for a free loopback port

    with tempfile.TemporaryDirectory() as data_dir:
        port = free_port()
        process = _start_collector(Path(data_dir), port)
        try:
            key = json.loads((Path(data_dir) / "demo-site.json").read_text())["write_key"]
            base = f"http://127.0.0.1:{port}/v1"
            noop = _load(f"{base}/ingest-noop?key={key}", batch_bodies(64), total, seconds)
            durable = _load(f"{base}/ingest?key={key}", batch_bodies(total), total, seconds)
        finally:
            process.terminate()
            process.wait()
    return {
        "noop_rate": noop["rate"],
        "ingest_rate": durable["rate"],
        "ratio": durable["rate"] / noop["rate"],
        "statuses": {"noop": noop["statuses"], "ingest": durable["statuses"]},
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
