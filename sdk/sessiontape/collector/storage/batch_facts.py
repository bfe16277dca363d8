"""What a batch tells about its session, for the sessions table and its filters."""

from __future__ import annotations

from sessiontape.codec import RawEvent
from sessiontape.collector.storage.insight_facts import InsightFacts
from sessiontape.events import EventType, IncrementalSource, MouseInteraction
from sessiontape.user_agent import client_names

MAX_LABEL = 64


class BatchFacts:
    """What a batch tells about its session: time span, pages (loads and in-app navigations),
    clicks, browser and OS. ``user_agent`` is the ``User-Agent`` header of the request that
    carried the batch (None for uploads): it names the browser only when the batch's ``client``
    event has no names or user agent of its own."""

    def __init__(
        self, events: list[RawEvent], received_at: int, user_agent: str | None = None
    ) -> None:
        timestamps = [e["timestamp"] for e in events if isinstance(e.get("timestamp"), int)]
        self.started = min(timestamps, default=received_at)
        self.ended = max(timestamps, default=received_at)
        metas = sorted(
            (e["timestamp"], url)
            for e in events
            if isinstance(e.get("timestamp"), int) and (url := _page_url(e)) is not None
        )
        self.first_meta = metas[0] if metas else None
        self.last_meta = metas[-1] if metas else None
        self.urls = {url for _, url in metas}
        self.clicks = sum(1 for e in events if _is_click(e))
        self.page_count = len(metas)
        self.browser, self.os = _client_labels(events, user_agent)
        self.insight = InsightFacts.of(events)


def _page_url(event: RawEvent) -> str | None:
    """The address a page starts at: a Meta event's, or a single-page app's ``navigation``."""
    data = event.get("data")
    if not isinstance(data, dict):
        return None
    if event.get("type") == EventType.META:
        href = data.get("href")
    elif event.get("type") == EventType.CUSTOM and data.get("tag") == "navigation":
        payload = data.get("payload")
        href = payload.get("href") if isinstance(payload, dict) else None
    else:
        return None
    return href if isinstance(href, str) else None


def _client_labels(
    events: list[RawEvent], header_user_agent: str | None
) -> tuple[str | None, str | None]:
    """Browser and OS names, when the batch has the recorder's Custom ``client`` event: the
    names it states (older recorders, uploads), else those its ``userAgent`` implies, else those
    the request's ``User-Agent`` header implies (the recorder no longer sends its own)."""
    for event in events:
        data = event.get("data")
        if event.get("type") != EventType.CUSTOM or not isinstance(data, dict):
            continue
        payload = data.get("payload")
        if data.get("tag") == "client" and isinstance(payload, dict):
            stated = payload.get("userAgent")
            user_agent = stated if isinstance(stated, str) and stated else header_user_agent
            return client_names(
                _label(payload.get("browser")), _label(payload.get("os")), user_agent
            )
    return None, None


def _label(value: object) -> str | None:
    return value[:MAX_LABEL] if isinstance(value, str) and value else None


def _is_click(event: RawEvent) -> bool:
    data = event.get("data")
    return (
        event.get("type") == EventType.INCREMENTAL_SNAPSHOT
        and isinstance(data, dict)
        and data.get("source") == IncrementalSource.MOUSE_INTERACTION
        and data.get("type") == MouseInteraction.CLICK
    )
