"""Models of the read API's JSON answers, shared by the collector and the SDK."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class SessionSummary(BaseModel):
    """One stored session, as listed by ``GET /v1/sessions``. Times are ms since the epoch."""

    model_config = ConfigDict(extra="allow")

    id: str
    started_at: int
    ended_at: int
    duration_ms: int
    event_count: int
    batch_count: int
    window_count: int
    click_count: int
    first_url: str | None
    last_url: str | None


class SessionPage(BaseModel):
    """One page of ``GET /v1/sessions``; ``next_cursor`` fetches the next, if any."""

    data: list[SessionSummary]
    next_cursor: str | None


class UploadResult(BaseModel):
    """Answer to ``POST /v1/sessions``: ``stored`` is False when the session was uploaded before."""

    id: str
    stored: bool
    event_count: int
