"""``POST /v1/ingest``: batches from browsers.

The order of checks bounds what a public write key can cost: the origin, then the client's
allowance of refused batches (checked before the body is read), the body's size, its parse (off the
event loop, with every limit checked before or while parsing; a large batch in a worker process, see
``batch_workers``), and only then a token of the site's
rate and its quotas, so an attacker's refused bodies never use up the real visitors' allowance.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from sessiontape.codec import DecodeError, LimitError
from sessiontape.collector.batch_workers import BatchWorkers
from sessiontape.collector.dependencies import SettingsDep, StorageDep, WriteSite
from sessiontape.collector.errors import ApiError
from sessiontape.collector.rate_limit import RateLimiter
from sessiontape.collector.request_body import read_body
from sessiontape.collector.settings import Settings
from sessiontape.collector.storage import (
    ANY_ORIGIN,
    SELF_ORIGIN,
    Quota,
    QuotaExceededError,
    Site,
)
from sessiontape.collector.storage.prepared import PreparedBatch
from sessiontape.user_agent import MAX_USER_AGENT

router = APIRouter(prefix="/v1")


@router.post("/ingest")
async def ingest(
    request: Request, site: WriteSite, storage: StorageDep, settings: SettingsDep
) -> Response:
    origin = request.headers.get("origin")
    if origin is not None and not origin_allowed(site, origin, request, settings):
        raise ApiError(403, "origin_not_allowed", f"origin {origin} may not send to this site")
    received_at = int(time.time() * 1000)
    batch = await _read_batch(request, site, settings, received_at)
    limiter = request.app.state.ingest_limiter
    if limiter.needs_thread:  # kept in the database, shared by every collector process
        wait = await run_in_threadpool(limiter.acquire, site.id)
    else:
        wait = limiter.acquire(site.id)
    if wait:
        raise ApiError(
            429,
            "rate_limited",
            "too many batches for this site; retry later",
            headers={"Retry-After": RateLimiter.retry_after_header(wait)},
        )
    try:
        stored = await run_in_threadpool(
            storage.store_batch, site, batch, received_at, site_quota(site, settings)
        )
    except QuotaExceededError as exc:
        raise _quota_error(exc) from exc
    response = Response(
        content=b'{"stored":true}' if stored else b'{"stored":false}',
        media_type="application/json",
    )
    _allow_origin(response, origin)
    return response


async def _read_batch(
    request: Request, site: Site, settings: Settings, received_at: int
) -> PreparedBatch:
    """The parsed batch; a refused one is counted against the client's allowance of them."""
    refusals: RateLimiter = request.app.state.invalid_limiter
    client = f"{site.id} {request.client.host if request.client else ''}"
    wait = refusals.wait(client)
    if wait:
        raise ApiError(
            429,
            "too_many_invalid_batches",
            "this client sent too many refused batches; fix them, then retry later",
            headers={"Retry-After": RateLimiter.retry_after_header(wait)},
        )
    try:
        body = await read_body(request, settings.max_body_bytes)
        workers: BatchWorkers = request.app.state.batch_workers
        return await workers.prepare(body, settings.batch_limits, received_at, _user_agent(request))
    except LimitError as exc:
        refusals.acquire(client)
        raise ApiError(413, exc.code, str(exc)) from exc
    except DecodeError as exc:
        refusals.acquire(client)
        raise ApiError(400, "invalid_batch", str(exc)) from exc
    except ApiError:
        refusals.acquire(client)
        raise


def _user_agent(request: Request) -> str | None:
    """The browser's ``User-Agent`` header, which labels a session whose recorder sends none of
    its own; bounded, as a header is whatever the client sends."""
    header = request.headers.get("user-agent")
    return header[:MAX_USER_AGENT] if header else None


def site_quota(site: Site, settings: Settings) -> Quota:
    return Quota(
        sessions_per_hour=(
            settings.max_sessions_per_hour
            if site.max_sessions_per_hour is None
            else site.max_sessions_per_hour
        ),
        bytes_per_day=(
            settings.max_bytes_per_day if site.max_bytes_per_day is None else site.max_bytes_per_day
        ),
    )


def _quota_error(exc: QuotaExceededError) -> ApiError:
    headers = {"Retry-After": str(exc.retry_after_s)}
    if exc.kind == "sessions":
        return ApiError(
            429,
            "session_quota_exceeded",
            f"this site may start at most {exc.limit} new sessions per hour; retry later",
            headers=headers,
        )
    return ApiError(
        507,
        "storage_quota_exceeded",
        f"this site may store at most {exc.limit} bytes per 24 hours; retry later",
        headers=headers,
    )


def origin_allowed(site: Site, origin: str, request: Request, settings: Settings) -> bool:
    if ANY_ORIGIN in site.allowed_origins or origin in site.allowed_origins:
        return True
    return SELF_ORIGIN in site.allowed_origins and _is_own_origin(origin, request, settings)


def _is_own_origin(origin: str, request: Request, settings: Settings) -> bool:
    """The collector's own origin: its public URL's, else the one the browser addressed (Host).
    Schemes are not compared without a public URL: behind a TLS proxy the collector sees http."""
    if settings.public_url:
        public = urlsplit(settings.public_url)
        return origin == f"{public.scheme}://{public.netloc}"
    host = request.headers.get("host")
    return host is not None and urlsplit(origin).netloc == host


@router.options("/ingest")
async def ingest_preflight(request: Request) -> Response:
    response = Response(status_code=204)
    _allow_origin(response, request.headers.get("origin"))
    response.headers["Access-Control-Allow-Methods"] = "POST"
    response.headers["Access-Control-Allow-Headers"] = "Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _allow_origin(response: Response, origin: str | None) -> None:
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"


noop_router = APIRouter(prefix="/v1")


@noop_router.post("/ingest-noop", include_in_schema=False)
async def ingest_noop(request: Request, site: WriteSite, settings: SettingsDep) -> Response:
    """The floor the ingest benchmark measures against: same key check, body read, answer."""
    await read_body(request, settings.max_body_bytes)
    return Response(content=b'{"stored":false}', media_type="application/json")
