"""Heatmaps and click insights across sessions, per page: ``GET /v1/heatmaps/clicks``,
``/v1/heatmaps/scroll`` and ``/v1/insights/clicks`` (read key). Every parameter is bounded;
the defaults are documented in docs/insights.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from sessiontape.collector.dependencies import ReadSite, StorageDep
from sessiontape.collector.errors import ApiError
from sessiontape.collector.storage.click_rules import MAX_DEAD_WINDOW_MS, MAX_RAGE_WINDOW_MS
from sessiontape.collector.storage.insight_base import (
    HeatmapOptions,
    PageFilter,
    Thresholds,
    TooManyClicksError,
)
from sessiontape.events import MAX_TIMESTAMP
from sessiontape.insight_types import ClickHeatmap, ClickInsights, ScrollMap, Viewport

router = APIRouter()

MAX_URL_CHARS = 2_000
MAX_PATTERN_STARS = 10
DEFAULTS = Thresholds()


def page_filter(
    url: Annotated[
        str | None,
        Query(min_length=1, max_length=MAX_URL_CHARS, description="a page address, or a path"),
    ] = None,
    pattern: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_URL_CHARS,
            description="pages whose path (or address) matches; * stands for one segment's text",
        ),
    ] = None,
    after: Annotated[int | None, Query(ge=0, le=MAX_TIMESTAMP, description="ms, inclusive")] = None,
    before: Annotated[
        int | None, Query(ge=0, le=MAX_TIMESTAMP, description="ms, exclusive")
    ] = None,
    viewport: Annotated[
        Viewport | None, Query(description="mobile < 768 px, tablet < 1024 px, desktop")
    ] = None,
) -> PageFilter:
    if (url is None) == (pattern is None):
        raise ApiError(400, "page_required", "pass exactly one of url and pattern")
    if pattern is not None and pattern.count("*") > MAX_PATTERN_STARS:
        raise ApiError(400, "pattern_too_complex", f"at most {MAX_PATTERN_STARS} * in a pattern")
    return PageFilter(url=url, pattern=pattern, after=after, before=before, viewport=viewport)


Page = Annotated[PageFilter, Depends(page_filter)]


@router.get("/v1/heatmaps/clicks")
async def click_heatmap(
    site: ReadSite,
    storage: StorageDep,
    page: Page,
    cell_px: Annotated[int, Query(ge=1, le=500)] = 10,
    elements: Annotated[int, Query(ge=1, le=500)] = 50,
    points: Annotated[int, Query(ge=1, le=20_000)] = 2_000,
    offset_cells: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ClickHeatmap:
    """Clicks by element (with where in its box they fell) and by page position."""
    options = HeatmapOptions(cell_px, elements, points, offset_cells)
    return await run_in_threadpool(storage.insights().click_heatmap, site.id, page, options)


@router.get("/v1/heatmaps/scroll")
async def scroll_map(
    site: ReadSite,
    storage: StorageDep,
    page: Page,
    step_px: Annotated[int, Query(ge=1, le=10_000)] = 100,
    max_steps: Annotated[int, Query(ge=1, le=2_000)] = 500,
) -> ScrollMap:
    """Share of sessions that saw each depth of the page (scroll offset plus viewport height)."""
    return await run_in_threadpool(storage.insights().scroll_map, site.id, page, step_px, max_steps)


@router.get("/v1/insights/clicks")
async def click_insights(
    site: ReadSite,
    storage: StorageDep,
    page: Page,
    rage_clicks: Annotated[int, Query(ge=2, le=100)] = DEFAULTS.rage_clicks,
    rage_window_ms: Annotated[int, Query(ge=1, le=MAX_RAGE_WINDOW_MS)] = DEFAULTS.rage_window_ms,
    rage_radius_px: Annotated[float, Query(ge=0, le=10_000)] = DEFAULTS.rage_radius_px,
    dead_window_ms: Annotated[int, Query(ge=0, le=MAX_DEAD_WINDOW_MS)] = DEFAULTS.dead_window_ms,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    examples: Annotated[int, Query(ge=0, le=20)] = 3,
) -> ClickInsights:
    """Top clicked elements, rage clicks, dead clicks and clicked elements that are not
    clickable, with example sessions."""
    thresholds = Thresholds(rage_clicks, rage_window_ms, rage_radius_px, dead_window_ms)
    try:
        return await run_in_threadpool(
            storage.insights().click_insights, site.id, page, thresholds, limit, examples
        )
    except TooManyClicksError as exc:
        raise ApiError(422, "too_many_clicks", f"{exc}: narrow the page or time range") from exc
