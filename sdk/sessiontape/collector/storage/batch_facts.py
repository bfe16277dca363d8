"""What a batch tells about its session, for the sessions table and its filters."""

from __future__ import annotations

from sessiontape.codec import RawEvent
from sessiontape.events import EventType, IncrementalSource, MouseInteraction


class BatchFacts:
    """What a batch tells about its session: time span, pages, clicks."""

    def __init__(self, events: list[RawEvent], received_at: int) -> None:
        timestamps = [e["timestamp"] for e in events if isinstance(e.get("timestamp"), int)]
        self.started = min(timestamps, default=received_at)
        self.ended = max(timestamps, default=received_at)
        metas = sorted(
            (e["timestamp"], e["data"]["href"])
            for e in events
            if e.get("type") == EventType.META
            and isinstance(e.get("timestamp"), int)
            and isinstance(e.get("data"), dict)
            and isinstance(e["data"].get("href"), str)
        )
        self.first_meta = metas[0] if metas else None
        self.last_meta = metas[-1] if metas else None
        self.urls = {url for _, url in metas}
        self.clicks = sum(1 for e in events if _is_click(e))


def _is_click(event: RawEvent) -> bool:
    data = event.get("data")
    return (
        event.get("type") == EventType.INCREMENTAL_SNAPSHOT
        and isinstance(data, dict)
        and data.get("source") == IncrementalSource.MOUSE_INTERACTION
        and data.get("type") == MouseInteraction.CLICK
    )
