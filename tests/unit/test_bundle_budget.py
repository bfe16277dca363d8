"""The recorder's script-tag bundle stays within its size budget (it ships in every recorded
page), and opt-in captures stay out of it: the canvas extension is a bundle of its own."""

from __future__ import annotations

import gzip
from pathlib import Path

DIST = Path(__file__).parents[2] / "recorder_js" / "dist"
BUDGET_GZIP_BYTES = 15_000
"""gzip -9 of dist/sessiontape.js: 14,691 B when set (rrweb's record bundle: 23,625 B)."""


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def test_the_script_bundle_is_within_budget() -> None:
    size = gzip_size(DIST / "sessiontape.js")
    assert size <= BUDGET_GZIP_BYTES, f"{size} B gzip, over the {BUDGET_GZIP_BYTES} B budget"


def test_canvas_capture_lives_in_its_own_bundle() -> None:
    for core in ("sessiontape.js", "sessiontape.mjs"):
        assert "toBlob" not in (DIST / core).read_text(encoding="utf-8"), core
    for extension in ("canvas.js", "canvas.mjs"):
        assert "toBlob" in (DIST / extension).read_text(encoding="utf-8"), extension
