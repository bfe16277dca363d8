"""The viewer's heatmap page (``/heatmaps?url=...``): a page's latest snapshot, rendered
script-free, with its click heatmap, scroll map and click insights over it. Its data is the
insights API's, read with the viewer's sign-in cookie."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from sessiontape.collector.dependencies import StorageDep
from sessiontape.collector.errors import ApiError
from sessiontape.collector.routes.insights import DEFAULTS, Page
from sessiontape.collector.routes.sessions import SessionId
from sessiontape.collector.storage import Site, Storage
from sessiontape.collector.storage.insight_base import HeatmapOptions, TooManyClicksError
from sessiontape.collector.viewer import auth
from sessiontape.collector.viewer.data import session_events
from sessiontape.collector.viewer.pages import page_response, to_signin
from sessiontape.events import MAX_TIMESTAMP
from sessiontape.insight_types import ClickHeatmap, ClickInsights, ScrollMap
from sessiontape.recording import Recording

SNAPSHOT_CSP = "; ".join(
    (
        "default-src 'none'",
        "style-src 'unsafe-inline' http: https:",
        "img-src data: blob: http: https:",
        "font-src data: http: https:",
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "form-action 'none'",
    )
)
VIEWPORTS = ("", "mobile", "tablet", "desktop")

router = APIRouter(prefix="/heatmaps", include_in_schema=False)


@router.get("", response_model=None)
async def heatmap_page(
    request: Request,
    storage: StorageDep,
    url: Annotated[str, Query(max_length=2_000)] = "",
    pattern: Annotated[str, Query(max_length=2_000)] = "",
    viewport: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    site = await run_in_threadpool(auth.signed_in_site, request, storage)
    if site is None:
        return to_signin(request)
    chosen = {"url": url.strip(), "pattern": pattern.strip()}
    query = {k: v for k, v in chosen.items() if v}
    if viewport in VIEWPORTS[1:]:
        query["viewport"] = viewport
    context: dict[str, Any] = {
        "site": site,
        "url": chosen["url"],
        "pattern": chosen["pattern"],
        "viewport": viewport,
        "viewports": VIEWPORTS,
        "error": None,
        "query": urlencode(query) if len(query.keys() & chosen.keys()) == 1 else "",
    }
    if chosen["url"] and chosen["pattern"]:
        context["error"] = "Give a page address or a pattern, not both."
    return page_response(request, "heatmaps.html", context, 400 if context["error"] else 200)


async def _signed_in(request: Request, storage: Storage) -> Site:
    site = await run_in_threadpool(auth.signed_in_site, request, storage)
    if site is None:
        raise ApiError(401, "not_signed_in", "sign in to the viewer first")
    return site


@router.get("/clicks")
async def clicks(request: Request, storage: StorageDep, page: Page) -> ClickHeatmap:
    site = await _signed_in(request, storage)
    options = HeatmapOptions(elements=200, points=5_000)
    return await run_in_threadpool(storage.insights().click_heatmap, site.id, page, options)


@router.get("/scroll")
async def scroll(request: Request, storage: StorageDep, page: Page) -> ScrollMap:
    site = await _signed_in(request, storage)
    return await run_in_threadpool(storage.insights().scroll_map, site.id, page, 50, 1_000)


@router.get("/insights")
async def insights(request: Request, storage: StorageDep, page: Page) -> ClickInsights:
    site = await _signed_in(request, storage)
    try:
        return await run_in_threadpool(
            storage.insights().click_insights, site.id, page, DEFAULTS, 20, 3
        )
    except TooManyClicksError as exc:
        raise ApiError(422, "too_many_clicks", f"{exc}: narrow the page or time range") from exc


@router.get("/snapshot/{session_id}")
async def snapshot(
    request: Request,
    storage: StorageDep,
    session_id: SessionId,
    at: Annotated[int, Query(ge=0, le=MAX_TIMESTAMP)],
) -> HTMLResponse:
    """The page as it was at ``at`` in that session, rebuilt without any script (html_at)."""
    site = await _signed_in(request, storage)
    events = await run_in_threadpool(session_events, storage, site, session_id)
    try:
        html = await run_in_threadpool(
            lambda: Recording.from_raw(session_id, events, strict=False).html_at(at)
        )
    except ValueError as exc:
        raise ApiError(404, "no_snapshot", str(exc)) from exc
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": SNAPSHOT_CSP,
            "X-Frame-Options": "SAMEORIGIN",
            "Cache-Control": "no-store",
        },
    )
