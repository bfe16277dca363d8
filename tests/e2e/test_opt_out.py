"""Opting out stops everything: checked on every request the browser sends to the collector
(beacons from closing tabs included), kept by a proxy in front of it."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, Route

from tests.conftest import Collector
from tests.e2e.collector_tap import Tap

COOKIE = "sessiontape_optout"
GPC_ON = "Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})"
SETTLE_MS = 1500  # time given to anything that should not be sent, to show up if it were


def open_demo(page: Page, tap: Tap, path: str) -> None:
    page.goto(tap.url(path))
    page.wait_for_function("window.sessiontape && window.sessiontape.recorder")


def recording(page: Page) -> str:
    return page.evaluate("window.sessiontape.recorder.sessionId")


def scripted_visit(page: Page, tap: Tap) -> None:
    """Several demo pages, with typing, clicks, scrolling and navigation between them."""
    open_demo(page, tap, "/demo/index.html")
    page.mouse.move(200, 200, steps=5)
    page.click("#link-login")
    page.wait_for_url("**/login.html")
    page.fill("#login-email", "visitor@example.com")
    page.locator("#login-password").press_sequentially("a password", delay=2)
    page.click("#login-submit")
    open_demo(page, tap, "/demo/products.html")
    page.mouse.wheel(0, 600)
    open_demo(page, tap, "/demo/checkout.html")
    page.fill("#ship-name", "Ada Lovelace")
    open_demo(page, tap, "/demo/dynamic.html")
    page.mouse.move(100, 300, steps=5)
    open_demo(page, tap, "/demo/privacy.html")
    assert page.locator("#optout-state").get_attribute("data-state") == "off"
    page.evaluate("window.sessiontape.recorder.flush()")
    page.wait_for_timeout(SETTLE_MS)
    page.close(run_before_unload=True)


def assert_nothing_recorded(page: Page, tap: Tap) -> None:
    assert any(s.path == "/recorder.js" for s in tap.seen())  # the recorder was on the pages
    time.sleep(SETTLE_MS / 1000)  # a beacon from the closed tab would arrive meanwhile
    assert tap.api_calls() == []


def test_the_cookie_set_before_load_means_no_request_at_all(context: BrowserContext, tap: Tap):
    context.add_cookies([{"name": COOKIE, "value": "1", "url": tap.base_url}])
    page = context.new_page()
    open_demo(page, tap, "/demo/index.html")
    assert page.evaluate("window.sessiontape.isOptedOut()") is True
    assert recording(page) == ""
    # Nothing buffered anywhere, no id kept.
    kept = "[localStorage.sessiontape_session, sessionStorage.sessiontape_pending]"
    assert page.evaluate(kept) == [None, None]
    scripted_visit(page, tap)
    assert_nothing_recorded(page, tap)


def test_global_privacy_control_means_no_request_at_all(context: BrowserContext, tap: Tap):
    context.add_init_script(GPC_ON)
    page = context.new_page()
    open_demo(page, tap, "/demo/index.html")
    assert page.evaluate("window.sessiontape.isOptedOut()") is True
    assert recording(page) == ""
    scripted_visit(page, tap)
    assert_nothing_recorded(page, tap)


MODULE_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Module start</title></head><body>
<h1>Started by the site</h1><input id="field">
<script type="module">
  import * as sessiontape from "/recorder.mjs";
  window.sessiontape = sessiontape;
  window.recorder = sessiontape.start({ endpoint: location.origin, key: "KEY", respectGPC: false });
</script>
</body></html>"""


def test_gpc_is_ignored_when_the_site_says_so(page: Page, tap: Tap, collector: Collector):
    page.add_init_script(GPC_ON)

    def serve(route: Route) -> None:
        html = MODULE_PAGE.replace("KEY", collector.write_key)
        route.fulfill(status=200, content_type="text/html", body=html)

    page.route(tap.url("/lab/module.html"), serve)
    page.goto(tap.url("/lab/module.html"))
    page.wait_for_function("window.recorder && window.recorder.sessionId")
    assert page.evaluate("navigator.globalPrivacyControl") is True
    assert page.evaluate("window.sessiontape.isOptedOut()") is False  # the options it started with
    page.locator("#field").press_sequentially("recorded despite GPC", delay=2)
    page.evaluate("window.recorder.flush()")
    assert "recorded despite GPC" in tap.ingested_text()


def window_of(page: Page) -> str:
    return page.evaluate("window.sessiontape.recorder.windowId")


@pytest.mark.parametrize("leave", ["close", "navigate"])
@pytest.mark.parametrize("opt_out", [True, False], ids=["opted-out", "control"])
def test_opting_out_in_a_second_tab_stops_the_first_at_once(
    context: BrowserContext, tap: Tap, leave: str, opt_out: bool
):
    first = context.new_page()
    open_demo(first, tap, "/demo/privacy-lab/index.html")
    first_window = window_of(first)
    first.locator("#nickname").press_sequentially("typed before", delay=2)
    first.evaluate("window.sessiontape.recorder.flush()")
    second = context.new_page()
    open_demo(second, tap, "/demo/privacy.html")
    second.evaluate("window.sessiontape.recorder.flush()")
    assert "typed before" in tap.ingested_text()

    moment = len(tap.seen())  # both tabs have nothing in flight
    if opt_out:
        second.click("#opt-out")
        assert second.locator("#optout-state").get_attribute("data-state") == "off"
    first.locator("#nickname").press_sequentially(" then by fetch", delay=2)
    first.evaluate("window.sessiontape.recorder.flush()")
    first.locator("#nickname").press_sequentially(" then by beacon", delay=2)
    if leave == "close":
        first.close(run_before_unload=True)
    else:
        first.goto(tap.url("/demo/products.html"))
        first.wait_for_function("window.sessiontape.recorder")

    def sent_after() -> str:
        return "\n".join(s.body.decode() for s in tap.seen()[moment:] if s.path.startswith("/v1/"))

    deadline = time.monotonic() + (SETTLE_MS / 1000 if opt_out else 15)
    while time.monotonic() < deadline and "then by beacon" not in sent_after():
        time.sleep(0.1)
    if opt_out:
        assert sent_after() == ""
        assert "then by" not in tap.ingested_text()
    else:
        # The same steps without the opt-out do send: by fetch, then as the tab leaves.
        assert "then by fetch then by beacon" in sent_after()
        assert first_window in sent_after()


def test_opt_in_starts_a_new_session(page: Page, tap: Tap, collector: Collector):
    open_demo(page, tap, "/demo/privacy-lab/index.html")
    before = recording(page)
    page.evaluate("window.sessiontape.recorder.flush()")
    page.evaluate("window.sessiontape.optOut()")
    assert page.evaluate("window.sessiontape.isOptedOut()") is True
    assert recording(page) == ""
    page.evaluate("window.sessiontape.optIn()")
    assert page.evaluate("window.sessiontape.isOptedOut()") is False
    after = page.evaluate(
        "(key) => window.sessiontape.start({endpoint: location.origin, key}).sessionId",
        collector.write_key,
    )
    page.locator("#nickname").press_sequentially("typed after opting in", delay=2)
    page.evaluate("window.sessiontape.recorder.flush()")

    assert after
    assert after != before
    batch = [s.body.decode() for s in tap.ingest() if b"typed after opting in" in s.body]
    assert batch
    assert f'"session":"{after}"' in batch[0]


def test_the_opt_out_page_buttons(page: Page, tap: Tap):
    open_demo(page, tap, "/demo/index.html")
    before = recording(page)
    open_demo(page, tap, "/demo/privacy.html")
    assert page.locator("#optout-state").get_attribute("data-state") == "on"
    page.click("#opt-out")
    assert page.locator("#optout-state").get_attribute("data-state") == "off"
    assert {c["name"]: c["value"] for c in page.context.cookies()}.get(COOKIE) == "1"
    moment = len(tap.seen())

    open_demo(page, tap, "/demo/products.html")
    page.mouse.move(150, 150, steps=5)
    open_demo(page, tap, "/demo/privacy.html")
    assert page.locator("#optout-state").get_attribute("data-state") == "off"
    page.wait_for_timeout(SETTLE_MS)
    assert [s for s in tap.seen()[moment:] if s.path.startswith("/v1/")] == []

    page.click("#opt-in")
    assert page.locator("#optout-state").get_attribute("data-state") == "on"
    assert COOKIE not in {c["name"] for c in page.context.cookies()}
    open_demo(page, tap, "/demo/index.html")
    after = recording(page)
    page.evaluate("window.sessiontape.recorder.flush()")
    assert after
    assert after != before
    assert any(f'"session":"{after}"' in s.body.decode() for s in tap.ingest())


def short_visit(page: Page, tap: Tap) -> None:
    """One demo page with movement and typing, then another, then the tab closes."""
    open_demo(page, tap, "/demo/privacy-lab/index.html")
    page.mouse.move(200, 200, steps=5)
    page.locator("#nickname").press_sequentially("typed while opted out?", delay=2)
    page.evaluate("window.sessiontape.recorder.flush()")
    open_demo(page, tap, "/demo/index.html")
    page.close(run_before_unload=True)


@pytest.mark.parametrize("value", ["1", "true", "TRUE", "yes", "Yes", '"1"', '"true"', "%221%22"])
def test_every_opt_out_cookie_value_means_no_request_at_all(
    context: BrowserContext, tap: Tap, value: str
):
    context.add_cookies([{"name": COOKIE, "value": value, "url": tap.base_url}])
    page = context.new_page()
    open_demo(page, tap, "/demo/index.html")
    assert page.evaluate("window.sessiontape.isOptedOut()") is True
    short_visit(page, tap)
    assert_nothing_recorded(page, tap)


@pytest.mark.parametrize(
    ("name", "value"),
    [(COOKIE, "0"), (COOKIE, "no"), (COOKIE, "10"), ("old_" + COOKIE, "1"), (COOKIE + "_x", "1")],
)
def test_other_cookies_do_not_opt_out(context: BrowserContext, tap: Tap, name: str, value: str):
    context.add_cookies([{"name": name, "value": value, "url": tap.base_url}])
    page = context.new_page()
    open_demo(page, tap, "/demo/index.html")
    assert page.evaluate("window.sessiontape.isOptedOut()") is False
    short_visit(page, tap)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "typed while opted out?" not in tap.ingested_text():
        time.sleep(0.1)
    assert "typed while opted out?" in tap.ingested_text()


def serve_with_cookie(set_cookie: str) -> Callable[[Route], None]:
    """Serves the demo page as the site's server would, with a Set-Cookie header."""

    def serve(route: Route) -> None:
        answer = route.fetch()
        route.fulfill(response=answer, headers={**answer.headers, "set-cookie": set_cookie})

    return serve


def test_the_server_code_in_the_docs_opts_out(page: Page, tap: Tap):
    # docs/privacy.md: the header a server sends to opt a visitor out.
    header = f"{COOKIE}=1; Path=/; Max-Age=31536000; SameSite=Lax"
    page.route(tap.url("/demo/privacy.html"), serve_with_cookie(header))
    open_demo(page, tap, "/demo/privacy.html")
    assert page.evaluate("window.sessiontape.isOptedOut()") is True
    page.unroute(tap.url("/demo/privacy.html"))
    short_visit(page, tap)
    assert_nothing_recorded(page, tap)


def test_an_httponly_opt_out_cookie_is_invisible_to_the_recorder(page: Page, tap: Tap):
    # The limit docs/privacy.md warns about: scripts cannot read an HttpOnly cookie.
    header = f"{COOKIE}=1; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"
    page.route(tap.url("/demo/privacy.html"), serve_with_cookie(header))
    open_demo(page, tap, "/demo/privacy.html")
    assert COOKIE in {c["name"] for c in page.context.cookies()}
    assert page.evaluate("window.sessiontape.isOptedOut()") is False
