"""Crafted rrweb events of a small page, for the click insight tests: a page with a button (with
a span inside), a link and a plain paragraph, and helpers to click, scroll and change it."""

from __future__ import annotations

import itertools
import uuid

HTML, BODY, BUTTON, BUTTON_LABEL, LINK, PARAGRAPH = 2, 3, 4, 5, 6, 7
DOCUMENT = 1
_added_ids = itertools.count(1000)


def element(node_id: int, tag: str, children: list[dict], **attributes: str) -> dict:
    return {
        "type": 2,
        "id": node_id,
        "tagName": tag,
        "attributes": attributes,
        "childNodes": children,
    }


def text(node_id: int, value: str) -> dict:
    return {"type": 3, "id": node_id, "textContent": value}


def page_start(url: str, at: int, width: int = 1280, height: int = 800) -> list[dict]:
    """A Meta event and the page's full snapshot."""
    body = element(
        BODY,
        "body",
        [
            element(BUTTON, "button", [element(BUTTON_LABEL, "span", [text(8, "Buy")])], id="buy"),
            element(LINK, "a", [text(9, "More")], href="/more", id="more"),
            element(PARAGRAPH, "p", [text(10, "Words")], id="words"),
        ],
    )
    document = {"type": 0, "id": DOCUMENT, "childNodes": [element(HTML, "html", [body])]}
    return [
        {"type": 4, "timestamp": at, "data": {"href": url, "width": width, "height": height}},
        {
            "type": 2,
            "timestamp": at,
            "data": {"node": document, "initialOffset": {"top": 0, "left": 0}},
        },
    ]


def click(
    node_id: int, at: int, x: float = 100, y: float = 100, box: list[float] | None = None
) -> dict:
    data: dict = {"source": 2, "type": 2, "id": node_id, "x": x, "y": y}
    if box is not None:
        data["box"] = box
    return {"type": 3, "timestamp": at, "data": data}


def mutation(at: int) -> dict:
    """A paragraph added to the body: the page answered."""
    added = {"parentId": BODY, "nextId": None, "node": element(next(_added_ids), "p", [])}
    return {
        "type": 3,
        "timestamp": at,
        "data": {"source": 0, "texts": [], "attributes": [], "removes": [], "adds": [added]},
    }


def scroll(y: float, at: int, node_id: int = DOCUMENT) -> dict:
    return {"type": 3, "timestamp": at, "data": {"source": 3, "id": node_id, "x": 0, "y": y}}


def navigation(url: str, at: int) -> dict:
    return {"type": 5, "timestamp": at, "data": {"tag": "navigation", "payload": {"href": url}}}


def batch(session: str, seq: int, events: list[dict], window: str = "00000000000000c1") -> dict:
    return {"v": 1, "session": session, "window": window, "seq": seq, "events": events}


def new_session_id() -> str:
    return uuid.uuid4().hex
