"""Scroll offsets of elements in full snapshots. The recorder reads an element's offsets only
where they may not be 0: in a tree whose scroll events it has watched since before anything in it
could scroll (the document when the script runs while it loads, shadow roots attached since), an
element no scroll event came from is not read. Whichever way the script is loaded, an element
scrolled before recording starts is in the snapshot where it was, and one scrolled in the very task
of the start follows as a Scroll event."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from tests.conftest import Collector

BODY = """<div id="box" style="height:100px;width:100px;overflow:auto">
  <div style="height:1000px;width:1000px">tall</div></div>
<div id="same-task" style="height:100px;overflow:auto"><div style="height:1000px">tall</div></div>
<div id="untouched" style="height:100px;overflow:auto"><div style="height:1000px">tall</div></div>
<div id="host"></div>
<script>
  document.getElementById('box').scrollTop = 240;  // while the document is parsed
  const root = document.getElementById('host').attachShadow({ mode: 'open' });
  root.innerHTML = '<div id="inner" style="height:100px;overflow:auto">'
    + '<div style="height:1000px">tall</div></div>';
  requestAnimationFrame(() => { root.getElementById('inner').scrollTop = 120; });
</script>"""

START = """() => {
  window.recorded = [];
  document.getElementById('same-task').scrollTop = 80;
  const recorder = window.sessiontape.start({ onEvent: (e) => window.recorded.push(e) });
  return recorder.flush();
}"""


def nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node]
    for child in node.get("childNodes", []):
        found.extend(nodes(child))
    return found


def final_offsets(events: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """By element id attribute: where a replay ends, from the snapshot and the Scroll events."""
    (snapshot,) = [e for e in events if e["type"] == 2]
    elements = [n for n in nodes(snapshot["data"]["node"]) if n["type"] == 2]
    names = {n["id"]: n["attributes"].get("id") for n in elements}
    offsets = {
        n["attributes"]["id"]: (
            n["attributes"].get("rr_scrollLeft", 0),
            n["attributes"].get("rr_scrollTop", 0),
        )
        for n in elements
        if "id" in n["attributes"]
    }
    for e in events:
        if e["type"] == 3 and e["data"]["source"] == 3 and names.get(e["data"]["id"]):
            offsets[names[e["data"]["id"]]] = (e["data"]["x"], e["data"]["y"])
    return offsets


@pytest.mark.parametrize("loaded", ["in the head", "after the page loaded"])
def test_elements_scrolled_before_the_start_are_where_they_were(
    page: Page, collector: Collector, loaded: str
) -> None:
    in_head = loaded == "in the head"
    head = '<script src="/recorder.js"></script>' if in_head else ""
    html = (
        f'<!doctype html><html><head><meta charset="utf-8">{head}</head><body>{BODY}</body></html>'
    )
    url = collector.url("/scroll-offsets.html")
    page.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto(url)
    if not in_head:
        page.add_script_tag(url="/recorder.js")
    page.wait_for_timeout(200)  # a few frames: the page's scroll events have fired

    page.evaluate(START)
    page.wait_for_timeout(400)  # the throttled Scroll event of the same-task scroll
    events = page.evaluate("window.recorded")

    (snapshot,) = [e for e in events if e["type"] == 2]
    in_snapshot = {
        n["attributes"]["id"]: n["attributes"].get("rr_scrollTop")
        for n in nodes(snapshot["data"]["node"])
        if n["type"] == 2 and "id" in n["attributes"]
    }
    assert in_snapshot["box"] == 240
    assert in_snapshot["inner"] == 120, "inside a shadow root"
    assert in_snapshot["untouched"] is None
    offsets = final_offsets(events)
    assert offsets["same-task"] == (0, 80)
    assert offsets["box"] == (0, 240)
    assert offsets["untouched"] == (0, 0)
