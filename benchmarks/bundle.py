"""Bundle size: our script-tag bundle against @rrweb/record's minified UMD bundle, raw and
gzip -9 (no file name in the header, as `gzip -9 -n`)."""

from __future__ import annotations

import gzip
from typing import Any

from benchmarks.browser import OURS, RRWEB


def sizes(data: bytes) -> dict[str, int]:
    return {
        "raw_bytes": len(data),
        "gzip_bytes": len(gzip.compress(data, compresslevel=9, mtime=0)),
    }


def run() -> dict[str, Any]:
    ours = sizes(OURS.read_bytes())
    rrweb = sizes(RRWEB.read_bytes())
    return {
        "sessiontape": {**ours, "file": "recorder_js/dist/sessiontape.js"},
        "rrweb": {**rrweb, "file": "@rrweb/record/dist/record.umd.min.cjs"},
        "ratio": ours["gzip_bytes"] / rrweb["gzip_bytes"],
    }
