"""``sessiontape heatmap URL --out heatmap.png``: a page's click heatmap drawn over its most
recent recorded snapshot, rendered (script-free) in Chromium.

Playwright drives Chromium: ``pip install 'sessiontape[heatmap]'`` and ``playwright install
chromium`` (or set ``SESSIONTAPE_CHROMIUM`` to a Chromium executable)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from sessiontape import _cli_sessions
from sessiontape.client import Client
from sessiontape.insight_types import ClickHeatmap, SnapshotRef
from sessiontape.recording import Recording

DEFAULT_WIDTH = 1280
VIEW_HEIGHT = 800
SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
NEEDS_PLAYWRIGHT = (
    "error: 'sessiontape heatmap' renders in Chromium through Playwright, which is not installed:"
    " pip install 'sessiontape[heatmap]' && playwright install chromium"
)

# Each point adds a soft disc of heat; the summed heat is then coloured blue -> green -> red.
DRAW_HEAT = """
([points, radius]) => {
  const doc = document.documentElement;
  const canvas = document.createElement('canvas');
  canvas.width = doc.scrollWidth;
  canvas.height = doc.scrollHeight;
  canvas.style.cssText =
    'position:absolute;left:0;top:0;z-index:2147483647;pointer-events:none;opacity:0.75';
  const ctx = canvas.getContext('2d');
  const heaviest = Math.max(1, ...points.map((p) => p[2]));
  for (const [x, y, weight] of points) {
    const disc = ctx.createRadialGradient(x, y, 0, x, y, radius);
    disc.addColorStop(0, `rgba(0,0,0,${Math.min(1, weight / heaviest)})`);
    disc.addColorStop(1, 'rgba(0,0,0,0)');
    ctx.fillStyle = disc;
    ctx.fillRect(x - radius, y - radius, 2 * radius, 2 * radius);
  }
  const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const px = image.data;
  for (let i = 0; i < px.length; i += 4) {
    const heat = px[i + 3] / 255;
    if (!heat) continue;
    px[i] = Math.round(255 * Math.min(1, 2 * heat));
    px[i + 1] = Math.round(255 * Math.min(1, 2 - 2 * heat));
    px[i + 2] = Math.round(255 * Math.max(0, 1 - 2 * heat));
    px[i + 3] = Math.round(255 * Math.min(1, 0.35 + heat));
  }
  ctx.putImageData(image, 0, 0);
  document.body.append(canvas);
}
"""

# Element-relative points, placed in each element's box as laid out at this width.
PLACE_POINTS = """
(elements) => {
  const points = [];
  for (const element of elements) {
    let node = null;
    try { node = element.target && document.querySelector(element.target); } catch (e) {}
    if (!node) continue;
    const box = node.getBoundingClientRect();
    const centre = [{x: 0.5, y: 0.5, clicks: element.clicks}];
    for (const o of element.offsets.length ? element.offsets : centre) {
      const x = scrollX + box.left + o.x * box.width;
      points.push([x, scrollY + box.top + o.y * box.height, o.clicks]);
    }
  }
  return points;
}
"""


def add_command(commands: Any, connection: argparse.ArgumentParser) -> None:
    heatmap = commands.add_parser(
        "heatmap",
        parents=[connection],
        help="draw a page's click heatmap over its latest snapshot, as a PNG",
        description=__doc__,
    )
    heatmap.add_argument(
        "page",
        metavar="URL",
        help="the page (query string ignored); with * a pattern, e.g. 'https://shop/product/*'",
    )
    heatmap.add_argument("--out", type=Path, default=Path("heatmap.png"), help="the PNG to write")
    heatmap.add_argument("--viewport", choices=("mobile", "tablet", "desktop"))
    heatmap.add_argument(
        "--width", type=int, help="render width in px (default: the snapshot's viewport width)"
    )
    heatmap.add_argument(
        "--absolute",
        action="store_true",
        help="draw clicks at their page positions instead of inside their elements",
    )
    heatmap.add_argument("--radius", type=int, default=24, help="px of one click's heat")
    heatmap.set_defaults(run=_cli_sessions._with_client(run))


def run(args: argparse.Namespace, client: Client) -> int:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print(NEEDS_PLAYWRIGHT, file=sys.stderr)
        return 2
    page_filter = {"pattern": args.page} if "*" in args.page else {"url": args.page}
    heatmap = client.insights.click_heatmap(**page_filter, viewport=args.viewport)
    if heatmap.snapshot is None:
        print(f"error: no recorded snapshot of {args.page}", file=sys.stderr)
        return 1
    html = page_html(client, heatmap.snapshot)
    width = args.width or heatmap.snapshot.viewport_width or DEFAULT_WIDTH
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(playwright))
        try:
            page = browser.new_page(viewport={"width": width, "height": VIEW_HEIGHT})
            page.set_content(html, wait_until="load")
            points = _points(page, heatmap, args.absolute)
            page.evaluate(DRAW_HEAT, [points, args.radius])
            page.screenshot(path=str(args.out), full_page=True)
        finally:
            browser.close()
    print(f"{args.out}: {heatmap.clicks} clicks from {heatmap.sessions} sessions")
    return 0


def page_html(client: Client, snapshot: SnapshotRef) -> str:
    """The page as it stood when the visitor left it (script-free)."""
    recording: Recording = client.sessions.fetch(snapshot.session_id, strict=False)
    return recording.html_at(snapshot.last_at or snapshot.at)


def _points(page: Any, heatmap: ClickHeatmap, absolute: bool) -> list[list[float]]:
    if not absolute:
        elements = [e.model_dump() for e in heatmap.elements]
        placed: list[list[float]] = page.evaluate(PLACE_POINTS, elements)
        if placed:
            return placed
    return [[p.x, p.y, p.clicks] for p in heatmap.points]


def _chromium(playwright: Any) -> str | None:
    """``$SESSIONTAPE_CHROMIUM``, else Playwright's own Chromium when installed, else one on
    the PATH."""
    configured = os.environ.get("SESSIONTAPE_CHROMIUM")
    if configured:
        return configured
    if Path(playwright.chromium.executable_path).exists():
        return None
    return next(filter(None, map(shutil.which, SYSTEM_CHROMIUMS)), None)
