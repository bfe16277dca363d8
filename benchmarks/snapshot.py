"""Full snapshot: from start() to the FullSnapshot event of each recorder, and the TreeWalker
floor, on generated pages of about 2k, 20k and 100k elements; plus the longest main-thread task
while recording starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser

from benchmarks.browser import RECORDERS, Site, fresh_page
from benchmarks.stats import median

START_JS = (Path(__file__).with_name("js") / "start.js").read_text()
KINDS = (*RECORDERS, "floor")


def measure(browser: Browser, url: str, kind: str) -> dict[str, Any]:
    with fresh_page(browser, url, kind) as page:
        result: dict[str, Any] = page.evaluate(START_JS, kind)
    return result


def run(browser: Browser, base: str, site: Site, runs: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, elements in site.elements.items():
        samples: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
        for _ in range(runs):  # contenders interleaved, so drift hits each alike
            for kind in KINDS:
                samples[kind].append(measure(browser, f"{base}/page/{label}.html", kind))
        figures: dict[str, Any] = {"elements": elements, "runs": runs}
        for kind in KINDS:
            figures[kind] = {
                "start_ms": median(s["start_ms"] for s in samples[kind]),
                "snapshot_ms": median(s["snapshot_ms"] for s in samples[kind]),
                "longest_task_ms": median(max(s["long_tasks"], default=0.0) for s in samples[kind]),
                "stringify_ms": median(s["stringify_ms"] for s in samples[kind]),
                "snapshot_chars": median(s["snapshot_chars"] for s in samples[kind]),
                "samples_ms": [round(s["snapshot_ms"], 1) for s in samples[kind]],
            }
        for kind in RECORDERS:
            ours = figures[kind]["snapshot_ms"]
            figures[kind]["vs_rrweb"] = ours / figures["rrweb"]["snapshot_ms"]
            figures[kind]["vs_floor"] = ours / figures["floor"]["snapshot_ms"]
        out[label] = figures
    return out
