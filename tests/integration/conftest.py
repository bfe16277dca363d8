from __future__ import annotations

import json
import subprocess
import sys
import uuid
from dataclasses import dataclass

import pytest

from tests.conftest import Collector


@dataclass(frozen=True)
class SiteKeys:
    write_key: str
    read_key: str


def create_site(collector: Collector, name: str, *origins: str) -> SiteKeys:
    """Creates a site with the CLI, as an operator would, while the collector runs; without
    origins, one that accepts every origin."""
    command = [
        sys.executable,
        "-m",
        "sessiontape.cli",
        "sites",
        "create",
        name,
        "--json",
        "--data-dir",
        str(collector.data_dir),
    ]
    for origin in origins:
        command += ["--origin", origin]
    if not origins:
        command += ["--any-origin"]
    keys = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    return SiteKeys(keys["write_key"], keys["read_key"])


@pytest.fixture(scope="session")
def other_site(collector: Collector) -> SiteKeys:
    """A second site on the same collector, to prove keys never cross sites."""
    return create_site(collector, "other-shop")


def new_session_id() -> str:
    return uuid.uuid4().hex


def batch(session: str, seq: int, events: list[dict], window: str = "00000000000000a1") -> dict:
    return {"v": 1, "session": session, "window": window, "seq": seq, "events": events}


def meta(url: str, timestamp: int) -> dict:
    return {"type": 4, "timestamp": timestamp, "data": {"href": url, "width": 1024, "height": 768}}


def click(node_id: int, timestamp: int) -> dict:
    return {
        "type": 3,
        "timestamp": timestamp,
        "data": {"source": 2, "type": 2, "id": node_id, "x": 1, "y": 2},
    }
