"""Opt-in canvas capture (the canvas extension, a script of its own: ``recordCanvas({fps})`` in
start()'s ``extensions``, or ``data-canvas-fps`` on the recorder's script tag): a canvas the page
draws on replays with its pixels (rrweb's Replayer with ``UNSAFE_replayCanvas``), a canvas inside
masked markup is never captured (pixels can show text no masking reaches), and without the
extension nothing is captured.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, Page

from sessiontape import Client, Recording
from sessiontape.events import FullSnapshotEvent, IncrementalSnapshotEvent, IncrementalSource
from tests.conftest import Collector
from tests.e2e.conftest import by_id, events_of, find_element
from tests.e2e.round2_replay import fetch, live_and_replayed, record

RESTART_WITH_CANVAS = """async (fps) => {
  await new Promise((loaded, failed) => {
    const script = document.createElement('script');
    script.src = '/recorder-canvas.js';
    script.onload = loaded;
    script.onerror = failed;
    document.head.append(script);
  });
  const key = document.querySelector('script[data-key]').getAttribute('data-key');
  const extensions = [window.sessiontapeCanvas.recordCanvas({ fps })];
  window.sessiontape.start({ endpoint: '/', key, extensions });
  return window.sessiontape.recorder.flush();
}"""
SLACK = 12
"""Largest difference allowed in a cell's mean channel value: lossy WebP encoding."""


def cells(state: list[str], canvas_id: str) -> list[list[int]]:
    line = next(x for x in state if x.startswith(canvas_id + " cells="))
    return [[int(v) for v in cell.split(",")] for cell in line.split("=", 1)[1].split()]


def canvas_events(recording: Recording) -> list[dict[str, Any]]:
    return [
        e.data.model_dump()
        for e in events_of(recording, IncrementalSnapshotEvent)
        if e.data.source == IncrementalSource.CANVAS_MUTATION
    ]


def test_a_drawn_canvas_replays_with_its_pixels(
    page: Page, context: BrowserContext, collector: Collector, sdk: Client
) -> None:
    record(page, collector, "canvas.html")
    page.evaluate(RESTART_WITH_CANVAS, 5)
    page.wait_for_timeout(400)
    page.evaluate("window.drawChart([150, 20, 90, 140, 10])")
    page.wait_for_timeout(600)

    live, replay = live_and_replayed(
        page, context, sdk, played=True, options={"UNSAFE_replayCanvas": True}
    )

    expected, got = cells(live.state, "chart"), cells(replay.state, "chart")
    assert expected != cells(replay.state, "signature"), "the chart has colour"
    for want, have in zip(expected, got, strict=True):
        assert max(abs(a - b) for a, b in zip(want, have, strict=True)) <= SLACK, (want, have)
    assert all(cell == [0, 0, 0, 0] for cell in cells(replay.state, "signature")), (
        "the canvas inside masked markup replays blank"
    )


def test_a_canvas_in_masked_markup_and_the_default_capture_nothing(
    page: Page, collector: Collector, sdk: Client
) -> None:
    record(page, collector, "canvas.html")
    page.wait_for_timeout(600)
    assert canvas_events(fetch(page, sdk)) == [], "off by default"

    page.evaluate(RESTART_WITH_CANVAS, 10)
    page.wait_for_timeout(500)
    page.evaluate("window.drawChart([10, 20, 30, 40, 50])")
    page.wait_for_timeout(500)
    recording = fetch(page, sdk)

    # The restart took a new full snapshot (the extension's script added a node: ids moved).
    last = max(i for i, e in enumerate(recording.events) if isinstance(e, FullSnapshotEvent))
    restarted = Recording(recording.id, recording.events[last:])
    chart = find_element(restarted, by_id("chart"))
    sent = canvas_events(recording)
    assert {e["id"] for e in sent} == {chart["id"]}, "never the canvas inside masked markup"
    assert len(sent) == 2, "the chart before and after drawing; unchanged images are not resent"


def test_the_script_tags_turn_canvas_capture_on(
    page: Page, collector: Collector, sdk: Client
) -> None:
    html = (
        '<!doctype html><html><head><meta charset="utf-8">'
        f'<script src="/recorder.js" data-endpoint="/" data-key="{collector.write_key}"'
        ' data-canvas-fps="5"></script>'
        # After the recorder's tag: it starts once the document is parsed, the extension is there.
        '<script src="/recorder-canvas.js"></script>'
        '</head><body><canvas id="drawn" width="40" height="40"></canvas><script>'
        'const c = document.getElementById("drawn").getContext("2d");'
        'c.fillStyle = "#c00"; c.fillRect(0, 0, 40, 40);'
        "</script></body></html>"
    )
    url = collector.url("/canvas-tags.html")
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto(url)
    page.wait_for_function("window.sessiontape.recorder && window.sessiontape.recorder.sessionId")
    page.wait_for_timeout(600)
    recording = fetch(page, sdk)

    drawn = find_element(recording, by_id("drawn"))
    assert [e["id"] for e in canvas_events(recording)] == [drawn["id"]]
