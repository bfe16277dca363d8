"""The CLI as a new user meets it: serve on another port, then the printed hints work as printed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sessiontape import Client
from tests.conftest import Collector, free_port, start_collector, stop_collector
from tests.integration.conftest import meta

CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in ("SESSIONTAPE_URL", "SESSIONTAPE_API_KEY", "SESSIONTAPE_DATA_DIR")
}


def sessiontape(*args: str, cwd: Path, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "sessiontape.cli", *args],
        cwd=cwd,
        env={**CLEAN_ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Collector:
    """``sessiontape serve --port <not 8000>`` in a project directory, data in ./.sessiontape."""
    project = tmp_path_factory.mktemp("project")
    (project / ".sessiontape").mkdir()
    running = start_collector(project / ".sessiontape", port=free_port())
    yield running
    stop_collector(running)


def test_the_printed_hint_finds_a_collector_on_another_port(served: Collector):
    project = served.data_dir.parent
    with Client(served.base_url, served.read_key) as client:
        session = client.sessions.upload([meta("http://shop.test/hint", int(time.time() * 1000))])

    listed = sessiontape("sessions", "list", cwd=project)
    assert listed.returncode == 0, listed.stderr
    assert session.id in listed.stdout

    elsewhere = project.parent
    for args in (
        ["--data-dir", str(served.data_dir), "sessions", "list"],  # options before the command
        ["sessions", "--data-dir", str(served.data_dir), "list"],
        ["sessions", "list", "--data-dir", str(served.data_dir)],
    ):
        result = sessiontape(*args, cwd=elsewhere)
        assert (args, result.returncode) == (args, 0), result.stderr
        assert session.id in result.stdout
    by_env = sessiontape(
        "sessions", "list", cwd=elsewhere, env={"SESSIONTAPE_DATA_DIR": str(served.data_dir)}
    )
    assert session.id in by_env.stdout


def test_the_banner_comes_after_the_port_is_bound(served: Collector):
    log = (served.data_dir / "collector.log").read_text()
    base = served.base_url
    demo = f"demo site, one click from this machine: {base}/signin/demo"
    assert f"Viewer: {base}/  ({demo})" in log.splitlines()
    assert f"Demo shop: {served.base_url}/demo/" in log
    assert served.read_key in log


def test_a_port_in_use_is_said_plainly_with_no_keys_printed(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = sessiontape(
            "serve", "--port", str(port), "--data-dir", str(tmp_path / "d"), cwd=tmp_path
        )
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port" in result.stderr
    assert "Traceback" not in result.stderr
    assert "st_pk_" not in result.stdout + result.stderr
    assert "st_sk_" not in result.stdout + result.stderr


def test_an_unreachable_collector_names_the_url_tried_and_how_to_change_it(tmp_path):
    data = tmp_path / ".sessiontape"
    data.mkdir()
    stopped = start_collector(data)
    stop_collector(stopped)
    result = sessiontape("sessions", "list", cwd=tmp_path)
    assert result.returncode == 1
    assert f"cannot reach the collector at {stopped.base_url}" in result.stderr
    assert "--url" in result.stderr
    assert "SESSIONTAPE_URL" in result.stderr
    assert "--data-dir" in result.stderr
    assert "session " not in result.stdout  # no table header before the error
    assert "Traceback" not in result.stderr


def test_dates_as_people_type_them(served: Collector):
    now = int(time.time() * 1000)
    with Client(served.base_url, served.read_key) as client:
        recent = client.sessions.upload([meta("http://shop.test/dates-recent", now - 3_600_000)])
        old = client.sessions.upload([meta("http://shop.test/dates-old", now - 3 * 86_400_000)])
    project = served.data_dir.parent

    def listed(*filters: str) -> str:
        result = sessiontape("sessions", "list", "--url-contains", "dates-", *filters, cwd=project)
        assert result.returncode == 0, result.stderr
        return result.stdout

    assert recent.id in listed("--since", "2h")
    assert old.id not in listed("--since", "2h")
    assert recent.id not in listed("--since", "30m")
    assert {recent.id, old.id} <= set(listed("--since", "7d").split())
    assert old.id in listed("--until", "yesterday")
    assert recent.id not in listed("--until", "yesterday")
    refused = sessiontape("sessions", "list", "--since", "soon", cwd=project)
    assert refused.returncode == 2
    assert "2h" in refused.stderr
    assert "yesterday" in refused.stderr


def test_show_piped_into_head_ends_quietly(served: Collector):
    clicks = [
        {
            "type": 3,
            "timestamp": 1_000 + i,
            "data": {"source": 2, "type": 2, "id": 4, "x": i, "y": 1},
        }
        for i in range(4_000)
    ]
    with Client(served.base_url, served.read_key) as client:
        session = client.sessions.upload([meta("http://shop.test/pipe", 999), *clicks]).id
    process = subprocess.Popen(
        [sys.executable, "-m", "sessiontape.cli", "sessions", "show", session],
        cwd=served.data_dir.parent,
        env=CLEAN_ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.readline().startswith(f"session {session}".encode())
    process.stdout.close()  # what head does after its lines
    errors = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "BrokenPipe" not in errors
    assert "Traceback" not in errors
    assert process.returncode == 141


def _form_session() -> list[dict]:
    def field(node_id: int, tag: str, **attributes: str) -> dict:
        return {
            "type": 2,
            "id": node_id,
            "tagName": tag,
            "attributes": attributes,
            "childNodes": [],
        }

    select = field(15, "select", id="country")
    select["childNodes"] = [
        {
            **field(16, "option", value="fr"),
            "childNodes": [{"type": 3, "id": 17, "textContent": "France"}],
        }
    ]
    body = {
        **field(3, "body"),
        "childNodes": [
            field(10, "input", type="text", id="name"),
            field(11, "input", type="radio", name="ship", value="standard", id="std"),
            field(12, "input", type="radio", name="ship", value="express", id="exp"),
            field(13, "input", type="checkbox", value="yes", id="gift"),
            select,
        ],
    }
    document = {"type": 0, "id": 1, "childNodes": [{**field(2, "html"), "childNodes": [body]}]}

    def changed(at: int, node_id: int, text: str, checked: bool = False) -> dict:
        data = {"source": 5, "id": node_id, "text": text, "isChecked": checked}
        return {"type": 3, "timestamp": at, "data": data}

    return [
        meta("http://shop.test/show-form", 50_000),
        {
            "type": 2,
            "timestamp": 50_001,
            "data": {"node": document, "initialOffset": {"left": 0, "top": 0}},
        },
        changed(50_010, 10, "A"),
        changed(50_011, 10, "Ada"),
        changed(50_020, 11, "standard", True),
        changed(50_030, 12, "express", True),
        changed(50_031, 11, "standard", False),
        changed(50_040, 13, "yes", True),
        changed(50_050, 15, "fr"),
    ]


def test_show_prints_typed_values_and_how_choices_ended(served: Collector):
    with Client(served.base_url, served.read_key) as client:
        session = client.sessions.upload(_form_session()).id
    shown = sessiontape("sessions", "show", session, cwd=served.data_dir.parent).stdout
    assert 'typed  input#name  "Ada"  (2 keystrokes)' in shown
    assert 'radio  input#exp  "express"  chosen' in shown
    assert 'radio  input#std  "standard"  not chosen' in shown
    assert 'check  input#gift  "yes"  checked' in shown
    assert 'select select#country  "fr"  (France)' in shown
