"""``Recording.html_at(t)`` rebuilds, in pure Python, the DOM the visitor saw at time t."""

from __future__ import annotations

from playwright.sync_api import Page

from sessiontape import Client
from tests.conftest import Collector
from tests.e2e.conftest import flush_and_fetch
from tests.e2e.live_dom import capture, normalise


def settle(page: Page) -> None:
    """Lets the recorder's MutationObserver callback run before the DOM is captured."""
    page.evaluate("new Promise((resolve) => setTimeout(resolve, 50))")


def test_html_at_matches_the_live_dom_at_each_moment(page: Page, collector: Collector, sdk: Client):
    page.goto(collector.url("/demo/products.html"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    settle(page)
    moments = [capture(page)]

    page.locator("#product-search").press_sequentially("reel", delay=10)
    settle(page)
    moments.append(capture(page))

    page.click("#product-name-studio-reel")
    page.click("#product-modal-add")
    settle(page)
    moments.append(capture(page))

    page.fill("#product-search", "")
    settle(page)
    moments.append(capture(page))

    recording = flush_and_fetch(page, sdk)
    for timestamp, live in moments:
        rebuilt = recording.html_at(timestamp)
        assert normalise(rebuilt, page.url) == normalise(live, page.url), f"at {timestamp}"


def test_html_at_follows_form_state(page: Page, collector: Collector, sdk: Client):
    page.goto(collector.url("/demo/signup.html"))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")
    page.locator("#signup-name").press_sequentially("Grace Hopper", delay=5)
    page.locator("#signup-password").press_sequentially("never-in-html", delay=5)
    page.select_option("#signup-country", "us")
    page.check("#signup-newsletter")
    page.check("#plan-plus")
    page.locator("#signup-about").press_sequentially("Compilers.", delay=5)
    settle(page)
    timestamp, live = capture(page)

    recording = flush_and_fetch(page, sdk)
    rebuilt = recording.html_at(timestamp)
    assert normalise(rebuilt, page.url) == normalise(live, page.url)
    assert "never-in-html" not in rebuilt
