"""Fixtures shared by every test layer: a real collector process, and the browser to drive."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from tests import postgres_cluster

T = TypeVar("T")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DATABASES = ("sqlite", "postgresql")
_chosen: dict[str, str] = {}
SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@dataclass
class Collector:
    """A collector running in its own process on 127.0.0.1, with the demo site's keys."""

    base_url: str
    write_key: str
    read_key: str
    data_dir: Path
    process: subprocess.Popen[bytes]

    def url(self, path: str) -> str:
        return self.base_url + path


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine on a fresh event loop in its own thread: Playwright's sync API keeps a
    loop running on the main thread once an end-to-end test has used it."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database",
        choices=DATABASES,
        default="sqlite",
        help="the collectors' storage: SQLite in their data directory (default), or a database"
        " of a temporary PostgreSQL cluster (tests/postgres_cluster.py)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only(reason): reads the SQLite file; skipped with --database=postgresql"
    )
    _chosen["database"] = config.getoption("--database")


def pytest_unconfigure(config: pytest.Config) -> None:
    postgres_cluster.stop_shared_cluster()  # when a test started it


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--database") != "postgresql":
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else "SQLite only"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


def database_env(data_dir: Path) -> dict[str, str]:
    """Under ``--database=postgresql``, the database kept for this data directory (the same one
    when a collector restarts on it); nothing for SQLite, the default."""
    if _chosen.get("database") != "postgresql":
        return {}
    cluster = postgres_cluster.shared_cluster()
    return {"SESSIONTAPE_DATABASE_URL": cluster.database_for(str(data_dir.resolve()))}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_collector(
    data_dir: Path, port: int | None = None, env: dict[str, str] | None = None
) -> Collector:
    port = port or free_port()
    log = (data_dir / "collector.log").open("ab")
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
        stdout=log,
        stderr=log,
        env={**os.environ, **database_env(data_dir), **(env or {})},
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"collector exited: {(data_dir / 'collector.log').read_text()}")
        try:
            if httpx.get(base_url + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("collector did not start within 20 s")
    keys: dict[str, Any] = json.loads((data_dir / "demo-site.json").read_text())
    return Collector(base_url, keys["write_key"], keys["read_key"], data_dir, process)


def stop_collector(collector: Collector) -> None:
    collector.process.terminate()
    try:
        collector.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        collector.process.kill()
        collector.process.wait()


@pytest.fixture(scope="session")
def collector(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Collector]:
    running = start_collector(tmp_path_factory.mktemp("collector"))
    yield running
    stop_collector(running)


def find_chromium(playwright_chromium: str | None) -> str | None:
    """Playwright's own Chromium when it was downloaded, else a system one."""
    override = os.environ.get("SESSIONTAPE_CHROMIUM")
    if override:
        return override
    if playwright_chromium and Path(playwright_chromium).exists():
        return None  # Playwright launches its own
    for name in SYSTEM_CHROMIUMS:
        found = shutil.which(name)
        if found:
            return found
    pytest.exit(
        "No Chromium found. Install one: 'apt-get install chromium' (Debian/Ubuntu), or "
        "'playwright install chromium' where downloads work, or point SESSIONTAPE_CHROMIUM "
        "at a Chromium binary.",
        returncode=3,
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_type: Any
) -> dict[str, Any]:
    try:
        bundled = browser_type.executable_path
    except Exception:
        bundled = None
    executable = find_chromium(bundled)
    args = {**browser_type_launch_args, "args": CHROMIUM_FLAGS}
    if executable:
        args["executable_path"] = executable
    return args
