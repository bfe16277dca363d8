"""Recording: one decoded session, and the answers people ask of it."""

from __future__ import annotations

from dataclasses import dataclass

from sessiontape.codec import RawEvent, decode_events
from sessiontape.events import (
    Event,
    IncrementalSnapshotEvent,
    InputData,
    MetaEvent,
    MouseInteraction,
    MouseInteractionData,
)


@dataclass(frozen=True)
class Page:
    url: str
    entered_at: int


@dataclass(frozen=True)
class Click:
    timestamp: int
    node_id: int
    x: float | None
    y: float | None


class Recording:
    """A session's events in order, typed (unknown kinds stay dicts in lenient mode)."""

    def __init__(self, session_id: str, events: list[Event | RawEvent]) -> None:
        self.id = session_id
        self.events = events

    @classmethod
    def from_raw(
        cls, session_id: str, raw_events: list[RawEvent], *, strict: bool = True
    ) -> Recording:
        return cls(session_id, decode_events(raw_events, strict=strict))

    @property
    def start(self) -> int:
        return min((_timestamp(e) for e in self.events), default=0)

    @property
    def end(self) -> int:
        return max((_timestamp(e) for e in self.events), default=0)

    @property
    def duration_ms(self) -> int:
        return self.end - self.start

    def pages(self) -> list[Page]:
        return [
            Page(url=e.data.href, entered_at=e.timestamp)
            for e in self.events
            if isinstance(e, MetaEvent)
        ]

    def clicks(self) -> list[Click]:
        return [
            Click(timestamp=e.timestamp, node_id=e.data.id, x=e.data.x, y=e.data.y)
            for e in self.events
            if isinstance(e, IncrementalSnapshotEvent)
            and isinstance(e.data, MouseInteractionData)
            and e.data.type == MouseInteraction.CLICK
        ]

    def typed_text(self) -> dict[int, str]:
        """The last value typed into each field, by node id."""
        values: dict[int, str] = {}
        for event in self.events:
            if isinstance(event, IncrementalSnapshotEvent) and isinstance(event.data, InputData):
                values[event.data.id] = event.data.text
        return values


def _timestamp(event: Event | RawEvent) -> int:
    if isinstance(event, dict):
        value = event.get("timestamp")
        return value if isinstance(value, int) else 0
    return event.timestamp
