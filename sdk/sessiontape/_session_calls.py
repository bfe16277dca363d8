"""The sessions resource's HTTP calls, described once for the sync and async clients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx

from sessiontape._calls import Call
from sessiontape._client_streams import (
    EventSource,
    RecordingFile,
    content_session_id,
    upload_body,
)
from sessiontape.api_types import SessionPage, SessionSummary, UploadResult
from sessiontape.codec import RecordingInput, RecordingSource, read_recording
from sessiontape.recording import Recording

T = TypeVar("T")

Timestamp = datetime | int
"""A datetime, or milliseconds since the Unix epoch."""


def to_ms(value: Timestamp) -> int:
    return int(value.timestamp() * 1000) if isinstance(value, datetime) else value


def json_answer(parse: Callable[[Any], T]) -> Callable[[httpx.Response], T]:
    return lambda response: parse(response.json())


def recording_input(source: Recording | RecordingSource) -> RecordingInput:
    if isinstance(source, Recording):
        return RecordingInput(source.id, source.events)
    return read_recording(source)


class SessionCalls:
    """The sessions resource, described once for both faces."""

    @staticmethod
    def page(filters: dict[str, str | int], cursor: str | None) -> Call[SessionPage]:
        params = dict(filters)
        if cursor is not None:
            params["cursor"] = cursor
        return Call("GET", "/v1/sessions", json_answer(SessionPage.model_validate), params)

    @staticmethod
    def filters(
        page_size: int,
        started_after: Timestamp | None,
        started_before: Timestamp | None,
        url_contains: str | None,
        min_duration_ms: int | None,
        has_clicks: bool | None,
        has_rage_clicks: bool | None = None,
        has_dead_clicks: bool | None = None,
    ) -> dict[str, str | int]:
        params: dict[str, str | int] = {"limit": page_size}
        if started_after is not None:
            params["started_after"] = to_ms(started_after)
        if started_before is not None:
            params["started_before"] = to_ms(started_before)
        if url_contains:
            params["url_contains"] = url_contains
        if min_duration_ms is not None:
            params["min_duration_ms"] = min_duration_ms
        flags = {
            "has_clicks": has_clicks,
            "has_rage_clicks": has_rage_clicks,
            "has_dead_clicks": has_dead_clicks,
        }
        for name, flag in flags.items():
            if flag is not None:
                params[name] = "true" if flag else "false"
        return params

    @staticmethod
    def get(session_id: str) -> Call[SessionSummary]:
        return Call("GET", f"/v1/sessions/{session_id}", json_answer(SessionSummary.model_validate))

    @staticmethod
    def events(session_id: str, accept: str) -> Call[None]:
        return Call(
            "GET", f"/v1/sessions/{session_id}/events", lambda _: None, headers={"Accept": accept}
        )

    @staticmethod
    def upload(source: Recording | RecordingSource, session_id: str | None) -> Call[UploadResult]:
        recording = recording_input(source)
        events: EventSource = recording.raw_events
        session_id = session_id or recording.session or content_session_id(events)
        return SessionCalls.upload_events(session_id, events)

    @staticmethod
    def upload_file(path: Path, session_id: str | None) -> Call[UploadResult]:
        recording = RecordingFile(path)
        session_id = session_id or recording.leading_session()
        if session_id is None:
            content_id = content_session_id(recording.events)  # a pass over the whole file
            named = recording.fields.get("session")
            session_id = named if isinstance(named, str) else content_id
        return SessionCalls.upload_events(session_id, recording.events)

    @staticmethod
    def upload_events(session_id: str, events: EventSource) -> Call[UploadResult]:
        """The body is gzipped as it is sent, one event at a time."""
        return Call(
            "POST",
            "/v1/sessions",
            json_answer(UploadResult.model_validate),
            content=upload_body(session_id, events),
            headers={"Content-Type": "application/json"},
        )

    @staticmethod
    def delete(session_id: str) -> Call[None]:
        return Call("DELETE", f"/v1/sessions/{session_id}", lambda _: None)


class Pager:
    """Cursor pagination, walked the same way by both faces."""

    def __init__(self, filters: dict[str, str | int]) -> None:
        self.filters = filters
        self.cursor: str | None = None
        self.done = False

    def call(self) -> Call[SessionPage]:
        return SessionCalls.page(self.filters, self.cursor)

    def advance(self, page: SessionPage) -> list[SessionSummary]:
        self.cursor = page.next_cursor
        self.done = page.next_cursor is None
        return page.data
