"""Scripted session payload: the same mouse, scroll, click and typing script, driven by
Playwright's mouse and keyboard, on the shop page with each recorder; the events each emits
(collected in the page from its callback), as JSON bytes and gzip -9 bytes."""

from __future__ import annotations

import gzip
import json
import math
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, Page

from benchmarks.browser import RECORDERS, fresh_page
from benchmarks.pages import WORDS
from benchmarks.stats import median

MOVE_MS = 8  # a 125 Hz mouse
TYPE_DELAY_MS = 20
FIELDS = ("#name", "#email", "#message")


@dataclass(frozen=True)
class Script:
    moves: int = 2000
    scrolls: int = 50
    clicks: int = 20
    chars: int = 300

    def scaled(self, factor: float) -> Script:
        return Script(
            *(
                max(1, round(v * factor))
                for v in (self.moves, self.scrolls, self.clicks, self.chars)
            )
        )


def _text(count: int) -> str:
    return " ".join(WORDS * (1 + count // 100))[:count]


def drive(page: Page, script: Script) -> None:
    """Segments of moves, then scrolls, a click on an 'Add to cart' button and some typing."""
    segments = script.clicks
    text = _text(script.chars)
    width, height = 1280, 800
    move = 0
    typed = 0
    for seg in range(segments):
        start = time.perf_counter()
        seg_moves = script.moves * (seg + 1) // segments - move
        for i in range(seg_moves):
            t = (move + i) / 37.0
            x = width / 2 + (width / 2 - 20) * math.sin(t)
            y = height / 2 + (height / 2 - 20) * math.sin(t * 1.3 + seg)
            ahead = start + i * MOVE_MS / 1000 - time.perf_counter()
            if ahead > 0:
                time.sleep(ahead)
            page.mouse.move(x, y)
        move += seg_moves
        for k in range(script.scrolls * (seg + 1) // segments - script.scrolls * seg // segments):
            page.mouse.wheel(0, 500 if k % 3 != 2 else -300)
            page.wait_for_timeout(120)
        button = page.locator("button.add").nth(seg % 24)
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box, "the 'Add to cart' button is on screen"
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        chunk = text[typed : script.chars * (seg + 1) // segments]
        typed += len(chunk)
        page.focus(FIELDS[seg % len(FIELDS)])
        page.keyboard.type(chunk, delay=TYPE_DELAY_MS)
    page.wait_for_timeout(1000)  # both recorders batch mouse positions for up to 500 ms


def _describe(event: dict[str, Any]) -> str:
    """rrweb numbering: '2' FullSnapshot, 'incremental/1' MouseMove, and so on."""
    if event["type"] == 3:
        return f"incremental/{event['data']['source']}"
    return str(event["type"])


def measure(browser: Browser, url: str, kind: str, script: Script) -> dict[str, Any]:
    with fresh_page(browser, url, kind) as page:
        page.evaluate(
            "(kind) => window.__bench.start(kind, (e) => window.__bench.events.push(e))", kind
        )
        drive(page, script)
        raw: str = page.evaluate("() => JSON.stringify(window.__bench.events)")
    events: list[dict[str, Any]] = json.loads(raw)
    body = raw.encode()
    json_bytes: Counter[str] = Counter()
    for e in events:
        json_bytes[_describe(e)] += len(json.dumps(e, separators=(",", ":")).encode())
    return {
        "events": len(events),
        "json_bytes": len(body),
        "gzip_bytes": len(gzip.compress(body, compresslevel=9, mtime=0)),
        "full_snapshot_bytes": json_bytes["2"],
        "by_kind": {
            k: {"events": n, "json_bytes": json_bytes[k]}
            for k, n in sorted(Counter(map(_describe, events)).items())
        },
    }


def run(browser: Browser, url: str, runs: int, script: Script) -> dict[str, Any]:
    samples: dict[str, list[dict[str, Any]]] = {k: [] for k in RECORDERS}
    for _ in range(runs):
        for kind in RECORDERS:
            samples[kind].append(measure(browser, url, kind, script))
    out: dict[str, Any] = {"script": script.__dict__, "runs": runs}
    for kind in RECORDERS:
        out[kind] = {
            key: median(s[key] for s in samples[kind])
            for key in ("events", "json_bytes", "gzip_bytes", "full_snapshot_bytes")
        }
        out[kind]["by_kind"] = samples[kind][-1]["by_kind"]
    out["ratio"] = out["sessiontape"]["gzip_bytes"] / out["rrweb"]["gzip_bytes"]
    return out
