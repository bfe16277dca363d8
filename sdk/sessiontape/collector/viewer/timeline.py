"""What the session page's timeline and side panel show, from a session's events: pages, clicks
(with rage and dead ones flagged), typed fields, recorder gaps and the client's description."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from sessiontape.codec import RawEvent
from sessiontape.events import CustomEvent, IncrementalSnapshotEvent, InputData
from sessiontape.recording import RAGE_WINDOW_MS, Recording
from sessiontape.user_agent import client_names

T = TypeVar("T")

MAX_TIMELINE_EVENTS = 400_000
"""A longer session's timeline describes its first this many events (and says so)."""


class ClientInfo(BaseModel):
    browser: str | None = None
    os: str | None = None
    language: str | None = None
    time_zone: str | None = None
    screen: dict[str, int] | None = None
    referrer: str | None = None
    user_agent: str | None = None


class PageItem(BaseModel):
    at: int
    url: str


class ClickItem(BaseModel):
    at: int
    x: float | None
    y: float | None
    target: str
    text: str
    rage: bool
    dead: bool


class TypedItem(BaseModel):
    at: int
    target: str
    value: str | None
    """The final text, a checkbox's or radio's value, a select's chosen option."""
    checked: bool | None
    """A checkbox's or radio's final state; None for other fields."""


class GapItem(BaseModel):
    at: int
    dropped: int


class Timeline(BaseModel):
    id: str
    started_at: int
    ended_at: int
    duration_ms: int
    truncated: bool
    client: ClientInfo | None
    pages: list[PageItem]
    clicks: list[ClickItem]
    typed: list[TypedItem]
    gaps: list[GapItem]


def build_timeline(session_id: str, raw_events: list[RawEvent], truncated: bool) -> Timeline:
    recording = Recording.from_raw(session_id, raw_events, strict=False)
    return Timeline(
        id=session_id,
        started_at=recording.start,
        ended_at=recording.end,
        duration_ms=recording.duration_ms,
        truncated=truncated,
        client=_client(recording),
        pages=[PageItem(at=p.entered_at, url=p.url) for p in recording.pages()],
        clicks=_clicks(recording),
        typed=_typed(recording),
        gaps=[GapItem(at=at, dropped=n) for at, n in _customs(recording, "dropped", _dropped)],
    )


def _clicks(recording: Recording) -> list[ClickItem]:
    rage_spans = [
        (r.timestamp, r.timestamp + RAGE_WINDOW_MS, r.target) for r in recording.rage_clicks()
    ]
    dead = {(c.timestamp, c.node_id) for c in recording.dead_clicks()}
    return [
        ClickItem(
            at=c.timestamp,
            x=c.x,
            y=c.y,
            target=c.target,
            text=c.text,
            rage=any(start <= c.timestamp <= end and c.target == t for start, end, t in rage_spans),
            dead=(c.timestamp, c.node_id) in dead,
        )
        for c in recording.clicks()
    ]


def _typed(recording: Recording) -> list[TypedItem]:
    last_input: dict[int, int] = {}
    for event in recording.events:
        if isinstance(event, IncrementalSnapshotEvent) and isinstance(event.data, InputData):
            last_input[event.data.id] = event.timestamp
    items = [
        TypedItem(
            at=last_input.get(field.node_id, recording.start),
            target=target,
            value=field.option or field.value,
            checked=field.checked,
        )
        for target, field in recording.typed_text().items()
    ]
    return sorted(items, key=lambda item: item.at)


def _client(recording: Recording) -> ClientInfo | None:
    found = _customs(recording, "client", _client_info)
    return found[-1][1] if found else None


def _client_info(payload: Any) -> ClientInfo | None:
    if not isinstance(payload, dict):
        return None
    screen = payload.get("screen")

    def text(name: str) -> str | None:
        value = payload.get(name)
        return value[:1000] if isinstance(value, str) else None

    user_agent = text("userAgent")
    browser, os = client_names(text("browser"), text("os"), user_agent)
    return ClientInfo(
        browser=browser,
        os=os,
        language=text("language"),
        time_zone=text("timeZone"),
        screen=(
            {k: v for k, v in screen.items() if k in ("width", "height") and isinstance(v, int)}
            if isinstance(screen, dict)
            else None
        ),
        referrer=text("referrer"),
        user_agent=user_agent,
    )


def _dropped(payload: Any) -> int | None:
    count = payload.get("events") if isinstance(payload, dict) else None
    return count if isinstance(count, int) else None


def _customs(
    recording: Recording, tag: str, read: Callable[[Any], T | None]
) -> list[tuple[int, T]]:
    found: list[tuple[int, T]] = []
    for event in recording.events:
        if isinstance(event, CustomEvent) and event.data.tag == tag:
            value = read(event.data.payload)
            if value is not None:
                found.append((event.timestamp, value))
    return found
