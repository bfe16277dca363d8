"""The read API: ``/v1/sessions`` and a session's events."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from sessiontape.api_types import SessionPage, SessionSummary
from sessiontape.codec import merge_batches
from sessiontape.collector.dependencies import ReadSite, StorageDep
from sessiontape.collector.errors import ApiError
from sessiontape.collector.storage.base import InvalidCursorError

router = APIRouter(prefix="/v1/sessions")

SessionId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]


@router.get("")
async def list_sessions(
    site: ReadSite,
    storage: StorageDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> SessionPage:
    try:
        summaries, next_cursor = await run_in_threadpool(storage.list_sessions, site, limit, cursor)
    except InvalidCursorError as exc:
        raise ApiError(400, "invalid_cursor", "cursor is not one this API returned") from exc
    return SessionPage(data=summaries, next_cursor=next_cursor)


@router.get("/{session_id}")
async def get_session(site: ReadSite, storage: StorageDep, session_id: SessionId) -> SessionSummary:
    summary = await run_in_threadpool(storage.get_session, site, session_id)
    if summary is None:
        raise ApiError(404, "session_not_found", f"no session {session_id} on this site")
    return summary


@router.get("/{session_id}/events")
async def session_events(site: ReadSite, storage: StorageDep, session_id: SessionId) -> Response:
    batches = await run_in_threadpool(storage.session_batches, site, session_id)
    if not batches:
        raise ApiError(404, "session_not_found", f"no session {session_id} on this site")
    body = json.dumps(
        {"session": session_id, "events": merge_batches(batches)}, separators=(",", ":")
    )
    return Response(content=body, media_type="application/json")
