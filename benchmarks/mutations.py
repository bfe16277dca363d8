"""Mutation burst on the 20k page: main-thread time of the burst plus the recorder's flush, with
each recorder, minus the same with no recorder.

The figure compared is `observed_ms`: the burst and the MutationObserver callbacks, in which both
recorders do all their work and emit their Mutation event (`mutation_events_observed` proves it).
`total_ms`, up to a setTimeout(0) task, also holds a rendering step of 250-400 ms whose cost
varies far more between runs than a recorder's, so it is kept for reference only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser

from benchmarks.browser import RECORDERS, fresh_page
from benchmarks.stats import median

BURST_JS = (Path(__file__).with_name("js") / "burst.js").read_text()
PREPARE = "(burst) => window.__bench.prepareBurst(burst)"
RUN = "() => window.__bench.runBurst()"
BURST = {"adds": 5000, "attrs": 5000, "texts": 5000, "removes": 2000}
KINDS = ("none", *RECORDERS)


def measure(browser: Browser, url: str, kind: str) -> dict[str, Any]:
    with fresh_page(browser, url, kind) as page:
        page.add_script_tag(content=BURST_JS)
        page.evaluate(PREPARE, {"kind": kind, **BURST})
        result: dict[str, Any] = page.evaluate(RUN)
    return result


def run(browser: Browser, url: str, runs: int) -> dict[str, Any]:
    samples: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for _ in range(runs):
        for kind in KINDS:
            samples[kind].append(measure(browser, url, kind))
    out: dict[str, Any] = {"burst": BURST, "runs": runs}
    for kind in KINDS:
        out[kind] = {
            key: median(s[key] for s in samples[kind])
            for key in ("burst_ms", "observed_ms", "total_ms", "mutation_events_observed")
        }
        out[kind]["samples_ms"] = [round(s["observed_ms"], 1) for s in samples[kind]]
    for kind in RECORDERS:
        out[kind]["overhead_ms"] = out[kind]["observed_ms"] - out["none"]["observed_ms"]
    out["ratio"] = out["sessiontape"]["overhead_ms"] / out["rrweb"]["overhead_ms"]
    return out
