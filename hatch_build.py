"""Builds the browser recorder and ships it, with the demo site, inside the wheel.

An installed ``sessiontape`` serves ``/recorder.js`` and ``/demo/`` without Node.js, so the
wheel carries ``recorder_js/dist`` and ``testsite`` as package data under ``sessiontape/_assets``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

RECORDER_BUNDLE = "sessiontape.js"


class RecorderBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        recorder = root / "recorder_js"
        dist = recorder / "dist"
        if (recorder / "package.json").exists():
            self._build_recorder(recorder)
        if not (dist / RECORDER_BUNDLE).exists():
            raise RuntimeError(
                "recorder_js/dist is missing and could not be built: install Node.js >= 20 and npm"
            )
        if self.target_name == "wheel" and version != "editable":
            build_data["force_include"][str(dist)] = "sessiontape/_assets/recorder"
            build_data["force_include"][str(root / "testsite")] = "sessiontape/_assets/testsite"

    def _build_recorder(self, recorder: Path) -> None:
        npm = shutil.which("npm")
        if npm is None:
            if (recorder / "dist" / RECORDER_BUNDLE).exists():
                return  # an sdist ships the built bundle
            raise RuntimeError("npm not found: the recorder needs Node.js >= 20 to build")
        if not (recorder / "node_modules").exists():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=recorder, check=True)
        subprocess.run([npm, "run", "build"], cwd=recorder, check=True)
