"""Hostile recorded markup played in the viewer never runs in the viewer's origin.

Every crafted attack class and every public payload of the XSS corpus (the same cases html_at is
tested with: ``<script>``, ``on*=`` handlers, ``javascript:`` URLs, ``srcdoc``, SVG scripts,
through snapshots, mutations and typed values) is uploaded as pages of a few sessions. Each
session is opened in the viewer, every page is shown (the player seeks to it and plays on) and
the session is played to its end: no dialog, no request to the canary server, no ``__pwned`` in
the viewer's window, no navigation of the top page, no popup; the replay iframe stays sandboxed
without ``allow-scripts``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import Dialog, Page

from tests.conftest import Collector
from tests.e2e.xss_harness import CanaryServer, canary_js
from tests.fixtures.xss_cases import PWN, Case
from tests.fixtures.xss_corpus import corpus

PAGES_PER_SESSION = 30
PAGE_GAP_MS = 2_000
START = 1_764_000_000_000


def session_of(cases: list[Case], canary: str) -> list[dict[str, Any]]:
    """The cases one after another, each a page of its own, ``PAGE_GAP_MS`` apart."""
    events: list[dict[str, Any]] = []
    for index, case in enumerate(cases):
        text = json.dumps(case.events).replace(PWN, canary_js(canary, f"v{index}"))
        page_events: list[dict[str, Any]] = json.loads(text)
        first = min(e["timestamp"] for e in page_events)
        for event in page_events:
            event["timestamp"] = START + index * PAGE_GAP_MS + event["timestamp"] - first
        events += page_events
    return events


def sign_in(page: Page, collector: Collector) -> None:
    page.goto(collector.url("/signin"))
    page.fill("#key", collector.read_key)
    page.click("button[type=submit]")
    page.wait_for_url("**/sessions")


def upload(collector: Collector, events: list[dict[str, Any]]) -> str:
    response = httpx.post(
        collector.url("/v1/sessions"),
        json={"session": uuid.uuid4().hex, "events": events},
        headers={"Authorization": f"Bearer {collector.read_key}"},
        timeout=30,
    )
    response.raise_for_status()
    session_id: str = response.json()["id"]
    return session_id


def play_every_page(page: Page, page_count: int) -> None:
    page.wait_for_function("window.sessiontapeViewer !== undefined")
    page.evaluate("window.sessiontapeViewer.ready")
    page.wait_for_function(
        "window.sessiontapeViewer.eventsLoaded() > 0 && "
        "document.querySelectorAll('#player-area iframe').length > 0"
    )
    for index in range(page_count):
        page.evaluate("(ms) => window.sessiontapeViewer.seek(ms)", index * PAGE_GAP_MS + 50)
        page.wait_for_timeout(120)
    page.evaluate("(ms) => window.sessiontapeViewer.seek(ms)", page_count * PAGE_GAP_MS)
    page.wait_for_timeout(300)


def test_no_recorded_payload_runs_in_the_viewer(page: Page, collector: Collector):
    cases = corpus()
    server = CanaryServer()
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.context.on("dialog", on_dialog)
    with server.running():
        sign_in(page, collector)
        for first in range(0, len(cases), PAGES_PER_SESSION):
            chunk = cases[first : first + PAGES_PER_SESSION]
            session_id = upload(collector, session_of(chunk, server.origin))
            url = collector.url(f"/sessions/{session_id}")
            page.goto(url)
            play_every_page(page, len(chunk))
            assert page.url == url, "the replay navigated the viewer"
            assert not page.evaluate("() => !!window.__pwned")
            sandbox = page.get_attribute("#player-area iframe", "sandbox") or ""
            assert "allow-same-origin" in sandbox
            assert "allow-scripts" not in sandbox
            assert len(page.context.pages) == 1, "the replay opened a window"
    assert dialogs == []
    assert server.hits == {}, f"payloads reached the canary: {sorted(server.hits)[:10]}"


@pytest.mark.parametrize("path", ["/sessions", "/signin", "/docs"])
def test_viewer_pages_run_under_their_csp_without_violations(
    page: Page, collector: Collector, path: str
):
    """The CSP is strict and the pages still work under it: no violation is reported."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, collector)
    page.goto(collector.url(path))
    page.wait_for_load_state("networkidle")
    if path == "/docs":
        page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert violations == []
