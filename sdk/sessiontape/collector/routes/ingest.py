"""``POST /v1/ingest``: batches from browsers."""

from __future__ import annotations

import json
import time

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from sessiontape.codec import DecodeError, TooLargeError, maybe_gunzip, parse_envelope
from sessiontape.collector.dependencies import SettingsDep, StorageDep, WriteSite
from sessiontape.collector.errors import ApiError
from sessiontape.collector.rate_limit import RateLimiter
from sessiontape.collector.settings import Settings
from sessiontape.collector.storage import Site
from sessiontape.events import Envelope

router = APIRouter(prefix="/v1")


@router.post("/ingest")
async def ingest(
    request: Request, site: WriteSite, storage: StorageDep, settings: SettingsDep
) -> Response:
    origin = request.headers.get("origin")
    if origin is not None and not _origin_allowed(site, origin):
        raise ApiError(403, "origin_not_allowed", f"origin {origin} may not send to this site")
    wait = request.app.state.ingest_limiter.acquire(site.id)
    if wait:
        raise ApiError(
            429,
            "rate_limited",
            "too many batches for this site; retry later",
            headers={"Retry-After": RateLimiter.retry_after_header(wait)},
        )
    body = await read_body(request, settings.max_body_bytes)
    envelope = _parse(body, settings)
    stored = await run_in_threadpool(storage.store_batch, site, envelope, int(time.time() * 1000))
    response = Response(
        content=b'{"stored":true}' if stored else b'{"stored":false}',
        media_type="application/json",
    )
    _allow_origin(response, origin)
    return response


def _parse(body: bytes, settings: Settings) -> Envelope:
    try:
        plain = maybe_gunzip(body, settings.max_decompressed_bytes)
        envelope = parse_envelope(plain, max_decompressed=settings.max_decompressed_bytes)
    except TooLargeError as exc:
        raise ApiError(413, "body_too_large", str(exc)) from exc
    except DecodeError as exc:
        raise ApiError(400, "invalid_batch", str(exc)) from exc
    if len(envelope.events) > settings.max_events_per_batch:
        raise ApiError(
            413, "too_many_events", f"a batch holds at most {settings.max_events_per_batch} events"
        )
    if len(plain) > settings.max_event_bytes:
        for index, event in enumerate(envelope.events):
            if len(json.dumps(event)) > settings.max_event_bytes:
                raise ApiError(
                    413,
                    "event_too_large",
                    f"events[{index}] exceeds {settings.max_event_bytes} bytes",
                )
    return envelope


@router.options("/ingest")
async def ingest_preflight(request: Request) -> Response:
    response = Response(status_code=204)
    _allow_origin(response, request.headers.get("origin"))
    response.headers["Access-Control-Allow-Methods"] = "POST"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _origin_allowed(site: Site, origin: str) -> bool:
    return "*" in site.allowed_origins or origin in site.allowed_origins


def _allow_origin(response: Response, origin: str | None) -> None:
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "body_too_large", f"request body exceeds {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "body_too_large", f"request body exceeds {limit} bytes")
        chunks.append(chunk)
    if size == 0:
        raise ApiError(400, "empty_body", "the body must be a JSON batch, optionally gzipped")
    return b"".join(chunks)


noop_router = APIRouter(prefix="/v1")


@noop_router.post("/ingest-noop", include_in_schema=False)
async def ingest_noop(request: Request, site: WriteSite, settings: SettingsDep) -> Response:
    """The floor the ingest benchmark measures against: same key check, body read, answer."""
    await read_body(request, settings.max_body_bytes)
    return Response(content=b'{"stored":false}', media_type="application/json")
