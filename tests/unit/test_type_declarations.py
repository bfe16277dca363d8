"""The npm package's type declarations, compiled by a consumer project as TypeScript users set
it up: ``moduleResolution`` bundler, node16 and nodenext, with library checking on."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

RECORDER = Path(__file__).resolve().parents[2] / "recorder_js"
TSC = RECORDER / "node_modules" / "typescript" / "bin" / "tsc"

CONSUMER = """\
import { start, optOut, isOptedOut, type Options, type Recorder } from "sessiontape";

const options: Options = { endpoint: "https://collector.example", key: "st_pk_x" };
const recorder: Recorder = start(options);
recorder.stop();
if (!isOptedOut()) optOut();
"""
SETTINGS = {
    "bundler": {"module": "esnext", "moduleResolution": "bundler"},
    "node16": {"module": "node16", "moduleResolution": "node16"},
    "nodenext": {"module": "nodenext", "moduleResolution": "nodenext"},
}


@pytest.mark.skipif(
    shutil.which("node") is None or not TSC.exists(), reason="needs Node.js and the dev deps"
)
@pytest.mark.skipif(
    not (RECORDER / "dist" / "types" / "index.d.ts").exists(), reason="build the recorder"
)
@pytest.mark.parametrize(
    "resolution",
    ["bundler", "node16", "nodenext"],
)
def test_a_consumer_project_type_checks(tmp_path, resolution):
    (tmp_path / "package.json").write_text(json.dumps({"name": "consumer", "type": "module"}))
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "sessiontape").symlink_to(RECORDER)
    (tmp_path / "index.ts").write_text(CONSUMER)
    options = {
        **SETTINGS[resolution],
        "target": "es2022",
        "lib": ["es2022", "dom"],
        "strict": True,
        "noEmit": True,
        "skipLibCheck": False,
        "types": [],
    }
    config = {"compilerOptions": options, "files": ["index.ts"]}
    (tmp_path / "tsconfig.json").write_text(json.dumps(config))
    result = subprocess.run(
        ["node", str(TSC), "-p", "tsconfig.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
