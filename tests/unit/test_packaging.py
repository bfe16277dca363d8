"""What the packages carry and need: the license, and the SDK without the collector's stack."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_ONLY = {"fastapi", "uvicorn", "starlette", "pydantic_settings", "jinja2"}


def test_the_repository_and_the_npm_package_carry_the_mit_license():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert (ROOT / "recorder_js" / "LICENSE").read_text() == text


def test_the_wheel_declares_its_license_file():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]


@pytest.mark.skipif(shutil.which("npm") is None, reason="needs npm")
def test_the_npm_tarball_holds_the_license_and_only_the_recorder():
    packed = subprocess.run(
        ["npm", "pack", "--dry-run", "--json", "--ignore-scripts"],
        cwd=ROOT / "recorder_js",
        capture_output=True,
        text=True,
        check=True,
    )
    files = {entry["path"] for entry in json.loads(packed.stdout)[0]["files"]}
    assert "LICENSE" in files
    assert {"dist/sessiontape.js", "dist/sessiontape.mjs", "dist/types/index.d.ts"} <= files
    assert {"dist/canvas.js", "dist/canvas.mjs", "dist/types/canvas.d.ts"} <= files
    assert not [f for f in files if f.startswith(("dist/viewer", "dist/player", "dist/apidocs"))]
    readme = (ROOT / "recorder_js" / "README.md").read_text(encoding="utf-8")
    assert "../" not in readme, "the npm README points outside the package"


def test_the_sdk_depends_on_httpx_and_pydantic_only():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {
        dependency.split(">")[0].split("<")[0].strip() for dependency in project["dependencies"]
    }
    assert names == {"httpx", "pydantic"}
    server = " ".join(project["optional-dependencies"]["server"])
    for needed in ("fastapi", "uvicorn", "pydantic-settings", "jinja2"):
        assert needed in server


def test_the_sdk_and_the_sessions_commands_import_nothing_of_the_server():
    probe = (
        "import sys, contextlib, io\n"
        "import sessiontape, sessiontape.cli, sessiontape.pytest_plugin\n"
        "from sessiontape import Client, AsyncClient, Recording\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    sessiontape.cli.main(['sessions', 'list', '--help'])\n"
        f"print(sorted(m for m in {sorted(SERVER_ONLY)!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
