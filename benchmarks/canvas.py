"""Cost of the opt-in canvas capture (the canvas extension, ``recorder_js/dist/canvas.js``): an
800 x 450 2D canvas redrawn on every animation frame, recorded for a few seconds at each capture
rate.

Per rate: main-thread busy time per second (CDP ``Performance`` TaskDuration) minus the same
page recorded without canvas capture (``overhead_ms_per_s``), the animation frames the page still
drew per second, and the bytes of CanvasMutation events per second (as JSON, before gzip; WebP
images do not compress further). ``python -m benchmarks.canvas`` runs this section alone.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from benchmarks.browser import CANVAS, Site, launch, script, serve
from benchmarks.stats import median

PAGE = """<!doctype html><html><body style="margin:0">
<canvas id="c" width="800" height="450"></canvas>
<script>
  const ctx = document.getElementById('c').getContext('2d');
  window.frames_drawn = 0;
  function frame() {
    const t = ++window.frames_drawn;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 800, 450);
    for (let i = 0; i < 60; i++) {
      ctx.fillStyle = 'hsl(' + ((i * 6 + t) % 360) + ', 70%, 50%)';
      ctx.fillRect((i * 37 + t * 3) % 800, (i * 53 + t * 2) % 450, 40, 40);
    }
    ctx.fillStyle = '#000';
    ctx.font = '20px sans-serif';
    ctx.fillText('frame ' + t, 10, 30);
    requestAnimationFrame(frame);
  }
  frame();
</script></body></html>"""

START = """(fps) => {
  window.canvas_bytes = 0;
  window.canvas_events = 0;
  const extensions = fps ? [window.sessiontapeCanvas.recordCanvas({ fps })] : [];
  window.sessiontape.start({ extensions, onEvent: (e) => {
    if (e.type === 3 && e.data.source === 9) {
      window.canvas_bytes += JSON.stringify(e).length;
      window.canvas_events++;
    }
  }});
  window.frames_at_start = window.frames_drawn;
}"""
RATES = (0, 2, 5, 10)
SECONDS = 3


def measure(browser: Browser, url: str, fps: int, seconds: float) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(url)
        page.add_script_tag(content=script("sessiontape"))
        page.add_script_tag(content=CANVAS.read_text())
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        page.evaluate(START, fps)
        page.wait_for_timeout(500)  # the snapshot and first captures settle
        before = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        counts = page.evaluate("[window.frames_drawn, window.canvas_bytes, window.canvas_events]")
        page.wait_for_timeout(seconds * 1000)
        after = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        end = page.evaluate("[window.frames_drawn, window.canvas_bytes, window.canvas_events]")
        elapsed = after["Timestamp"] - before["Timestamp"]
        return {
            "busy_ms_per_s": (after["TaskDuration"] - before["TaskDuration"]) * 1000 / elapsed,
            "frames_per_s": (end[0] - counts[0]) / elapsed,
            "bytes_per_s": (end[1] - counts[1]) / elapsed,
            "events_per_s": (end[2] - counts[2]) / elapsed,
        }
    finally:
        context.close()


def run(browser: Browser, runs: int = 3) -> dict[str, Any]:
    """Medians of `runs` runs per rate; a single run (the quick mode) records 1 s per rate."""
    seconds = SECONDS if runs > 1 else 1
    samples: dict[int, list[dict[str, float]]] = {fps: [] for fps in RATES}
    site = Site({"/canvas.html": ("text/html; charset=utf-8", PAGE.encode())})
    with serve(site) as base:
        for _ in range(runs):
            for fps in RATES:
                samples[fps].append(measure(browser, base + "/canvas.html", fps, seconds))
    out: dict[str, Any] = {
        "runs": runs,
        "seconds": seconds,
        "canvas": "800x450 2d, redrawn every frame",
    }
    for fps in RATES:
        out[str(fps)] = {k: round(median(s[k] for s in samples[fps]), 1) for k in samples[fps][0]}
    for fps in RATES:
        out[str(fps)]["overhead_ms_per_s"] = round(
            out[str(fps)]["busy_ms_per_s"] - out["0"]["busy_ms_per_s"], 1
        )
    return out


if __name__ == "__main__":
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            print(json.dumps(run(chromium), indent=2))
        finally:
            chromium.close()
    sys.exit(0)
