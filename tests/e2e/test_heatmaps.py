"""Heatmaps from real visits: scripted visits to the demo shop at several viewport widths (one
after a layout change) click known elements a known number of times and scroll to known depths;
the API must count exactly that, and its element paths must find the same elements at a width
no visit used."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from sessiontape import Client
from sessiontape._cli_heatmap import VIEW_HEIGHT, page_html
from tests.conftest import Collector

HEIGHT = 700
ADD_FIRST = "#product-list [data-action=add] >> nth=0"
ADD_SECOND = "#product-list [data-action=add] >> nth=1"
TITLE = "#page-title"
SEARCH = "#product-search"
LAYOUT_CHANGE = """
document.addEventListener('DOMContentLoaded', () => {
  const style = document.createElement('style');
  style.textContent = 'main { padding-top: 240px } .grid { grid-template-columns: 1fr 1fr }';
  document.head.append(style);
});
"""


@dataclass(frozen=True)
class Visit:
    width: int
    clicks: dict[str, int]
    """Locator -> clicks."""
    depth: int
    """How far down the long read the visitor scrolls."""
    layout_change: bool = False


VISITS = [
    Visit(1280, {ADD_FIRST: 3, TITLE: 1}, depth=0),
    Visit(900, {ADD_FIRST: 1, ADD_SECOND: 2, SEARCH: 1}, depth=1000),
    Visit(390, {ADD_SECOND: 1, TITLE: 2}, depth=2000),
    Visit(1280, {ADD_FIRST: 2, SEARCH: 1}, depth=3000, layout_change=True),
]
REL_X, REL_Y = 0.3, 0.6
"""Where in each element's box the script clicks."""


def click_at(page: Page, locator: str) -> None:
    element = page.locator(locator)
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + REL_X * box["width"], box["y"] + REL_Y * box["height"])
    page.wait_for_timeout(1100)  # clicks a second apart: no rage bursts, each counted on its own


def run_visit(browser: Browser, collector: Collector, visit: Visit) -> dict[str, float]:
    """Runs the visit; gives where the first product's button was on its page."""
    context = browser.new_context(viewport={"width": visit.width, "height": HEIGHT})
    if visit.layout_change:
        context.add_init_script(LAYOUT_CHANGE)
    page = context.new_page()
    page.goto(collector.url("/demo/products.html"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    page.wait_for_selector(ADD_SECOND)
    first_button = page.locator(ADD_FIRST).bounding_box()
    assert first_button is not None
    for locator, count in visit.clicks.items():
        for _ in range(count):
            click_at(page, locator)
    page.goto(collector.url("/demo/long.html"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    if visit.depth:
        page.evaluate(f"window.scrollTo(0, {visit.depth})")
        page.wait_for_function(f"window.scrollY === {visit.depth}")
        page.wait_for_timeout(300)
    page.evaluate("window.sessiontape.recorder.flush()")
    context.close()
    return first_button


@pytest.fixture(scope="module")
def visited(browser: Browser, collector: Collector) -> int:
    """Runs the visits once; gives the time they started (other tests' clicks come before)."""
    started = int(time.time() * 1000)
    boxes = [run_visit(browser, collector, visit) for visit in VISITS]
    same_width = [box for box, visit in zip(boxes, VISITS, strict=True) if visit.width == 1280]
    assert same_width[0] != same_width[1]  # the layout did change between those two visits
    return started


@pytest.fixture
def checker(browser: Browser, collector: Collector) -> Iterator[Page]:
    """The products page at a width no visit used, opted out of recording."""
    context = browser.new_context(viewport={"width": 1100, "height": HEIGHT})
    context.add_cookies([{"name": "sessiontape_optout", "value": "1", "url": collector.base_url}])
    page = context.new_page()
    page.goto(collector.url("/demo/products.html"))
    page.wait_for_selector(ADD_SECOND)
    yield page
    context.close()


def same_element(page: Page, path: str, locator: str) -> bool:
    handle = page.locator(locator).element_handle()
    return bool(
        page.evaluate("([path, el]) => document.querySelector(path) === el", [path, handle])
    )


def test_clicks_per_element_equal_the_script(visited, sdk: Client, collector, checker: Page):
    heatmap = sdk.insights.click_heatmap(collector.url("/demo/products.html"), after=visited)
    expected = Counter[str]()
    for visit in VISITS:
        expected.update(visit.clicks)

    counted = {
        locator: sum(e.clicks for e in heatmap.elements if same_element(checker, e.target, locator))
        for locator in expected
    }

    assert counted == dict(expected)
    assert heatmap.clicks == sum(expected.values())
    assert heatmap.sessions == len(VISITS)
    mobile = sdk.insights.click_heatmap(
        collector.url("/demo/products.html"), after=visited, viewport="mobile"
    )
    assert mobile.clicks == sum(VISITS[2].clicks.values())


def test_element_relative_points_land_in_the_element_at_another_width(
    visited, sdk: Client, collector, checker: Page
):
    heatmap = sdk.insights.click_heatmap(collector.url("/demo/products.html"), after=visited)
    if not any(element.offsets for element in heatmap.elements):
        pytest.skip("the recorder sends no target box with its clicks (see docs/insights.md)")
    for element in heatmap.elements:
        box = checker.locator(f"css={element.target}").bounding_box()
        assert box is not None
        for point in element.offsets:
            assert abs(point.x - REL_X) <= 0.05
            assert abs(point.y - REL_Y) <= 0.05
            x, y = box["x"] + point.x * box["width"], box["y"] + point.y * box["height"]
            hit = checker.evaluate(
                "([x, y, path]) => document.querySelector(path).contains("
                "document.elementFromPoint(x, y))",
                [x, y, element.target],
            )
            assert hit, element.target


def test_scroll_map_shares_equal_the_scripted_depths(visited, sdk: Client, collector):
    scroll = sdk.insights.scroll_map(collector.url("/demo/long.html"), after=visited, step_px=100)
    shares = {d.depth_px: d.share for d in scroll.depths}

    assert scroll.sessions == len(VISITS)
    deepest = sorted(v.depth + HEIGHT for v in VISITS)
    for rank, depth in enumerate(deepest):
        assert shares[depth] == (len(deepest) - rank) / len(deepest)
        if depth + 100 in shares:
            assert shares[depth + 100] == (len(deepest) - rank - 1) / len(deepest)
    assert max(shares) == deepest[-1]


def hottest_point(heatmap_png: Path, plain_png: bytes) -> tuple[float, float]:
    """The centre of the reddest pixels the overlay added to the plain page."""
    from PIL import Image, ImageChops

    heat = Image.open(heatmap_png).convert("RGB")
    plain = Image.open(io.BytesIO(plain_png)).convert("RGB")
    assert heat.size == plain.size
    red, _, blue = heat.split()
    added = ImageChops.difference(heat, plain).convert("L").point(lambda v: 255 if v > 30 else 0)
    redness = ImageChops.multiply(ImageChops.subtract(red, blue), added)
    peak = redness.getextrema()[1]
    assert peak > 100, "no hot spot drawn"
    box = redness.point(lambda v: 255 if v >= peak - 8 else 0).getbbox()
    assert box is not None
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def test_png_export_is_hottest_over_the_most_clicked_element(
    visited, sdk: Client, collector, browser: Browser, tmp_path: Path, browser_type_launch_args
):
    url = collector.url("/demo/products.html")
    out = tmp_path / "heatmap.png"
    command = [sys.executable, "-m", "sessiontape.cli", "heatmap", url, "--out", str(out)]
    command += ["--url", collector.base_url, "--api-key", collector.read_key]
    env = dict(os.environ)
    if "executable_path" in browser_type_launch_args:  # the Chromium the tests use
        env["SESSIONTAPE_CHROMIUM"] = browser_type_launch_args["executable_path"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr

    heatmap = sdk.insights.click_heatmap(url)
    assert heatmap.snapshot is not None
    top = heatmap.elements[0]
    width = heatmap.snapshot.viewport_width or 1280
    context = browser.new_context(viewport={"width": width, "height": VIEW_HEIGHT})
    page = context.new_page()
    page.set_content(page_html(sdk, heatmap.snapshot), wait_until="load")
    left, top_y, box_width, box_height = page.evaluate(
        "(path) => { const r = document.querySelector(path).getBoundingClientRect();"
        " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }",
        top.target,
    )
    plain = page.screenshot(full_page=True)
    context.close()

    x, y = hottest_point(out, plain)
    assert left <= x <= left + box_width
    assert top_y <= y <= top_y + box_height
