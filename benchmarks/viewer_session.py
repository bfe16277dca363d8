"""A synthetic recorded session in the rrweb v2 schema, with the timeline the viewer shows for it.

Page loads (Meta + FullSnapshot of a few hundred nodes), a client event, mouse moves, scrolls,
clicks (one rage burst, one dead click), typed fields (text and checkbox), mutations, idle
stretches, one single-page navigation per page and one recorder gap (``dropped``, then a fresh
snapshot). Deterministic for a given shape and seed.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

Event = dict[str, Any]
START_MS = 1_767_000_000_000
TINY_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNg"
    "YGBgAAAABQABpfZFQAAAAABJRU5ErkJggg=="
)
META, FULL, INCREMENTAL, CUSTOM = 4, 2, 3, 5
MUTATION, MOUSE_MOVE, MOUSE_INTERACTION, SCROLL, INPUT = 0, 1, 2, 3, 5


@dataclass(frozen=True)
class Shape:
    minutes: float = 60.0
    pages: int = 4
    cards_per_page: int = 24  # about 12 nodes each
    events: int = 50_000
    seed: int = 7


@dataclass
class Page:
    """Node ids of one page's snapshot that later events point at."""

    title_text: int = 0
    status_text: int = 0
    buttons: list[int] = field(default_factory=list)
    text_input: int = 0
    checkbox: int = 0
    list_id: int = 0
    next_id: int = 1


@dataclass
class Session:
    events: list[Event]
    timeline: dict[str, Any]

    def ndjson(self) -> bytes:
        return b"".join(json.dumps(e, separators=(",", ":")).encode() + b"\n" for e in self.events)

    def json_array(self) -> bytes:
        return json.dumps(self.events, separators=(",", ":")).encode()


def _element(page: Page, tag: str, attrs: dict[str, Any] | None = None, *kids: Any) -> Any:
    node = {"type": 2, "tagName": tag, "attributes": attrs or {}, "childNodes": list(kids)}
    node["id"] = page.next_id
    page.next_id += 1
    return node


def _text(page: Page, text: str) -> Any:
    node = {"type": 3, "textContent": text, "id": page.next_id}
    page.next_id += 1
    return node


def snapshot(index: int, cards: int) -> tuple[Any, Page]:
    page = Page()
    doc: Any = {"type": 0, "childNodes": [], "id": page.next_id}
    page.next_id += 1
    doctype = {"type": 1, "name": "html", "publicId": "", "systemId": "", "id": page.next_id}
    page.next_id += 1
    css = "body{font-family:sans-serif;margin:0}.card{display:inline-block;width:200px;margin:8px}"
    head = _element(page, "head", None, _element(page, "style", {"_cssText": css}))
    title_text = _text(page, f"Shop page {index + 1}")
    page.title_text = title_text["id"]
    status_text = _text(page, "Ready")
    page.status_text = status_text["id"]
    card_nodes = []
    for k in range(cards):
        button = _element(page, "button", {"class": "add"}, _text(page, "Add to cart"))
        page.buttons.append(button["id"])
        card_nodes.append(
            _element(
                page,
                "div",
                {"class": "card"},
                _element(page, "img", {"src": TINY_PNG, "alt": "", "width": "180"}),
                _element(page, "h2", None, _text(page, f"Product {index}-{k}")),
                _element(page, "p", None, _text(page, "A fine product, well made and cheap. " * 2)),
                _element(page, "span", {"class": "price"}, _text(page, f"{10 + k}.99 EUR")),
                button,
            )
        )
    text_input = _element(page, "input", {"type": "text", "name": "q"})
    checkbox = _element(page, "input", {"type": "checkbox", "name": "news"})
    page.text_input, page.checkbox = text_input["id"], checkbox["id"]
    cart = _element(page, "ul", {"id": "cart"})
    page.list_id = cart["id"]
    body = _element(
        page,
        "body",
        None,
        _element(page, "h1", {"id": "page-title"}, title_text),
        _element(page, "p", {"id": "status"}, status_text),
        _element(page, "form", None, text_input, checkbox),
        _element(page, "main", None, *card_nodes),
        cart,
    )
    doc["childNodes"] = [doctype, _element(page, "html", {"lang": "en"}, head, body)]
    return doc, page


class Writer:
    """Appends events and the timeline entries they imply."""

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.rng = random.Random(shape.seed)
        self.events: list[Event] = []
        self.timeline: dict[str, Any] = {"pages": [], "clicks": [], "typed": [], "gaps": []}
        self.page = Page()
        self.page_index = 0
        self.x, self.y = 400, 300

    def emit(self, at: int, kind: int, data: dict[str, Any]) -> None:
        self.events.append({"type": kind, "data": data, "timestamp": at})

    def load(self, at: int, href: str) -> None:
        self.emit(at, META, {"href": href, "width": 1280, "height": 800})
        node, self.page = snapshot(self.page_index, self.shape.cards_per_page)
        self.emit(at + 5, FULL, {"node": node, "initialOffset": {"left": 0, "top": 0}})

    def click(self, at: int, button: int, rage: bool = False, dead: bool = False) -> None:
        x, y = self.rng.randrange(20, 1200), self.rng.randrange(20, 700)
        for offset, kind in ((0, 1), (60, 0), (61, 2)):  # mousedown, mouseup, click
            self.emit(
                at + offset,
                INCREMENTAL,
                {"source": MOUSE_INTERACTION, "type": kind, "id": button, "x": x, "y": y},
            )
        entry = {"at": at + 61, "x": x, "y": y, "target": "button.add", "text": "Add to cart"}
        self.timeline["clicks"].append({**entry, "rage": rage, "dead": dead})

    def ordinary(self, at: int) -> None:
        roll = self.rng.random()
        page = self.page
        if roll < 0.5:
            positions = []
            for k in range(4):  # a pointer that wanders, as a hand does
                self.x = min(1270, max(10, self.x + self.rng.randrange(-40, 41)))
                self.y = min(790, max(10, self.y + self.rng.randrange(-30, 31)))
                positions.append(
                    {"x": self.x, "y": self.y, "id": page.buttons[0], "timeOffset": -150 + 50 * k}
                )
            self.emit(at, INCREMENTAL, {"source": MOUSE_MOVE, "positions": positions})
        elif roll < 0.7:
            self.emit(
                at, INCREMENTAL, {"source": SCROLL, "id": 1, "x": 0, "y": self.rng.randrange(3000)}
            )
        elif roll < 0.9:
            added = {
                "parentId": page.list_id,
                "nextId": None,
                "node": {
                    "type": 2,
                    "tagName": "li",
                    "attributes": {},
                    "childNodes": [],
                    "id": page.next_id,
                },
            }
            page.next_id += 1
            adds = [added] if roll < 0.8 else []
            texts = [{"id": page.status_text, "value": f"Updated {at % 1000}"}]
            attrs = [
                {
                    "id": page.buttons[self.rng.randrange(len(page.buttons))],
                    "attributes": {"class": "add pulse"},
                }
            ]
            self.emit(
                at,
                INCREMENTAL,
                {
                    "source": MUTATION,
                    "adds": adds,
                    "removes": [],
                    "texts": texts,
                    "attributes": attrs,
                },
            )
        else:
            self.emit(
                at,
                INCREMENTAL,
                {
                    "source": INPUT,
                    "id": page.text_input,
                    "text": "shoes"[: 1 + at % 5],
                    "isChecked": False,
                },
            )


def generate(shape: Shape = Shape()) -> Session:
    w = Writer(shape)
    duration = int(shape.minutes * 60_000)
    page_length = duration // shape.pages
    per_page = shape.events // shape.pages
    gap_page = shape.pages // 2
    w.emit(
        START_MS, CUSTOM, {"tag": "client", "payload": {"browser": "Chromium 130", "os": "Linux"}}
    )
    for index in range(shape.pages):
        w.page_index = index
        begin = START_MS + index * page_length + (1 if index == 0 else 0)
        href = f"https://shop.example/page-{index + 1}"
        w.load(begin, href)
        w.timeline["pages"].append({"at": begin, "url": href})
        # Event times: mostly steady, one long idle stretch per page (skipped when playing).
        idle_from, idle_to = begin + page_length // 3, begin + page_length // 3 + page_length // 6
        slots = per_page - 40
        busy = page_length - (idle_to - idle_from) - 2_000
        step = busy / slots
        at_ms = float(begin + 500)
        for k in range(slots):
            at = int(at_ms)
            if idle_from <= at < idle_to:
                at_ms += idle_to - idle_from
                at = int(at_ms)
            if k == slots // 5:
                w.click(at, w.page.buttons[1])
            elif k == slots // 4 and index == 0:
                for burst in range(4):
                    w.click(at + burst * 150, w.page.buttons[2], rage=True)
            elif k == slots // 2:
                w.click(at, w.page.buttons[3], dead=True)
            elif k == (2 * slots) // 3:
                w.emit(
                    at,
                    INCREMENTAL,
                    {
                        "source": INPUT,
                        "id": w.page.text_input,
                        "text": "red shoes",
                        "isChecked": False,
                    },
                )
                w.timeline["typed"].append(
                    {"at": at, "target": "input[name=q]", "value": "red shoes", "checked": None}
                )
                w.emit(
                    at + 300,
                    INCREMENTAL,
                    {"source": INPUT, "id": w.page.checkbox, "text": "on", "isChecked": True},
                )
                w.timeline["typed"].append(
                    {"at": at + 300, "target": "input[name=news]", "value": None, "checked": True}
                )
            elif k == (3 * slots) // 4:
                href = f"https://shop.example/page-{index + 1}#details"
                w.emit(at, CUSTOM, {"tag": "navigation", "payload": {"href": href}})
                w.timeline["pages"].append({"at": at, "url": href})
            elif k == (4 * slots) // 5 and index == gap_page:
                w.emit(at, CUSTOM, {"tag": "dropped", "payload": {"events": 120}})
                w.timeline["gaps"].append({"at": at, "dropped": 120})
                w.load(at + 10, f"https://shop.example/page-{index + 1}")
            else:
                w.ordinary(at)
            at_ms += step
    w.events.sort(key=lambda e: e["timestamp"])
    first, last = w.events[0]["timestamp"], w.events[-1]["timestamp"]
    timeline = {
        "id": "synthetic",
        "started_at": first,
        "ended_at": last,
        "duration_ms": last - first,
        "client": {
            "browser": "Chromium 130",
            "os": "Linux",
            "language": "en-GB",
            "time_zone": "Europe/Berlin",
            "screen": {"width": 1920, "height": 1080},
            "referrer": "https://search.example/?q=shop",
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Chromium/130",
        },
        **w.timeline,
    }
    return Session(w.events, timeline)


if __name__ == "__main__":
    s = generate()
    print(
        len(s.events), "events,", len(s.ndjson()), "bytes NDJSON,", s.timeline["duration_ms"], "ms"
    )
