"""``sessiontape sessions ...`` against a live collector, as a person would run it."""

from __future__ import annotations

import json
import subprocess
import sys

from sessiontape import Client
from tests.conftest import Collector
from tests.integration.conftest import click, meta


def cli(collector: Collector, *args: str) -> str:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sessiontape.cli",
            "sessions",
            *args,
            "--url",
            collector.base_url,
            "--api-key",
            collector.read_key,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_export_delete_import_round_trip(collector: Collector, tmp_path):
    events = [meta("http://shop.test/cli-roundtrip", 70_000), click(4, 70_010)]
    with Client(collector.base_url, collector.read_key) as client:
        session = client.sessions.upload(events).id

    assert session in cli(collector, "list", "--url-contains", "cli-roundtrip")
    shown = cli(collector, "show", session)
    assert "http://shop.test/cli-roundtrip" in shown
    assert "2 events" in shown
    assert "click" in shown

    cli(collector, "export", session, "--out", str(tmp_path))
    exported = json.loads((tmp_path / f"{session}.json").read_text())
    assert exported == {"session": session, "events": events}

    assert f"deleted {session}" in cli(collector, "delete", session)
    assert session not in cli(collector, "list", "--url-contains", "cli-roundtrip")

    assert "imported 1 new session(s), 0 already stored" in cli(
        collector, "import", str(tmp_path / f"{session}.json")
    )
    assert "imported 0 new session(s), 1 already stored" in cli(
        collector, "import", str(tmp_path / f"{session}.json")
    )
    with Client(collector.base_url, collector.read_key) as client:
        assert json.loads(client.sessions.fetch(session).to_rrweb_json()) == events


def test_a_missing_session_is_a_clear_error(collector: Collector):
    failed = subprocess.run(
        [
            sys.executable,
            "-m",
            "sessiontape.cli",
            "sessions",
            "show",
            "0" * 32,
            "--url",
            collector.base_url,
            "--api-key",
            collector.read_key,
        ],
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 1
    assert "session_not_found" in failed.stderr
