"""What a batch tells the heatmaps and click insights: pages, viewports, scrolls, clicks and the
moments the page changed. Pure and picklable, so it runs where the batch is parsed (possibly a
worker process); resolving click targets to element paths needs the page's DOM and happens at
store time (``click_targets``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sessiontape.codec import RawEvent
from sessiontape.events import EventType, IncrementalSource, MouseInteraction

MAX_PX = 1_000_000
MAX_NODE_ID = 2**53
"""Larger ids than a page could number are not facts (and would not fit a SQLite integer)."""


@dataclass(frozen=True)
class PageStart:
    at: int
    index: int
    url: str
    width: int | None
    """None for a single-page app's navigation: the viewport stays as it was."""
    height: int | None


@dataclass(frozen=True)
class ClickEvent:
    at: int
    index: int
    """Position of the event in its batch."""
    node_id: int
    x: float | None
    y: float | None
    box: tuple[float, float, float, float] | None
    """The target's box (left, top, width, height) in viewport px, when the recorder sent it."""


@dataclass(frozen=True)
class ScrollEvent:
    at: int
    index: int
    node_id: int
    x: float
    y: float


@dataclass(frozen=True)
class Resize:
    at: int
    index: int
    width: int
    height: int


@dataclass(frozen=True)
class Snapshot:
    at: int
    index: int
    document_id: int


Happening = PageStart | Snapshot | Resize | ScrollEvent | ClickEvent


@dataclass
class InsightFacts:
    """The batch's events of interest, in event order."""

    pages: list[PageStart] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    resizes: list[Resize] = field(default_factory=list)
    scrolls: list[ScrollEvent] = field(default_factory=list)
    clicks: list[ClickEvent] = field(default_factory=list)
    changes: list[int] = field(default_factory=list)
    """Sorted timestamps of DOM mutations and navigations: what makes a click not dead."""
    ended: int | None = None
    """The batch's latest timestamp."""

    @classmethod
    def of(cls, events: list[RawEvent]) -> InsightFacts:
        facts = cls()
        for index, event in enumerate(events):
            at, data = event.get("timestamp"), event.get("data")
            if isinstance(at, int) and isinstance(data, dict):
                facts._add(index, at, event.get("type"), data)
                facts.ended = at if facts.ended is None else max(facts.ended, at)
        facts.changes.sort()
        return facts

    def in_order(self) -> list[Happening]:
        """Everything but the changes, in event order."""
        merged: list[Happening] = [
            *self.pages,
            *self.snapshots,
            *self.resizes,
            *self.scrolls,
            *self.clicks,
        ]
        return sorted(merged, key=lambda happening: happening.index)

    def _add(self, index: int, at: int, kind: object, data: dict[str, object]) -> None:
        if kind == EventType.META:
            href = data.get("href")
            if isinstance(href, str):
                width, height = _int(data.get("width")), _int(data.get("height"))
                self.pages.append(PageStart(at, index, href, width, height))
                self.changes.append(at)
        elif kind == EventType.CUSTOM and data.get("tag") == "navigation":
            payload = data.get("payload")
            href = payload.get("href") if isinstance(payload, dict) else None
            if isinstance(href, str):
                self.pages.append(PageStart(at, index, href, None, None))
                self.changes.append(at)
        elif kind == EventType.FULL_SNAPSHOT:
            node = data.get("node")
            node_id = _node_id(node.get("id")) if isinstance(node, dict) else None
            if node_id is not None:
                self.snapshots.append(Snapshot(at, index, node_id))
        elif kind == EventType.INCREMENTAL_SNAPSHOT:
            self._add_incremental(index, at, data)

    def _add_incremental(self, index: int, at: int, data: dict[str, object]) -> None:
        source, node_id = data.get("source"), _node_id(data.get("id"))
        if source == IncrementalSource.MUTATION:
            self.changes.append(at)
        elif source == IncrementalSource.VIEWPORT_RESIZE:
            width, height = _int(data.get("width")), _int(data.get("height"))
            if width is not None and height is not None:
                self.resizes.append(Resize(at, index, width, height))
        elif source == IncrementalSource.SCROLL and node_id is not None:
            x, y = _number(data.get("x")), _number(data.get("y"))
            if x is not None and y is not None:
                self.scrolls.append(ScrollEvent(at, index, node_id, x, y))
        elif (
            source == IncrementalSource.MOUSE_INTERACTION
            and data.get("type") == MouseInteraction.CLICK
            and node_id is not None
        ):
            x, y = _number(data.get("x")), _number(data.get("y"))
            self.clicks.append(ClickEvent(at, index, node_id, x, y, _box(data.get("box"))))


def _int(value: object) -> int | None:
    """A viewport size: whole px, within what any screen has."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < MAX_PX:
        return int(value)
    return None


def _node_id(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_NODE_ID:
        return value
    return None


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 1e9:
        return float(value)
    return None


def _box(value: object) -> tuple[float, float, float, float] | None:
    if not isinstance(value, list) or len(value) != 4:
        return None
    numbers = [_number(v) for v in value]
    left, top, width, height = (n if n is not None else -1.0 for n in numbers)
    if None in numbers or width <= 0 or height <= 0:
        return None
    return left, top, width, height
