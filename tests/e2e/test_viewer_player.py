"""The session page's player in Chromium, under the page's strict Content-Security-Policy.

A stand-in server (benchmarks/viewer_harness.py) serves the built viewer bundle, a synthetic
three-page session as NDJSON (optionally trickled) and its timeline JSON, exactly as the
collector's session page contract says. Every check is something a person looking at the page
would see: the replay plays, the markers and the side panel match the timeline, items seek,
``?t=`` opens there, the copied link is right, and playback starts before the download ends.
One test opens the same page served by the collector itself, for a real recorded visit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from benchmarks.viewer_harness import SESSION_ID, Trickle, serve
from benchmarks.viewer_session import Session, Shape, generate
from playwright.sync_api import Browser, Page

from tests.conftest import Collector

SHAPE = Shape(minutes=2, pages=3, cards_per_page=5, events=1500)
SEEK_TOLERANCE_MS = 100


@pytest.fixture(scope="module")
def session() -> Session:
    made = generate(SHAPE)
    timeline = made.timeline
    # A private field: the collector sends neither value nor state, and none must be shown.
    private = {"at": timeline["started_at"] + 29_000, "target": "input[name=card]"}
    timeline["typed"].append({**private, "value": None, "checked": None})
    return made


@pytest.fixture(scope="module")
def site(session: Session) -> Iterator[str]:
    with serve(session) as base:
        yield base


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: seen.append(f"page error: {e}"))
    return seen


def offset(session: Session, at: int) -> int:
    return at - int(session.timeline["started_at"])


def open_viewer(page: Page, base: str, query: str = "") -> None:
    page.goto(f"{base}/sessions/{SESSION_ID}{query}")
    page.evaluate("() => window.sessiontapeViewer.ready")


def current_ms(page: Page) -> float:
    return float(page.evaluate("() => window.sessiontapeViewer.currentTime()"))


def replay_title(page: Page) -> str:
    title: str = page.evaluate(
        """() => document.querySelector('#player-area iframe')
            .contentDocument.getElementById('page-title')?.textContent ?? ''"""
    )
    return title


def wait_near(page: Page, target_ms: float) -> None:
    page.wait_for_function(
        "([t, tol]) => Math.abs(window.sessiontapeViewer.currentTime() - t) <= tol",
        arg=[target_ms, SEEK_TOLERANCE_MS],
        timeout=5_000,
    )


def page_load_at(session: Session, number: int) -> int:
    url = f"https://shop.example/page-{number}"
    return int(next(p["at"] for p in session.timeline["pages"] if p["url"] == url))


def test_replay_plays_in_a_sandboxed_frame_with_its_controls(
    page: Page, site: str, csp_violations: list[str]
) -> None:
    open_viewer(page, site)
    frame = page.locator("#player-area iframe")
    sandbox = (frame.get_attribute("sandbox") or "").split()
    assert "allow-scripts" not in sandbox
    assert frame.get_attribute("sandbox") is not None
    assert replay_title(page) == "Shop page 1"
    started = current_ms(page)
    page.wait_for_timeout(1_500)
    assert current_ms(page) >= started + 1_000  # it plays
    speeds = page.locator(".rr-controller__btns button").all_inner_texts()
    assert [s.strip() for s in speeds if s.strip().endswith("x")] == ["1x", "2x", "4x", "8x"]
    assert page.locator(".rr-controller .switch input").is_checked()  # skip inactivity on
    assert page.locator(".rr-controller .switch").inner_text().strip() == "skip inactive"
    assert csp_violations == []


def test_markers_match_the_timeline(page: Page, site: str, session: Session) -> None:
    open_viewer(page, site)
    page.evaluate("() => window.sessiontapeViewer.timelineShown")
    t = session.timeline
    count = page.locator(".marker-strip .marker").count
    assert count() == len(t["pages"]) + len(t["clicks"]) + len(t["typed"]) + len(t["gaps"])
    assert page.locator(".marker.marker-page").count() == len(t["pages"])
    assert page.locator(".marker.marker-click").count() == len(t["clicks"])
    assert page.locator(".marker.marker-rage").count() == sum(c["rage"] for c in t["clicks"]) > 0
    assert page.locator(".marker.marker-dead").count() == sum(c["dead"] for c in t["clicks"]) > 0
    assert page.locator(".marker.marker-typed").count() == len(t["typed"])
    assert page.locator(".marker.marker-gap").count() == len(t["gaps"]) == 1
    # Placed by time: the gap marker sits where the gap is in the session.
    gap = page.locator(".marker.marker-gap")
    track = page.locator(".strip-track").bounding_box()
    box = gap.bounding_box()
    assert track
    assert box
    where = (box["x"] + box["width"] / 2 - track["x"]) / track["width"]
    expected = offset(session, t["gaps"][0]["at"]) / t["duration_ms"]
    assert abs(where - expected) < 0.01


def test_side_panel_lists_pages_clicks_typed_fields_and_client(
    page: Page, site: str, session: Session
) -> None:
    open_viewer(page, site)
    page.evaluate("() => window.sessiontapeViewer.timelineShown")
    t = session.timeline
    panel = page.locator("#side-panel")
    assert panel.locator(".item-page").count() == len(t["pages"])
    assert panel.locator(".item-click").count() == len(t["clicks"])
    assert panel.locator(".item-typed").count() == len(t["typed"])
    assert panel.locator(".badge-rage").count() == sum(c["rage"] for c in t["clicks"])
    assert panel.locator(".badge-dead").count() == sum(c["dead"] for c in t["clicks"])
    assert panel.locator(".item-page .url").first.inner_text() == "https://shop.example/page-1"
    values = panel.locator(".item-typed .value").all_inner_texts()
    assert sorted(values) == sorted(["red shoes"] * 3 + ["checked"] * 3 + [""])
    private = panel.locator(".item-typed", has_text="input[name=card]")
    assert private.locator(".value").inner_text() == ""  # a private field shows nothing
    client = panel.locator(".client-info").inner_text()
    for shown in ("Chromium 130", "Linux", "en-GB", "Europe/Berlin", "1920 \u00d7 1080"):
        assert shown in client
    assert "https://search.example/?q=shop" in client


def test_clicking_a_panel_click_or_a_marker_seeks_there(
    page: Page, site: str, session: Session
) -> None:
    open_viewer(page, site, "?t=0")  # paused at the start
    clicks = session.timeline["clicks"]
    last_dead = [c for c in clicks if c["dead"]][-1]
    target = offset(session, last_dead["at"])
    page.locator(f'#side-panel .item-click[data-offset="{target}"]').click()
    wait_near(page, target)
    assert replay_title(page) == "Shop page 3"
    page.wait_for_timeout(500)
    assert abs(current_ms(page) - target) <= SEEK_TOLERANCE_MS  # still paused there

    page2 = offset(session, page_load_at(session, 2))
    page.locator(f'.marker-strip .marker-page[data-offset="{page2}"]').click()
    wait_near(page, page2)
    page.wait_for_function(
        "() => document.querySelector('#player-area iframe').contentDocument"
        ".getElementById('page-title')?.textContent === 'Shop page 2'"
    )


def test_seeking_while_playing_keeps_playing_from_there(
    page: Page, site: str, session: Session
) -> None:
    open_viewer(page, site)  # plays from the start
    first_click = offset(session, session.timeline["clicks"][0]["at"])
    page.locator(f'#side-panel .item-click[data-offset="{first_click}"]').click()
    wait_near(page, first_click)
    page.wait_for_timeout(1_000)
    assert current_ms(page) >= first_click + 500


def test_start_ms_opens_paused_at_that_moment(page: Page, site: str, session: Session) -> None:
    moment = offset(session, page_load_at(session, 2)) + 5_000
    open_viewer(page, site, f"?t={moment}")
    assert abs(current_ms(page) - moment) <= SEEK_TOLERANCE_MS
    assert replay_title(page) == "Shop page 2"
    page.wait_for_timeout(700)
    assert abs(current_ms(page) - moment) <= SEEK_TOLERANCE_MS  # paused there


def test_copy_link_at_this_moment(browser: Browser, site: str, session: Session) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        moment = offset(session, page_load_at(session, 3)) + 2_345
        open_viewer(page, site, f"?t={moment}")
        page.get_by_role("button", name="Copy link at this moment").click()
        expected = f"{site}/sessions/{SESSION_ID}?t={moment}"
        field = page.get_by_role("textbox", name="Link at this moment")
        assert field.input_value() == expected
        assert field.get_attribute("readonly") is not None
        page.wait_for_function("() => document.querySelector('.copy-status').textContent")
        assert page.evaluate("() => navigator.clipboard.readText()") == expected
    finally:
        context.close()


def test_plays_straight_through_a_page_change(page: Page, site: str, session: Session) -> None:
    page2 = offset(session, page_load_at(session, 2))
    open_viewer(page, site, f"?t={page2 - 1_500}")
    assert replay_title(page) == "Shop page 1"
    page.locator(".rr-controller__btns button").first.click()  # play
    page.wait_for_function(
        "() => document.querySelector('#player-area iframe').contentDocument"
        ".getElementById('page-title')?.textContent === 'Shop page 2'",
        timeout=5_000,
    )
    assert current_ms(page) > page2


def total_time_label(page: Page) -> int:
    """The player's own total-time label (mm:ss), in seconds."""
    text = page.locator(".rr-timeline__time").last.inner_text()
    match = re.fullmatch(r"(\d+):(\d+)", text.strip())
    assert match, text
    return int(match[1]) * 60 + int(match[2])


def stream_state(page: Page) -> Any:
    return page.evaluate(
        "() => ({loaded: window.sessiontapeViewer.eventsLoaded(),"
        " atStart: window.sessiontapeViewer.eventsAtStart()})"
    )


def test_playback_starts_before_the_stream_ends_and_the_timeline_grows(
    page: Page, session: Session
) -> None:
    total = len(session.events)
    with serve(session, Trickle(head=150, chunk=100, pause_s=0.25)) as slow:
        open_viewer(page, slow)
        state = stream_state(page)
        assert state["atStart"] < total
        assert state["loaded"] < total
        assert replay_title(page) == "Shop page 1"  # a frame is on screen already
        early_total = total_time_label(page)
        assert page.evaluate("() => window.sessiontapeViewer.streamed") == total
        page.wait_for_function(
            "(n) => window.sessiontapeViewer.eventsLoaded() === n", arg=total, timeout=5_000
        )
        page.wait_for_timeout(300)
        assert total_time_label(page) > early_total + 60
        assert total_time_label(page) == session.timeline["duration_ms"] // 1000


def test_playback_that_outruns_the_download_resumes_when_more_arrives(
    page: Page, session: Session
) -> None:
    with serve(session, Trickle(head=150, chunk=500, pause_s=3.0)) as slow:
        open_viewer(page, slow)
        head_end = offset(session, session.events[149]["timestamp"])
        page.locator(".rr-controller__btns button", has_text="8x").click()
        page.wait_for_function(
            "(t) => window.sessiontapeViewer.currentTime() > t",
            arg=head_end + 3_000,
            timeout=10_000,
        )
        assert stream_state(page)["loaded"] > 150
        page.close()  # the server stops trickling


def test_the_collectors_session_page_replays_a_recorded_visit(
    page: Page, collector: Collector
) -> None:
    """The same page served by the collector itself: a real two-page visit to the demo shop,
    recorded, then watched after the demo sign-in."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(collector.url("/demo/index.html"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    session_id = page.evaluate("window.sessiontape.recorder.sessionId")
    heading = page.locator("h1").inner_text()
    page.mouse.move(300, 200, steps=5)
    page.click("#hello-button")
    page.locator("#newsletter-email").press_sequentially("ada@example.com", delay=10)
    page.evaluate("window.sessiontape.recorder.flush()")
    page.goto(collector.url("/demo/products.html"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    page.mouse.move(200, 200, steps=5)
    page.wait_for_timeout(300)
    page.evaluate("window.sessiontape.recorder.flush()")

    page.goto(collector.url("/signin/demo"))
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/sessions**")
    page.goto(collector.url(f"/sessions/{session_id}"))
    page.evaluate("() => window.sessiontapeViewer.ready")
    page.evaluate("() => window.sessiontapeViewer.timelineShown")
    frame = page.frame_locator("#player-area iframe")
    assert frame.locator("h1").first.inner_text() == heading

    timeline = page.request.get(collector.url(f"/sessions/{session_id}/timeline")).json()
    items = sum(len(timeline[k]) for k in ("pages", "clicks", "typed", "gaps"))
    assert len(timeline["pages"]) == 2
    assert page.locator(".marker-strip .marker").count() == items
    click = timeline["clicks"][0]
    at = click["at"] - timeline["started_at"]
    page.locator(f'#side-panel .item-click[data-offset="{at}"]').click()
    wait_near(page, at)


def test_a_session_without_a_page_snapshot_says_so(page: Page, session: Session) -> None:
    first = session.events[0]["timestamp"]
    meta = {"type": 4, "data": {"href": "https://shop.example/", "width": 800, "height": 600}}
    broken = Session([{**meta, "timestamp": first}], {**session.timeline, "pages": []})
    with serve(broken) as base:
        page.goto(f"{base}/sessions/{SESSION_ID}")
        alert = page.locator("#player-area [role=alert]")
        assert alert.inner_text() == "This session has no page snapshot to replay."
        assert page.locator("#player-area iframe").count() == 0
