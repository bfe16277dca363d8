"""Full snapshot: from start() to the FullSnapshot event of each recorder, and the TreeWalker
floor, on generated pages of about 2k, 20k and 100k elements, with the scripts run once the page
has loaded and (``with_page``) as it starts loading; plus the longest main-thread task while
recording starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser

from benchmarks.browser import RECORDERS, Site, fresh_page
from benchmarks.stats import median

START_JS = (Path(__file__).with_name("js") / "start.js").read_text()
KINDS = (*RECORDERS, "floor")


def measure(browser: Browser, url: str, kind: str, with_page: bool = False) -> dict[str, Any]:
    with fresh_page(browser, url, kind, with_page=with_page) as page:
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
        figures["with_page"] = with_page(browser, f"{base}/page/{label}.html", runs)
        out[label] = figures
    return out


def with_page(browser: Browser, url: str, runs: int) -> dict[str, Any]:
    """The same start with each recorder's script run as the page starts loading (a tag in its
    head): ours then knows which elements scrolled and reads no other's scroll offsets."""
    samples: dict[str, list[float]] = {k: [] for k in RECORDERS}
    for _ in range(runs):
        for kind in RECORDERS:
            samples[kind].append(measure(browser, url, kind, with_page=True)["snapshot_ms"])
    figures: dict[str, Any] = {kind: median(samples[kind]) for kind in RECORDERS}
    figures["vs_rrweb"] = figures["sessiontape"] / figures["rrweb"]
    return figures
