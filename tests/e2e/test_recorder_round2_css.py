"""Round 2, stylesheet changes made through the CSSOM (testsite/round2/css.html and its frame),
recorded, replayed by rrweb's Replayer and compared on the computed colours of probe elements
(round2_replay.py): rules inserted and deleted inside @media, setProperty/removeProperty on a
rule's style, a constructed sheet adopted before recording started and changed after, a <style>
whose sheet holds its text plus a rule inserted by script, addRule/removeRule, and a same-origin
frame's own sheet, adopted sheets and a shadow root's adopted sheet. Each of these replayed with
the colour before the change (or none) on the recorder before round 2; two controls replayed
right before too: a <style>'s own text, and a <style> whose text is replaced.
"""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Page

from sessiontape import Client
from tests.conftest import Collector
from tests.e2e.round2_replay import live_and_replayed, record
from tests.e2e.test_replay_fidelity import assert_same_dom

EXPECTED = {
    "media": "rgb(0, 128, 0)",
    "media2": "rgb(0, 0, 128)",
    "decl": "rgb(0, 128, 0)",
    "text": "rgb(10, 20, 30)",
    "inserted": "rgb(40, 50, 60)",
    "adopted": "rgb(0, 128, 0)",
    "adopted-added": "rgb(0, 100, 100)",
    "legacy-new": "rgb(0, 128, 0)",
    "legacy-old": "rgb(0, 0, 0)",
    "retext": "rgb(0, 128, 0)",
    "css-frame>f-rule": "rgb(0, 128, 0)",
    "css-frame>f-adopted": "rgb(0, 0, 128)",
    "css-frame>f-host/f-shadow": "rgb(0, 90, 0)",
}


def colours(state: list[str]) -> dict[str, str]:
    return {
        line.split(" ")[0]: line.split(" color=")[1].split(" background=")[0]
        for line in state
        if " color=" in line
    }


SEEK_LIMIT = "css-frame>f-host/f-shadow "
"""rrweb's replayer, seeking (virtual DOM), drops a rule inserted into a constructed sheet that a
shadow root adopted in the same batch; played in real time it applies it. The recording holds
the rule (the played test proves it), so the seeked test leaves this one probe to the played one."""


def record_changes(page: Page, collector: Collector) -> None:
    record(page, collector, "css.html")
    page.frame_locator("#css-frame").locator("#f-rule").wait_for()
    page.evaluate("window.changeStyles()")
    frame = next(f for f in page.frames if f.url.endswith("css-frame.html"))
    frame.evaluate("window.changeStyles()")


def assert_page_did_as_written(state: list[str]) -> None:
    assert {k: colours(state)[k] for k in EXPECTED} == EXPECTED
    joined = " ".join(state)
    assert "decl color=rgb(0, 128, 0) background=rgba(0, 0, 0, 0)" in joined
    assert SEEK_LIMIT + "color=rgb(0, 90, 0) background=rgb(9, 9, 9)" in joined


def test_cssom_changes_replay_as_they_apply_when_seeked(
    page: Page, context: BrowserContext, collector: Collector, sdk: Client
) -> None:
    record_changes(page, collector)

    live, replay = live_and_replayed(page, context, sdk)

    assert_page_did_as_written(live.state)
    seekable = [line for line in live.state if not line.startswith(SEEK_LIMIT)]
    assert [line for line in replay.state if not line.startswith(SEEK_LIMIT)] == seekable
    assert_same_dom(live.dom, replay.dom)


def test_cssom_changes_replay_as_they_apply_when_played(
    page: Page, context: BrowserContext, collector: Collector, sdk: Client
) -> None:
    record_changes(page, collector)

    live, replay = live_and_replayed(page, context, sdk, played=True)

    assert_page_did_as_written(live.state)
    assert replay.state == live.state
    assert_same_dom(live.dom, replay.dom)
