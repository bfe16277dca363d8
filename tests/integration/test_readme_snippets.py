"""Every python and shell block of README.md and docs/*.md runs, as written, against a live
collector, so the documentation cannot drift from the code.

A block that must not run (it installs, serves forever, or runs whole suites) says so in the
markdown itself, on the line before its fence: ``<!-- snippet: skip (reason) -->``. Everything
else runs. The placeholders a reader replaces are replaced here: the collector's address
``http://127.0.0.1:8000``, ``st_sk_...`` and ``st_pk_...`` become the live collector's; shell
blocks run in a directory whose ``.venv/bin`` holds this environment's programs and whose
``.sessiontape`` is the collector's data directory, with ``sessiontape`` on the PATH.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from sessiontape import Client
from tests.conftest import Collector

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\s*$")
SKIP = re.compile(r"^<!--\s*snippet:\s*skip\s*\((?P<reason>[^)]+)\)\s*-->$")
PYTHON = {"python", "py"}
SHELL = {"sh", "bash", "shell"}


@dataclass(frozen=True)
class Block:
    document: str
    line: int
    language: str
    code: str
    skip_reason: str | None

    @property
    def name(self) -> str:
        return f"{self.document}:{self.line}"


def blocks(path: Path) -> list[Block]:
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
        before = [line for line in lines[:index] if line.strip()][-1:]
        marker = SKIP.match(before[0].strip()) if before else None
        found.append(
            Block(
                document=str(path.relative_to(ROOT)),
                line=index + 1,
                language=opening.group(1).lower(),
                code="\n".join(lines[index + 1 : end]) + "\n",
                skip_reason=marker.group("reason") if marker else None,
            )
        )
        index = end + 1
    return found


ALL_BLOCKS = [block for path in DOCUMENTS for block in blocks(path)]
RUNNABLE = [b for b in ALL_BLOCKS if b.language in PYTHON | SHELL]


def test_the_documents_have_runnable_blocks_and_skips_say_why():
    assert any(b.document == "README.md" and b.language in PYTHON for b in RUNNABLE)
    assert any(b.document == "README.md" and b.language in SHELL for b in RUNNABLE)
    for path in DOCUMENTS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "snippet:" in line:
                assert SKIP.match(line.strip()), f"{path.name}:{number}: malformed marker"
    marked = [b for b in ALL_BLOCKS if b.skip_reason]
    assert all(b.language in PYTHON | SHELL for b in marked), "a marker before a block never run"


@pytest.fixture(scope="module")
def seeded(collector: Collector) -> Collector:
    """A recent checkout session with a snapshot and clicks, as the README's examples expect."""
    now = int(time.time() * 1000) - 60_000
    button = {
        "type": 2,
        "id": 4,
        "tagName": "button",
        "attributes": {"id": "pay"},
        "childNodes": [{"type": 3, "id": 5, "textContent": "Pay"}],
    }
    body = {"type": 2, "id": 3, "tagName": "body", "attributes": {}, "childNodes": [button]}
    html = {"type": 2, "id": 2, "tagName": "html", "attributes": {}, "childNodes": [body]}
    events = [
        {
            "type": 4,
            "timestamp": now,
            "data": {"href": "http://shop.test/checkout", "width": 800, "height": 600},
        },
        {
            "type": 2,
            "timestamp": now + 1,
            "data": {
                "node": {"type": 0, "id": 1, "childNodes": [html]},
                "initialOffset": {"left": 0, "top": 0},
            },
        },
        {
            "type": 3,
            "timestamp": now + 20_000,
            "data": {"source": 2, "type": 2, "id": 4, "x": 5, "y": 5},
        },
    ]
    with Client(collector.base_url, collector.read_key) as client:
        client.sessions.upload(events)
    return collector


def _substituted(code: str, collector: Collector) -> str:
    return (
        code.replace("http://127.0.0.1:8000", collector.base_url)
        .replace("st_sk_...", collector.read_key)
        .replace("st_pk_...", collector.write_key)
    )


@pytest.mark.parametrize("block", [b for b in RUNNABLE if not b.skip_reason], ids=lambda b: b.name)
def test_block_runs(block: Block, seeded: Collector, tmp_path: Path):
    venv_bin = tmp_path / ".venv" / "bin"  # its own directory: nothing a block does reaches ours
    venv_bin.mkdir(parents=True)
    for program in ("python", "pip", "sessiontape"):
        (venv_bin / program).symlink_to(Path(sys.prefix) / "bin" / program)
    (tmp_path / ".sessiontape").symlink_to(seeded.data_dir)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SESSIONTAPE_URL", "SESSIONTAPE_API_KEY", "SESSIONTAPE_DATA_DIR")
    }
    env["PATH"] = f"{Path(sys.prefix) / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    code = _substituted(block.code, seeded)
    if block.language in PYTHON:
        command = [sys.executable, "-c", code]
    else:
        command = ["bash", "-euo", "pipefail", "-c", code]
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"{block.name} failed:\n{result.stdout}\n{result.stderr}"
    if "st.sessions.export(" in code:  # the loop over matching sessions ran, not zero times
        assert list(tmp_path.glob("*.json")), f"{block.name} exported nothing"
