"""Session page: time from navigation to the first replayed frame of a synthetic 60-minute
session (~50k events), our streamed viewer against fetching the events whole and calling
rrweb-player directly. ``python -m benchmarks.viewer [--quick]`` prints the figures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from benchmarks.browser import launch
from benchmarks.report import Row
from benchmarks.stats import median
from benchmarks.viewer_harness import SESSION_ID, serve
from benchmarks.viewer_session import Session, Shape, generate

PROBE = Path(__file__).with_name("js") / "first_frame.js"
TARGET_MS = 1500.0
SHAPE = Shape()  # 60 minutes, ~50k events; quick mode only runs it once


def first_frame_ms(browser: Browser, url: str) -> tuple[float, float]:
    """A fresh context, navigation to `url`: the probe's first-frame time and, for our viewer,
    when the last event was handed to the player (the first-frame time for the direct page)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(script=PROBE.read_text())
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__firstFrameMs !== undefined", timeout=60_000)
        first = float(page.evaluate("() => window.__firstFrameMs"))
        everything = page.evaluate(
            """async () => window.sessiontapeViewer
                ? (await window.sessiontapeViewer.streamed, performance.now())
                : window.__firstFrameMs"""
        )
        return first, float(everything)
    finally:
        context.close()


def run(quick: bool = False) -> dict[str, Any]:
    runs = 1 if quick else 5
    session: Session = generate(SHAPE)
    times: dict[str, list[float]] = {"streamed": [], "direct": [], "streamed_all": []}
    with serve(session) as base, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            first_frame_ms(browser, f"{base}/sessions/{SESSION_ID}")  # warm the server and caches
            for _ in range(runs):  # interleaved, so load drifts hit both alike
                first, everything = first_frame_ms(browser, f"{base}/sessions/{SESSION_ID}")
                times["streamed"].append(first)
                times["streamed_all"].append(everything)
                times["direct"].append(first_frame_ms(browser, f"{base}/direct")[0])
        finally:
            browser.close()
    streamed, direct = median(times["streamed"]), median(times["direct"])
    return {
        "events": len(session.events),
        "ndjson_bytes": len(session.ndjson()),
        "duration_ms": session.timeline["duration_ms"],
        "runs": runs,
        "streamed_first_frame_ms": streamed,
        "direct_first_frame_ms": direct,
        "ratio": streamed / direct,
        "streamed_all_loaded_ms": median(times["streamed_all"]),
        "samples": times,
    }


def rows(v: dict[str, Any]) -> list[Row]:
    label = f"viewer first frame, {v['events'] / 1000:,.0f}k events"
    streamed, direct = v["streamed_first_frame_ms"], v["direct_first_frame_ms"]
    return [
        Row(label, f"{streamed:,.0f} ms", "", "", "<= 1.5 s", streamed <= TARGET_MS),
        Row(
            label + " vs rrweb-player",
            f"{streamed:,.0f} ms",
            f"rrweb-player direct {direct:,.0f} ms",
            f"{v['ratio']:.2f}x",
            "<= 1.0x direct",
            v["ratio"] <= 1.0,
        ),
        Row(
            f"viewer, all {v['events'] / 1000:,.0f}k events loaded",
            f"{v['streamed_all_loaded_ms']:,.0f} ms",
            "",
            "",
            "",
            None,
        ),
    ]


if __name__ == "__main__":
    from benchmarks.report import table

    result = run(quick="--quick" in sys.argv)
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=2))
    print(table(rows(result)))
