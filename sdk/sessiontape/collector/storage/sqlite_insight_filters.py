"""Which click facts and page views a ``PageFilter`` selects, as SQL conditions."""

from __future__ import annotations

from typing import Any

from sessiontape.collector.storage.click_rules import page_of
from sessiontape.collector.storage.insight_base import PageFilter
from sessiontape.insight_types import VIEWPORT_WIDTHS


def page_conditions(page: PageFilter, time_column: str) -> tuple[str, dict[str, Any]]:
    """SQL conditions (on ``site_id``, ``path``, ``page_url``, ``viewport_width`` and the time
    column) selecting the page views or clicks ``page`` names."""
    conditions = ["site_id = :site"]
    params: dict[str, Any] = {}
    if page.url is not None:
        page_url, path = page_of(page.url)
        params["path"] = path
        conditions.append("path = :path")
        if not page.url.startswith("/"):
            params["page_url"] = page_url
            conditions.append("page_url = :page_url")
    if page.pattern is not None:
        column = "path" if page.pattern.startswith("/") else "page_url"
        params["glob"] = _glob(page.pattern)
        params["slashes"] = page.pattern.count("/")
        conditions.append(f"{column} GLOB :glob")
        conditions.append(f"length({column}) - length(replace({column}, '/', '')) = :slashes")
    if page.after is not None:
        params["after"] = page.after
        conditions.append(f"{time_column} >= :after")
    if page.before is not None:
        params["before"] = page.before
        conditions.append(f"{time_column} < :before")
    if page.viewport is not None:
        params["narrowest"], params["too_wide"] = VIEWPORT_WIDTHS[page.viewport]
        conditions.append("viewport_width >= :narrowest AND viewport_width < :too_wide")
    return " AND ".join(conditions), params


def _glob(pattern: str) -> str:
    """The pattern as a GLOB: ``*`` kept, GLOB's other special characters taken literally."""
    return "".join(f"[{c}]" if c in "[]?" else c for c in pattern)
