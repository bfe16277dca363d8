"""``sessiontape sessions ...`` against a live collector, as a person would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sessiontape import Client
from tests.conftest import Collector
from tests.integration.conftest import click, meta


def raw_cli(collector: Collector, *args: str, env: dict[str, str] | None = None) -> bytes:
    """``sessiontape sessions ARGS`` against the collector; its standard output, as bytes."""
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
        env={**os.environ, **(env or {})},
    ).stdout


def cli(collector: Collector, *args: str) -> str:
    return raw_cli(collector, *args).decode()


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


HOSTILE = (
    "\x1b]0;pwned\x07\x1b[2J\x1b]8;;http://evil.test\x1b\\link\x1b]8;;\x1b\\\u202egnp.exe\x9b31m"
)
MARKUP = "[red]x[/red][link=http://evil.test]y[/link]"


def _hostile_session() -> list[dict]:
    """A page whose URL, element ids, link text and typed text carry escapes and rich markup."""
    hostile_id = "buy" + HOSTILE + MARKUP
    button = {
        "type": 2,
        "id": 5,
        "tagName": "button",
        "attributes": {"id": hostile_id},
        "childNodes": [{"type": 3, "id": 6, "textContent": "Pay " + HOSTILE + MARKUP}],
    }
    field = {
        "type": 2,
        "id": 7,
        "tagName": "input",
        "attributes": {"id": "q" + HOSTILE},
        "childNodes": [],
    }
    body = {"type": 2, "id": 3, "tagName": "body", "attributes": {}, "childNodes": [button, field]}
    html = {"type": 2, "id": 2, "tagName": "html", "attributes": {}, "childNodes": [body]}
    document = {"type": 0, "id": 1, "childNodes": [html]}
    return [
        meta("http://shop.test/cli-escapes/" + HOSTILE + MARKUP, 80_000),
        {
            "type": 2,
            "timestamp": 80_001,
            "data": {"node": document, "initialOffset": {"left": 0, "top": 0}},
        },
        click(5, 80_010),
        {
            "type": 3,
            "timestamp": 80_020,
            "data": {"source": 5, "id": 7, "text": HOSTILE + MARKUP, "isChecked": False},
        },
    ]


TERMINAL = {"FORCE_COLOR": "1", "TERM": "xterm-256color", "COLUMNS": "200"}


def test_recorded_text_cannot_drive_the_terminal(collector: Collector):
    with Client(collector.base_url, collector.read_key) as client:
        session = client.sessions.upload(_hostile_session()).id

    listed = raw_cli(collector, "list", "--url-contains", "cli-escapes", env=TERMINAL)
    shown = raw_cli(collector, "show", session, env=TERMINAL)

    for output in (listed, shown):
        text = output.decode("utf-8")
        assert "\x1b" not in text
        assert "\x07" not in text
        assert "\x9b" not in text
        assert "\u202e" not in text
        assert "\\x1b]0;pwned\\x07" in text  # shown, escaped, for the reader to see
        assert "\\u202e" in text
        assert MARKUP in text  # rich markup printed as written, not interpreted
    assert "buy\\x1b]0;pwned" in shown.decode()  # the click target
    assert "Pay \\x1b" in shown.decode()  # the clicked text
    assert "typed  input#q\\x1b" in shown.decode()
