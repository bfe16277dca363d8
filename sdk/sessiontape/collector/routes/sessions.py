"""The read API: list, get, stream, upload and erase a site's sessions."""

from __future__ import annotations

import tempfile
import time
from typing import IO, Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from sessiontape.api_types import SessionPage, SessionSummary, UploadResult
from sessiontape.codec import DecodeError, TooLargeError
from sessiontape.collector.dependencies import ReadSite, SettingsDep, StorageDep
from sessiontape.collector.errors import ApiError
from sessiontape.collector.request_body import body_chunks
from sessiontape.collector.session_stream import json_document, ndjson_lines
from sessiontape.collector.storage import SessionQuery
from sessiontape.collector.storage.base import InvalidCursorError
from sessiontape.collector.storage.upload_identity import UploadConflictError
from sessiontape.collector.upload_stream import UploadLimits, check_upload, upload_chunks
from sessiontape.events import MAX_TIMESTAMP

router = APIRouter(prefix="/v1/sessions")

SESSION_ID_PATTERN = r"^[0-9a-f]{32}$"
SessionId = Annotated[str, Path(pattern=SESSION_ID_PATTERN)]
SPOOL_IN_MEMORY = 1 << 20
NDJSON = "application/x-ndjson"
MAX_MS = MAX_TIMESTAMP  # what SQLite integers and JSON numbers hold exactly


@router.get("")
async def list_sessions(
    site: ReadSite,
    storage: StorageDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    started_after: Annotated[
        int | None, Query(ge=0, le=MAX_MS, description="ms since the epoch")
    ] = None,
    started_before: Annotated[
        int | None, Query(ge=0, le=MAX_MS, description="ms since the epoch")
    ] = None,
    url_contains: Annotated[str | None, Query(min_length=1, max_length=2_000)] = None,
    min_duration_ms: Annotated[int | None, Query(ge=0, le=MAX_MS)] = None,
    has_clicks: bool | None = None,
    has_rage_clicks: bool | None = None,
    has_dead_clicks: bool | None = None,
) -> SessionPage:
    query = SessionQuery(
        limit=limit,
        cursor=cursor,
        started_after=started_after,
        started_before=started_before,
        url_contains=url_contains,
        min_duration_ms=min_duration_ms,
        has_clicks=has_clicks,
        has_rage_clicks=has_rage_clicks,
        has_dead_clicks=has_dead_clicks,
    )
    try:
        summaries, next_cursor = await run_in_threadpool(storage.list_sessions, site, query)
    except InvalidCursorError as exc:
        raise ApiError(400, "invalid_cursor", "cursor is not one this API returned") from exc
    return SessionPage(data=summaries, next_cursor=next_cursor)


@router.post("", status_code=200)
async def upload_session(
    request: Request, site: ReadSite, storage: StorageDep, settings: SettingsDep
) -> UploadResult:
    """Stores a whole recording at once (imports, QA); uploading the same events again changes
    nothing, and other events under a stored session's id are a 409 conflict.

    The body is spooled (to disk past ``SPOOL_IN_MEMORY``), checked event by event in one pass
    and stored in a second, so memory stays bounded however large the recording is.
    """
    limits = UploadLimits(settings.max_upload_decompressed_bytes, settings.max_event_bytes)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as body:
        await _spool_body(request, body, settings.max_upload_bytes)
        try:
            checked = await run_in_threadpool(check_upload, body, limits)
        except TooLargeError as exc:
            raise ApiError(413, "body_too_large", str(exc)) from exc
        except DecodeError as exc:
            raise ApiError(400, "invalid_recording", str(exc)) from exc
        try:
            stored = await run_in_threadpool(
                storage.store_upload,
                site,
                checked.session,
                upload_chunks(body, limits),
                int(time.time() * 1000),
            )
        except UploadConflictError as exc:
            raise ApiError(409, "session_conflict", str(exc)) from exc
    return UploadResult(id=checked.session, stored=stored, event_count=checked.event_count)


async def _spool_body(request: Request, spool: IO[bytes], limit: int) -> None:
    async for chunk in body_chunks(request, limit, "a JSON recording"):
        spool.write(chunk)


@router.get("/{session_id}")
async def get_session(site: ReadSite, storage: StorageDep, session_id: SessionId) -> SessionSummary:
    summary = await run_in_threadpool(storage.get_session, site, session_id)
    if summary is None:
        raise ApiError(404, "session_not_found", f"no session {session_id} on this site")
    return summary


@router.get("/{session_id}/events", response_model=None)
async def session_events(
    request: Request, site: ReadSite, storage: StorageDep, session_id: SessionId
) -> StreamingResponse:
    """Every window's events merged by time; NDJSON when the client accepts it."""
    keys = await run_in_threadpool(storage.batch_keys, site, session_id)
    if not keys:
        raise ApiError(404, "session_not_found", f"no session {session_id} on this site")
    if NDJSON in request.headers.get("accept", ""):
        return StreamingResponse(ndjson_lines(storage, site, session_id, keys), media_type=NDJSON)
    return StreamingResponse(
        json_document(storage, site, session_id, keys), media_type="application/json"
    )


@router.delete("/{session_id}", status_code=204)
async def delete_session(site: ReadSite, storage: StorageDep, session_id: SessionId) -> Response:
    if not await run_in_threadpool(storage.delete_session, site, session_id):
        raise ApiError(404, "session_not_found", f"no session {session_id} on this site")
    return Response(status_code=204)
