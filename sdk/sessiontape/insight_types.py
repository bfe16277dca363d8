"""Models of the heatmap and click insight answers (``/v1/heatmaps/*``, ``/v1/insights/*``),
shared by the collector and the SDK. Times are ms since the epoch; positions are CSS px."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Viewport = Literal["mobile", "tablet", "desktop"]
"""Viewport width buckets: mobile < 768 px, tablet < 1024 px, desktop from 1024 px."""

VIEWPORT_WIDTHS: dict[str, tuple[int, int]] = {
    "mobile": (0, 768),
    "tablet": (768, 1024),
    "desktop": (1024, 1 << 31),
}
"""[lowest, highest) viewport width of each bucket."""


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class HeatPoint(_Answer):
    """Clicks at one cell: page px for page points, fractions (0..1) of the element's box for an
    element's offsets (the cell's centre either way)."""

    x: float
    y: float
    clicks: int


class SnapshotRef(_Answer):
    """The page's most recent recorded view: ``Recording.html_at(at)`` of that session is its
    full snapshot, ``html_at(last_at)`` the page as the visitor left it (content a script
    added after the snapshot included)."""

    session_id: str
    at: int
    last_at: int | None = None
    viewport_width: int | None


class ElementHeat(_Answer):
    target: str
    """The element's CSS-like path (as ``Recording.clicks()`` gives it); empty: unknown."""
    clicks: int
    sessions: int
    offsets: list[HeatPoint]
    """Where in the element's box the clicks fell (only clicks whose box the recorder sent)."""


class ClickHeatmap(_Answer):
    clicks: int
    sessions: int
    cell_px: int
    elements: list[ElementHeat]
    """The most clicked elements, most clicked first."""
    points: list[HeatPoint]
    """Clicks by page position (document coordinates), most clicked cells first."""
    snapshot: SnapshotRef | None


class DepthShare(_Answer):
    depth_px: int
    sessions: int
    """Sessions that saw the page down to at least ``depth_px``."""
    share: float


class ScrollMap(_Answer):
    sessions: int
    step_px: int
    depths: list[DepthShare]
    """From 0 px down to the deepest seen, one per ``step_px``."""


class ClickExample(_Answer):
    session_id: str
    at: int
    """When the click happened: open the session in the viewer at this moment."""


class ElementClicks(_Answer):
    target: str
    clicks: int
    """Clicks, or for rage clicks the bursts."""
    sessions: int
    examples: list[ClickExample]


class ClickThresholds(_Answer):
    rage_clicks: int
    rage_window_ms: int
    rage_radius_px: float
    dead_window_ms: int


class ClickInsights(_Answer):
    clicks: int
    sessions: int
    thresholds: ClickThresholds
    top_elements: list[ElementClicks]
    rage_clicks: list[ElementClicks]
    dead_clicks: list[ElementClicks]
    not_clickable: list[ElementClicks]
    """Elements clicked that are neither links nor buttons (nor inside one)."""
