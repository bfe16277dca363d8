"""``sessiontape serve --workers N`` on PostgreSQL: N processes answer on one port, a worker
killed with SIGKILL is replaced while the others keep answering, and SIGTERM stops them all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.conftest import free_port
from tests.integration.conftest import batch, meta

WORKERS = 2


def children(pid: int) -> set[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return {int(child) for child in text.split()}


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def healthy(base: str) -> bool:
    try:
        return httpx.get(base + "/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def test_workers_share_the_port_and_are_replaced(database_url: str, tmp_path: Path):
    port = free_port()
    command = [sys.executable, "-m", "sessiontape.cli", "serve", "--port", str(port)]
    command += ["--data-dir", str(tmp_path), "--database-url", database_url]
    log = (tmp_path / "serve.log").open("ab")
    parent = subprocess.Popen([*command, "--workers", str(WORKERS)], stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: healthy(base) and len(children(parent.pid)) == WORKERS)
        write_key = json.loads((tmp_path / "demo-site.json").read_text())["write_key"]

        def send(seq: int) -> int:
            body = batch("d" * 32, seq, [meta("https://shop.example/", 1_000 + seq)])
            return httpx.post(f"{base}/v1/ingest", params={"key": write_key}, json=body).status_code

        assert [send(seq) for seq in range(20)] == [200] * 20
        victim = min(children(parent.pid))
        os.kill(victim, signal.SIGKILL)
        assert [send(seq) for seq in range(20, 40)] == [200] * 20  # the other worker answers
        wait_for(lambda: len(children(parent.pid) - {victim}) == WORKERS)
    finally:
        parent.terminate()
        assert parent.wait(timeout=30) == 0
    assert not healthy(base)


def test_workers_need_a_shared_database(tmp_path: Path):
    command = [sys.executable, "-m", "sessiontape.cli", "serve", "--port", str(free_port())]
    refused = subprocess.run(
        [*command, "--data-dir", str(tmp_path), "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SESSIONTAPE_DATABASE_URL": ""},
    )
    assert refused.returncode == 1
    assert "--workers needs a shared database" in refused.stderr
