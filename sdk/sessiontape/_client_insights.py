"""``client.insights``: heatmaps and click insights across sessions, for both client faces.

Each call is described once (``_InsightCalls``); ``Insights`` sends it synchronously and
``AsyncInsights`` awaits it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel

from sessiontape._calls import Call
from sessiontape.insight_types import ClickHeatmap, ClickInsights, ScrollMap, Viewport

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

Params = dict[str, str | int]


class _Sender(Protocol):
    def _send(self, call: Call[T]) -> T: ...


class _AsyncSender(Protocol):
    async def _send(self, call: Call[T]) -> T: ...


def _ms(value: datetime | int) -> int:
    return int(value.timestamp() * 1000) if isinstance(value, datetime) else value


def page_params(
    url: str | None,
    pattern: str | None,
    after: datetime | int | None,
    before: datetime | int | None,
    viewport: Viewport | None,
) -> Params:
    """Query parameters naming the pages: exactly one of ``url`` and ``pattern``."""
    if (url is None) == (pattern is None):
        raise ValueError("pass exactly one of url and pattern")
    given: dict[str, Any] = {
        "url": url,
        "pattern": pattern,
        "after": None if after is None else _ms(after),
        "before": None if before is None else _ms(before),
        "viewport": viewport,
    }
    return {name: value for name, value in given.items() if value is not None}


def _parse(model: type[M]) -> Callable[[httpx.Response], M]:
    return lambda response: model.model_validate(response.json())


class _InsightCalls:
    @staticmethod
    def click_heatmap(page: Params, cell_px: int, elements: int) -> Call[ClickHeatmap]:
        params = {**page, "cell_px": cell_px, "elements": elements}
        return Call("GET", "/v1/heatmaps/clicks", _parse(ClickHeatmap), params)

    @staticmethod
    def scroll_map(page: Params, step_px: int) -> Call[ScrollMap]:
        return Call("GET", "/v1/heatmaps/scroll", _parse(ScrollMap), {**page, "step_px": step_px})

    @staticmethod
    def click_insights(
        page: Params,
        rage_clicks: int | None,
        rage_window_ms: int | None,
        rage_radius_px: float | None,
        dead_window_ms: int | None,
        limit: int,
    ) -> Call[ClickInsights]:
        given = {
            "rage_clicks": rage_clicks,
            "rage_window_ms": rage_window_ms,
            "rage_radius_px": rage_radius_px,
            "dead_window_ms": dead_window_ms,
        }
        params: Params = {**page, "limit": limit}
        params.update({name: str(value) for name, value in given.items() if value is not None})
        return Call("GET", "/v1/insights/clicks", _parse(ClickInsights), params)


class Insights:
    """Heatmaps and click insights of one page (``url``, its query string ignored) or of the
    pages a ``pattern`` such as ``/product/*`` matches; ``after``/``before`` bound the time
    (datetime or ms), ``viewport`` the width bucket (``mobile``, ``tablet``, ``desktop``)."""

    def __init__(self, client: _Sender) -> None:
        self._client = client

    def click_heatmap(
        self,
        url: str | None = None,
        *,
        pattern: str | None = None,
        after: datetime | int | None = None,
        before: datetime | int | None = None,
        viewport: Viewport | None = None,
        cell_px: int = 10,
        elements: int = 50,
    ) -> ClickHeatmap:
        page = page_params(url, pattern, after, before, viewport)
        return self._client._send(_InsightCalls.click_heatmap(page, cell_px, elements))

    def scroll_map(
        self,
        url: str | None = None,
        *,
        pattern: str | None = None,
        after: datetime | int | None = None,
        before: datetime | int | None = None,
        viewport: Viewport | None = None,
        step_px: int = 100,
    ) -> ScrollMap:
        page = page_params(url, pattern, after, before, viewport)
        return self._client._send(_InsightCalls.scroll_map(page, step_px))

    def click_insights(
        self,
        url: str | None = None,
        *,
        pattern: str | None = None,
        after: datetime | int | None = None,
        before: datetime | int | None = None,
        viewport: Viewport | None = None,
        rage_clicks: int | None = None,
        rage_window_ms: int | None = None,
        rage_radius_px: float | None = None,
        dead_window_ms: int | None = None,
        limit: int = 20,
    ) -> ClickInsights:
        """Thresholds left None take the collector's defaults (the SDK's ``Recording`` rules)."""
        page = page_params(url, pattern, after, before, viewport)
        call = _InsightCalls.click_insights(
            page, rage_clicks, rage_window_ms, rage_radius_px, dead_window_ms, limit
        )
        return self._client._send(call)


class AsyncInsights:
    """``client.insights`` of ``AsyncClient``: the same methods, awaitable."""

    def __init__(self, client: _AsyncSender) -> None:
        self._client = client

    async def click_heatmap(
        self,
        url: str | None = None,
        *,
        pattern: str | None = None,
        after: datetime | int | None = None,
        before: datetime | int | None = None,
        viewport: Viewport | None = None,
        cell_px: int = 10,
        elements: int = 50,
    ) -> ClickHeatmap:
        page = page_params(url, pattern, after, before, viewport)
        return await self._client._send(_InsightCalls.click_heatmap(page, cell_px, elements))

    async def scroll_map(
        self,
        url: str | None = None,
        *,
        pattern: str | None = None,
        after: datetime | int | None = None,
        before: datetime | int | None = None,
        viewport: Viewport | None = None,
        step_px: int = 100,
    ) -> ScrollMap:
        page = page_params(url, pattern, after, before, viewport)
        return await self._client._send(_InsightCalls.scroll_map(page, step_px))

    async def click_insights(
        self,
        url: str | None = None,
        *,
        pattern: str | None = None,
        after: datetime | int | None = None,
        before: datetime | int | None = None,
        viewport: Viewport | None = None,
        rage_clicks: int | None = None,
        rage_window_ms: int | None = None,
        rage_radius_px: float | None = None,
        dead_window_ms: int | None = None,
        limit: int = 20,
    ) -> ClickInsights:
        page = page_params(url, pattern, after, before, viewport)
        call = _InsightCalls.click_insights(
            page, rage_clicks, rage_window_ms, rage_radius_px, dead_window_ms, limit
        )
        return await self._client._send(call)
