"""A small crafted session for the viewer's tests: two pages, a rage click, typing, a gap."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import Collector

T0 = 1_764_500_000_000


def page_snapshot(first_id: int, heading: str) -> dict[str, Any]:
    i = first_id
    return {
        "type": 0,
        "id": i,
        "childNodes": [
            {"type": 1, "id": i + 1, "name": "html", "publicId": "", "systemId": ""},
            {
                "type": 2,
                "id": i + 2,
                "tagName": "html",
                "attributes": {},
                "childNodes": [
                    {"type": 2, "id": i + 3, "tagName": "head", "attributes": {}, "childNodes": []},
                    {
                        "type": 2,
                        "id": i + 4,
                        "tagName": "body",
                        "attributes": {},
                        "childNodes": [
                            {
                                "type": 2,
                                "id": i + 5,
                                "tagName": "h1",
                                "attributes": {},
                                "childNodes": [{"type": 3, "id": i + 6, "textContent": heading}],
                            },
                            {
                                "type": 2,
                                "id": i + 7,
                                "tagName": "button",
                                "attributes": {"id": "buy"},
                                "childNodes": [{"type": 3, "id": i + 8, "textContent": "Buy"}],
                            },
                            {
                                "type": 2,
                                "id": i + 9,
                                "tagName": "input",
                                "attributes": {"type": "text", "name": "city"},
                                "childNodes": [],
                            },
                        ],
                    },
                ],
            },
        ],
    }


def click(node_id: int, at: int, x: int = 40, y: int = 60) -> dict[str, Any]:
    return {
        "type": 3,
        "timestamp": at,
        "data": {"source": 2, "type": 2, "id": node_id, "x": x, "y": y},
    }


def crafted_events(browser: str = "Chrome") -> list[dict[str, Any]]:
    """Page one: a rage click on Buy (3 clicks in 400 ms), "Paris" typed; a recorder gap; page
    two: one click. 12 s long."""
    client = {
        "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/142.0",
        "browser": browser,
        "os": "Linux",
        "language": "fr-FR",
        "timeZone": "Europe/Paris",
        "screen": {"width": 1920, "height": 1080},
        "devicePixelRatio": 1,
        "referrer": "https://search.example/",
    }
    return [
        {
            "type": 4,
            "timestamp": T0,
            "data": {"href": "https://shop.example/", "width": 1000, "height": 700},
        },
        {
            "type": 2,
            "timestamp": T0,
            "data": {"node": page_snapshot(1, "Home"), "initialOffset": {"top": 0, "left": 0}},
        },
        {"type": 5, "timestamp": T0 + 10, "data": {"tag": "client", "payload": client}},
        click(8, T0 + 2_000),
        click(8, T0 + 2_200),
        click(8, T0 + 2_400),
        {
            "type": 3,
            "timestamp": T0 + 4_000,
            "data": {"source": 5, "id": 10, "text": "Paris", "isChecked": False},
        },
        {"type": 5, "timestamp": T0 + 5_000, "data": {"tag": "dropped", "payload": {"events": 7}}},
        {
            "type": 4,
            "timestamp": T0 + 6_000,
            "data": {"href": "https://shop.example/cart", "width": 1000, "height": 700},
        },
        {
            "type": 2,
            "timestamp": T0 + 6_000,
            "data": {"node": page_snapshot(100, "Cart"), "initialOffset": {"top": 0, "left": 0}},
        },
        click(107, T0 + 9_000, 300, 200),
        {
            "type": 3,
            "timestamp": T0 + 12_000,
            "data": {"source": 1, "positions": [{"x": 5, "y": 5, "id": 104, "timeOffset": 0}]},
        },
    ]


def upload(collector: Collector, read_key: str, events: list[dict[str, Any]]) -> str:
    session_id = uuid.uuid4().hex
    response = httpx.post(
        collector.url("/v1/sessions"),
        json={"session": session_id, "events": events},
        headers={"Authorization": f"Bearer {read_key}"},
    )
    response.raise_for_status()
    return session_id
