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
    page_count: int = 0
    """Page loads and in-app navigations."""
    browser: str | None = None
    os: str | None = None
    rage_click_count: int = 0
    """Rage-click bursts, as ``Recording.rage_clicks`` finds them."""
    dead_click_count: int = 0
    """Clicks on links or buttons the page did not answer (``Recording.dead_clicks``)."""


class SessionPage(BaseModel):
    """One page of ``GET /v1/sessions``; ``next_cursor`` fetches the next, if any."""

    data: list[SessionSummary]
    next_cursor: str | None


class UploadResult(BaseModel):
    """Answer to ``POST /v1/sessions``: ``stored`` is False when the session was uploaded before."""

    id: str
    stored: bool
    event_count: int
