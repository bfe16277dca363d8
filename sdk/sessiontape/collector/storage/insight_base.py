"""What a backend answers about clicks and scrolls across sessions (see ``sqlite_insights``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sessiontape.collector.storage.click_rules import (
    DEAD_CLICK_WINDOW_MS,
    RAGE_CLICKS,
    RAGE_RADIUS_PX,
    RAGE_WINDOW_MS,
)
from sessiontape.insight_types import ClickHeatmap, ClickInsights, ScrollMap, Viewport


@dataclass(frozen=True)
class PageFilter:
    """Which page views count: one page (``url``: an address, whose query string and fragment
    are ignored, or a path alone for every origin) or the pages a ``pattern`` matches (``*``
    stands for any run of characters within one path segment); times in ms since the epoch."""

    url: str | None = None
    pattern: str | None = None
    after: int | None = None
    before: int | None = None
    viewport: Viewport | None = None


@dataclass(frozen=True)
class HeatmapOptions:
    cell_px: int = 10
    elements: int = 50
    points: int = 2_000
    offset_cells: int = 20
    """An element's box is cut into this many cells each way."""


@dataclass(frozen=True)
class Thresholds:
    rage_clicks: int = RAGE_CLICKS
    rage_window_ms: int = RAGE_WINDOW_MS
    rage_radius_px: float = RAGE_RADIUS_PX
    dead_window_ms: int = DEAD_CLICK_WINDOW_MS


class TooManyClicksError(Exception):
    """Custom rage thresholds are replayed over the matching clicks; there were too many."""


class InsightReader(Protocol):
    def click_heatmap(
        self, site_id: str, page: PageFilter, options: HeatmapOptions
    ) -> ClickHeatmap: ...

    def scroll_map(
        self, site_id: str, page: PageFilter, step_px: int, max_steps: int
    ) -> ScrollMap: ...

    def click_insights(
        self, site_id: str, page: PageFilter, thresholds: Thresholds, limit: int, examples: int
    ) -> ClickInsights: ...
