"""The rules shared by ingest and queries: which page a URL is, rage bursts, clickable tags.

The thresholds are the SDK's (``sessiontape.recording``), so a session's counts here equal what
``Recording.rage_clicks()`` and ``Recording.dead_clicks()`` find in its events."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sessiontape.recording import (
    CLICKABLE_INPUT_TYPES,
    CLICKABLE_TAGS,
    DEAD_CLICK_WINDOW_MS,
    RAGE_CLICKS,
    RAGE_RADIUS_PX,
    RAGE_WINDOW_MS,
)

__all__ = [
    "DEAD_CLICK_WINDOW_MS",
    "MAX_DEAD_WINDOW_MS",
    "MAX_RAGE_WINDOW_MS",
    "RAGE_CLICKS",
    "RAGE_RADIUS_PX",
    "RAGE_WINDOW_MS",
    "BurstClick",
    "burst_lengths",
    "is_clickable",
    "page_of",
]

MAX_DEAD_WINDOW_MS = 10_000
"""How long after a click the next page change is kept: the longest dead-click window a query
may ask for."""
MAX_RAGE_WINDOW_MS = 10_000
"""The longest rage window a query may ask for."""


def is_clickable(tag: str, input_type: object) -> bool:
    return tag in CLICKABLE_TAGS or (tag == "input" and input_type in CLICKABLE_INPUT_TYPES)


def page_of(href: str) -> tuple[str, str]:
    """(page URL, path): the address without query string or fragment, and its path alone."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return href, href
    path = parts.path or "/"
    if not parts.scheme:
        return path, path
    return f"{parts.scheme}://{parts.netloc}{path}", path


@dataclass(frozen=True)
class BurstClick:
    at: int
    x: float | None
    y: float | None
    node_id: int


def burst_lengths(
    clicks: Sequence[BurstClick],
    window_ms: int = RAGE_WINDOW_MS,
    radius_px: float = RAGE_RADIUS_PX,
) -> list[int]:
    """For each click (in time order), how many clicks its burst holds once it is added: the
    earlier clicks of the burst that are within ``window_ms`` and ``radius_px`` of it, plus itself.
    A burst is a rage click the moment this reaches the rage count (``Recording.rage_clicks``).

    A click's burst depends only on the clicks of the ``window_ms`` before it, so a caller may
    start from any click at least ``window_ms`` earlier than the first one it needs."""
    lengths: list[int] = []
    burst: list[BurstClick] = []
    for click in clicks:
        burst = [c for c in burst if _near(c, click, window_ms, radius_px)] + [click]
        lengths.append(len(burst))
    return lengths


def _near(earlier: BurstClick, later: BurstClick, window_ms: int, radius_px: float) -> bool:
    if later.at - earlier.at > window_ms:
        return False
    if earlier.x is None or earlier.y is None or later.x is None or later.y is None:
        return earlier.node_id == later.node_id
    return math.dist((earlier.x, earlier.y), (later.x, later.y)) <= radius_px
