"""Durable ingest rate: one collector on SQLite, then one and two collector processes sharing one
PostgreSQL database (fsync on), each fed by its own load generator; many sessions, so that
batches of different sessions may be stored at once. Run: python -m benchmarks.scale_out

On a machine with few cores every process (collectors, PostgreSQL, load generators) shares them:
the figures compare the backends on this machine, they do not show what N hosts would do."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from tests.conftest import free_port
from tests.postgres_cluster import PostgresCluster, find_binaries

from benchmarks.ingest import gzipped_batch, mouse_moves

SESSIONS = 400


def bodies(total: int) -> list[bytes]:
    """``total`` batches spread over ``SESSIONS`` sessions: mouse moves, a click, typing."""
    sessions = [uuid.uuid4().hex for _ in range(SESSIONS)]
    made = []
    for n in range(total):
        now = 1_700_000_000_000 + n * 50
        events = [
            mouse_moves(now),
            {"type": 3, "timestamp": now + 1, "data": {"source": 2, "type": 2, "id": 31, "x": 4}},
            {"type": 3, "timestamp": now + 2, "data": {"source": 5, "id": 40, "text": "hello"}},
        ]
        made.append(gzipped_batch(sessions[n % SESSIONS], n // SESSIONS, events))
    return made


def start(data_dir: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "sessiontape.cli", "serve"),
            *("--port", str(port), "--data-dir", str(data_dir)),
        ],
        env={
            **os.environ,
            **env,
            "SESSIONTAPE_INGEST_RATE_PER_SITE": "1000000",
            "SESSIONTAPE_INGEST_BURST_PER_SITE": "1000000",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            httpx.get(base + "/healthz", timeout=1)
            return process, base
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("collector did not start")


def load(url: str, batch_bodies: list[bytes], seconds: float) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump([base64.b64encode(b).decode() for b in batch_bodies], handle)
    try:
        output = subprocess.run(
            [
                *(sys.executable, "-m", "benchmarks.loadgen", url, "--bodies", handle.name),
                *("--total", str(len(batch_bodies)), "--seconds", str(seconds)),
                *("--connections", "16"),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    result: dict[str, Any] = json.loads(output)
    return result


def measure(collectors: int, env: dict[str, str], total: int, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as directory:
        started = []
        try:
            first = Path(directory) / "0"
            started.append(start(first, env))
            keys = json.loads((first / "demo-site.json").read_text())
            for n in range(1, collectors):
                (Path(directory) / str(n)).mkdir()
                (Path(directory) / str(n) / "demo-site.json").write_text(json.dumps(keys))
                started.append(start(Path(directory) / str(n), env))
            work = bodies(total)
            shares = [work[n::collectors] for n in range(collectors)]
            began = time.monotonic()
            with ThreadPoolExecutor(collectors) as pool:
                results = list(
                    pool.map(
                        lambda pair: load(
                            f"{pair[0]}/v1/ingest?key={keys['write_key']}", pair[1], seconds
                        ),
                        [(base, share) for (_, base), share in zip(started, shares, strict=True)],
                    )
                )
        finally:
            for process, _ in started:
                process.terminate()
                process.wait()
    wall = time.monotonic() - began  # includes starting the load generators: a lower bound
    statuses: dict[str, int] = {}
    for result in results:
        for status, count in result["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    done = sum(r["requests"] for r in results)
    return {
        "rate": round(done / wall, 1),
        "sum_of_generator_rates": round(sum(r["rate"] for r in results), 1),
        "statuses": statuses,
    }


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 6_000
    seconds = 20.0
    results = {"sqlite, 1 collector": measure(1, {}, total, seconds)}
    bindir = find_binaries()
    if bindir is not None:
        cluster = PostgresCluster(bindir)
        cluster.start(durable=True)
        try:
            for count in (1, 2):
                url = cluster.database_for(f"bench-{count}")
                env = {"SESSIONTAPE_DATABASE_URL": url}
                results[f"postgresql, {count} collector(s)"] = measure(count, env, total, seconds)
        finally:
            cluster.stop()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
