"""The viewer's heatmap page: visits at three viewport widths click known elements a known number
of times; the page shows the latest snapshot of that page with every click drawn inside the box
of the element it hit (whatever width it was recorded at), and lists the most clicked elements
with links into the sessions."""

from __future__ import annotations

import httpx
from playwright.sync_api import BrowserContext, Page

from tests.conftest import Collector

WIDTHS = (1280, 900, 420)
TITLE_CLICKS = 2
BUTTON_CLICKS = 1
POINTS_IN_BOX_JS = """([selector, points]) => {
  const doc = document.querySelector('.heat-stage iframe').contentDocument;
  const r = doc.querySelector(selector).getBoundingClientRect();
  return points.filter((p) => p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom)
    .reduce((sum, p) => sum + p.weight, 0);
}"""


def visit(context: BrowserContext, collector: Collector, width: int) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(collector.url("/demo/products.html"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    for _ in range(TITLE_CLICKS):
        page.click("#page-title")
        page.wait_for_timeout(1_100)  # apart: no rage click
    for _ in range(BUTTON_CLICKS):
        page.locator("[data-testid^=add-to-cart-]").first.click()
    page.wait_for_timeout(300)
    page.evaluate("window.sessiontape.recorder.flush()")
    page.close()


def title_clicks(collector: Collector) -> int:
    """Clicks on the title so far (other tests visit the same demo page)."""
    answer = httpx.get(
        collector.url("/v1/insights/clicks"),
        params={"url": "/demo/products.html"},
        headers={"Authorization": f"Bearer {collector.read_key}"},
    )
    answer.raise_for_status()
    top = answer.json()["top_elements"]
    return sum(e["clicks"] for e in top if e["target"].endswith("#page-title"))


def test_clicks_are_drawn_on_the_elements_they_hit(context: BrowserContext, collector: Collector):
    before = title_clicks(collector)
    for width in WIDTHS:
        visit(context, collector, width)
    viewer: Page = context.new_page()
    viewer.set_viewport_size({"width": 1400, "height": 900})
    viewer.goto(collector.url("/signin/demo"))
    viewer.click("button[type=submit]")
    viewer.wait_for_url("**/sessions")

    viewer.goto(collector.url("/heatmaps?url=/demo/products.html"))
    viewer.wait_for_function("window.sessiontapeHeatmap !== undefined")
    viewer.evaluate("window.sessiontapeHeatmap.ready")
    assert viewer.evaluate("window.sessiontapeHeatmap.missingElements()") == []
    points = viewer.evaluate("window.sessiontapeHeatmap.drawnPoints()")
    sessions = len(WIDTHS)
    in_title = viewer.evaluate(POINTS_IN_BOX_JS, ["#page-title", points])
    in_button = viewer.evaluate(POINTS_IN_BOX_JS, ["[data-testid^=add-to-cart-]", points])
    assert in_title >= TITLE_CLICKS * sessions
    assert in_button >= BUTTON_CLICKS * sessions

    top = viewer.locator(".insights-top li")
    titles = [t for t in top.all_inner_texts() if "page-title" in t]
    assert titles
    assert f"{before + TITLE_CLICKS * sessions} clicks" in titles[0]
    example = viewer.locator(".insights-top li a.example").first.get_attribute("href") or ""
    assert viewer.request.get(collector.url(example)).status == 200

    viewer.evaluate("window.sessiontapeHeatmap.setMode('page')")
    page_points = viewer.evaluate("window.sessiontapeHeatmap.drawnPoints()")
    assert sum(p["weight"] for p in page_points) >= (TITLE_CLICKS + BUTTON_CLICKS) * sessions
