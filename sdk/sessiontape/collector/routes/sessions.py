"""The read API: list, get, stream, upload and erase a site's sessions."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from sessiontape.api_types import SessionPage, SessionSummary, UploadResult
from sessiontape.codec import DecodeError, TooLargeError, decode_events, maybe_gunzip, parse_json
from sessiontape.collector.dependencies import ReadSite, SettingsDep, StorageDep
from sessiontape.collector.errors import ApiError
from sessiontape.collector.routes.ingest import read_body
from sessiontape.collector.session_stream import iter_session_events, json_document, ndjson_lines
from sessiontape.collector.storage import SessionQuery
from sessiontape.collector.storage.base import InvalidCursorError
from sessiontape.events import MAX_TIMESTAMP

router = APIRouter(prefix="/v1/sessions")

SESSION_ID_PATTERN = r"^[0-9a-f]{32}$"
SessionId = Annotated[str, Path(pattern=SESSION_ID_PATTERN)]
UPLOAD_CHUNK_EVENTS = 1_000
NDJSON = "application/x-ndjson"
MAX_MS = MAX_TIMESTAMP  # what SQLite integers and JSON numbers hold exactly


class Upload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session: str = Field(pattern=SESSION_ID_PATTERN)
    events: list[dict[str, Any]] = Field(min_length=1)


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
) -> SessionPage:
    query = SessionQuery(
        limit=limit,
        cursor=cursor,
        started_after=started_after,
        started_before=started_before,
        url_contains=url_contains,
        min_duration_ms=min_duration_ms,
        has_clicks=has_clicks,
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
    """Stores a whole recording at once (imports, QA); uploading it again changes nothing."""
    body = await read_body(request, settings.max_upload_bytes)
    try:
        document = parse_json(maybe_gunzip(body, settings.max_upload_decompressed_bytes))
        upload = Upload.model_validate(document)
        decode_events(upload.events, strict=True)
    except TooLargeError as exc:
        raise ApiError(413, "body_too_large", str(exc)) from exc
    except DecodeError as exc:
        raise ApiError(400, "invalid_recording", str(exc)) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ApiError(400, "invalid_recording", f"{where}: {first['msg']}") from exc
    chunks = [
        upload.events[i : i + UPLOAD_CHUNK_EVENTS]
        for i in range(0, len(upload.events), UPLOAD_CHUNK_EVENTS)
    ]
    stored = await run_in_threadpool(
        storage.store_upload, site, upload.session, chunks, int(time.time() * 1000)
    )
    return UploadResult(id=upload.session, stored=stored, event_count=len(upload.events))


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
    events = iter_session_events(storage, site, session_id, keys)
    if NDJSON in request.headers.get("accept", ""):
        return StreamingResponse(ndjson_lines(events), media_type=NDJSON)
    return StreamingResponse(json_document(session_id, events), media_type="application/json")


@router.delete("/{session_id}", status_code=204)
async def delete_session(site: ReadSite, storage: StorageDep, session_id: SessionId) -> Response:
    if not await run_in_threadpool(storage.delete_session, site, session_id):
        raise ApiError(404, "session_not_found", f"no session {session_id} on this site")
    return Response(status_code=204)
