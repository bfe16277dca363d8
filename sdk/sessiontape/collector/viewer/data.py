"""What the session page fetches, with the viewer's sign-in cookie: the session's events (NDJSON,
streamed as stored) and its timeline."""

from __future__ import annotations

import json
from itertools import islice

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from sessiontape.codec import RawEvent
from sessiontape.collector.dependencies import StorageDep
from sessiontape.collector.errors import ApiError
from sessiontape.collector.routes.sessions import NDJSON, SessionId
from sessiontape.collector.session_stream import ndjson_lines
from sessiontape.collector.storage import BatchKey, Site, Storage
from sessiontape.collector.viewer import auth
from sessiontape.collector.viewer.timeline import MAX_TIMELINE_EVENTS, Timeline, build_timeline

router = APIRouter(prefix="/sessions/{session_id}", include_in_schema=False)


async def _site_and_keys(
    request: Request, storage: Storage, session_id: str
) -> tuple[Site, list[BatchKey]]:
    site = await run_in_threadpool(auth.signed_in_site, request, storage)
    if site is None:
        raise ApiError(401, "not_signed_in", "sign in to the viewer first")
    keys = await run_in_threadpool(storage.batch_keys, site, session_id)
    if not keys:
        raise ApiError(404, "session_not_found", f"no session {session_id} on this site")
    return site, keys


@router.get("/events")
async def events(request: Request, storage: StorageDep, session_id: SessionId) -> StreamingResponse:
    site, keys = await _site_and_keys(request, storage, session_id)
    return StreamingResponse(
        ndjson_lines(storage, site, session_id, keys),
        media_type=NDJSON,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/timeline")
async def timeline(request: Request, storage: StorageDep, session_id: SessionId) -> Timeline:
    site, keys = await _site_and_keys(request, storage, session_id)
    return await run_in_threadpool(_timeline, storage, site, session_id, keys)


def session_events(storage: Storage, site: Site, session_id: str) -> list[RawEvent]:
    """The session's first ``MAX_TIMELINE_EVENTS`` events, in time order; 404 when none."""
    keys = storage.batch_keys(site, session_id)
    if not keys:
        raise ApiError(404, "session_not_found", f"no session {session_id} on this site")
    return _first_events(storage, site, session_id, keys, MAX_TIMELINE_EVENTS)


def _timeline(storage: Storage, site: Site, session_id: str, keys: list[BatchKey]) -> Timeline:
    events = _first_events(storage, site, session_id, keys, MAX_TIMELINE_EVENTS + 1)
    truncated = len(events) > MAX_TIMELINE_EVENTS
    timeline = build_timeline(session_id, events[:MAX_TIMELINE_EVENTS], truncated)
    client = timeline.client
    if client is not None and (client.browser is None or client.os is None):
        # a recorder that sends no user agent: the names the collector took from its requests
        summary = storage.get_session(site, session_id)
        if summary is not None:
            client.browser = client.browser or summary.browser
            client.os = client.os or summary.os
    return timeline


def _first_events(
    storage: Storage, site: Site, session_id: str, keys: list[BatchKey], limit: int
) -> list[RawEvent]:
    """Up to ``limit`` of the session's events, in time order, parsed from the stream the
    events route sends (every window merged by time)."""
    lines = (
        line
        for chunk in ndjson_lines(storage, site, session_id, keys)
        for line in chunk.splitlines()
        if line
    )
    return [json.loads(line) for line in islice(lines, limit)]
