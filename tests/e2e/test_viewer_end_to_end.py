"""The viewer as a person uses it: a visit to the demo shop is recorded (three pages, clicks, a
rage click, typing), the demo's one-click sign-in opens the list, the list shows the session
with its counts and badge, and the session page replays it: seeked to the moment the live DOM
was captured, the replay iframe holds the same DOM; the side panel's clicks seek the player to
them; ``?t=`` opens at that moment."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import BrowserContext, Page

from tests.conftest import Collector
from tests.e2e.test_replay_fidelity import HINTS_JS, SERIALISE_JS, assert_same_dom

VIEWPORT = {"width": 1000, "height": 700}
CAPTURE_JS = "(serialise) => [Date.now(), eval(serialise)([document, {private: [], blocked: []}])]"
REPLAY_DOM_JS = """([serialise, hints]) => {
  const doc = document.querySelector('#player-area iframe').contentDocument;
  return eval(serialise)([doc, hints]);
}"""
SEEK_TOLERANCE_MS = 100


def record_visit(page: Page, collector: Collector) -> tuple[str, int, list[str], dict[str, Any]]:
    """Three pages, 7 clicks (3 of them a rage click on the title), typing. Returns the session
    id, when the live DOM was captured (ms since the epoch), that DOM and the privacy hints."""
    page.set_viewport_size(VIEWPORT)
    page.goto(collector.url("/demo/index.html"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    page.click("#nav-products")
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    page.locator("#product-search").press_sequentially("cas", delay=20)
    page.locator("[data-testid^=add-to-cart-]").first.click()
    for _ in range(3):
        page.click("#page-title", delay=10)
    page.wait_for_timeout(1_100)
    page.click("#nav-signup")
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    page.locator("#signup-name").press_sequentially("Ada", delay=20)
    page.locator("#signup-password").press_sequentially("hunter22", delay=20)
    page.check("#signup-newsletter")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.mouse.move(VIEWPORT["width"] - 2, VIEWPORT["height"] - 2)
    page.wait_for_timeout(600)
    hints = page.evaluate(HINTS_JS)
    captured_at, live = page.evaluate(CAPTURE_JS, SERIALISE_JS)
    page.wait_for_timeout(300)
    session_id = page.evaluate("window.sessiontape.recorder.sessionId")
    page.evaluate("window.sessiontape.recorder.flush()")
    return session_id, captured_at, live, hints


def sign_in_to_demo(viewer: Page, collector: Collector) -> None:
    viewer.goto(collector.url("/signin/demo"))
    viewer.click("button[type=submit]")
    viewer.wait_for_url("**/sessions")


def open_session(viewer: Page, url: str) -> None:
    viewer.goto(url)
    viewer.wait_for_function("window.sessiontapeViewer !== undefined")
    viewer.evaluate("window.sessiontapeViewer.ready")
    viewer.evaluate("window.sessiontapeViewer.streamed")
    viewer.evaluate("window.sessiontapeViewer.timelineShown")


def current_time(viewer: Page) -> float:
    return float(viewer.evaluate("window.sessiontapeViewer.currentTime()"))


def test_a_recorded_visit_is_listed_and_replays_in_the_viewer(
    page: Page, context: BrowserContext, collector: Collector
):
    session_id, captured_at, live_dom, hints = record_visit(page, collector)
    viewer = context.new_page()
    viewer.set_viewport_size({"width": 1400, "height": 900})
    sign_in_to_demo(viewer, collector)

    row = viewer.locator(f'tr[data-session-id="{session_id}"]')
    assert row.locator('[data-col="pages"]').inner_text() == "3"
    assert row.locator('[data-col="clicks"]').inner_text() == "7"
    assert re.fullmatch(r"rage \d+", row.locator(".badge.rage").inner_text())
    assert "Chrome" in row.inner_text()

    row.locator("a").first.click()
    viewer.wait_for_url(f"**/sessions/{session_id}")
    open_session(viewer, viewer.url)
    timeline = viewer.request.get(collector.url(f"/sessions/{session_id}/timeline")).json()
    assert len(timeline["pages"]) == 3
    assert [t["value"] for t in timeline["typed"] if "signup-name" in t["target"]] == ["Ada"]
    assert all("hunter22" not in str(t["value"]) for t in timeline["typed"])
    newsletter = [t for t in timeline["typed"] if "signup-newsletter" in t["target"]]
    assert [t["checked"] for t in newsletter] == [True]
    panel = viewer.locator("#side-panel .item-typed").all_inner_texts()
    assert any("signup-newsletter" in text and "checked" in text for text in panel)

    offset = captured_at - timeline["started_at"] + 1
    viewer.evaluate("(ms) => window.sessiontapeViewer.seek(ms)", offset)
    viewer.wait_for_timeout(300)
    assert_same_dom(live_dom, viewer.evaluate(REPLAY_DOM_JS, [SERIALISE_JS, hints]))

    moment = int(timeline["clicks"][2]["at"] - timeline["started_at"])
    open_session(viewer, collector.url(f"/sessions/{session_id}?t={moment}"))
    assert abs(current_time(viewer) - moment) <= SEEK_TOLERANCE_MS  # opened paused there
    viewer.click(".copy-link")
    link = viewer.locator(".moment-link").input_value()
    assert link.endswith(f"/sessions/{session_id}?t={moment}")

    clicks = viewer.locator("#side-panel .item-click")
    assert clicks.count() == 7
    for index in (1, 4, 0):
        item = clicks.nth(index)
        item.click()
        wanted = float(item.get_attribute("data-offset") or "nan")
        assert abs(current_time(viewer) - wanted) <= SEEK_TOLERANCE_MS
