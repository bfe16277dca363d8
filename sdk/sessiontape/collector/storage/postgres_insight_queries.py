"""Heatmaps and click insights aggregated in PostgreSQL over the facts ``postgres_insights``
keeps: the SQLite backend's queries (``sqlite_insight_queries``) in PostgreSQL's dialect."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from sessiontape.collector.storage.click_rules import page_of
from sessiontape.collector.storage.insight_base import HeatmapOptions, PageFilter, Thresholds
from sessiontape.collector.storage.postgres_pool import ConnectionPool
from sessiontape.collector.storage.sqlite_click_insights import click_insights
from sessiontape.insight_types import (
    VIEWPORT_WIDTHS,
    ClickHeatmap,
    ClickInsights,
    DepthShare,
    ElementHeat,
    HeatPoint,
    ScrollMap,
    SnapshotRef,
)

NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def psycopg_parameters(sql: str) -> str:
    """SQL written with ``:name`` parameters (shared with SQLite) as psycopg takes them."""
    return NAMED_PARAMETER.sub(r"%(\1)s", sql)


def page_conditions(page: PageFilter, time_column: str) -> tuple[str, dict[str, Any]]:
    """As ``sqlite_insight_filters.page_conditions``, with LIKE for GLOB (``:name`` parameters)."""
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
        params["like"] = _like(page.pattern)
        params["slashes"] = page.pattern.count("/")
        conditions.append(f"{column} LIKE :like")
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


def _like(pattern: str) -> str:
    """The pattern as a LIKE pattern: ``*`` any run of characters, everything else literal."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


class PostgresInsights:
    def __init__(self, pool: ConnectionPool) -> None:
        self._pool = pool

    def _rows(self, sql: str, params: dict[str, Any]) -> list[Any]:
        with self._pool.connection() as conn:
            return conn.execute(psycopg_parameters(sql), params).fetchall()

    def click_heatmap(
        self, site_id: str, page: PageFilter, options: HeatmapOptions
    ) -> ClickHeatmap:
        where, params = page_conditions(page, "at")
        params.update(site=site_id, cell=options.cell_px, points=options.points)
        params["grid"] = options.offset_cells
        (sessions,) = self._rows(
            f"SELECT COUNT(DISTINCT session_id) FROM click_facts WHERE {where}", params
        )[0]
        by_target = self._rows(
            "SELECT target, COUNT(*) AS n, COUNT(DISTINCT session_id) FROM click_facts"
            f" WHERE {where} GROUP BY target ORDER BY n DESC, target",
            params,
        )
        top = by_target[: options.elements]
        params["targets"] = [target for target, _, _ in top]
        offsets: dict[str, list[HeatPoint]] = defaultdict(list)
        for target, cell_x, cell_y, count in self._rows(
            "SELECT target, LEAST(trunc(rel_x * :grid)::int, :grid - 1) AS gx,"
            " LEAST(trunc(rel_y * :grid)::int, :grid - 1) AS gy, COUNT(*) FROM click_facts"
            f" WHERE {where} AND rel_x IS NOT NULL AND target = ANY(:targets)"
            " GROUP BY target, gx, gy ORDER BY 4 DESC",
            params,
        ):
            centre = ((cell_x + 0.5) / options.offset_cells, (cell_y + 0.5) / options.offset_cells)
            offsets[target].append(HeatPoint(x=centre[0], y=centre[1], clicks=count))
        points = self._rows(
            "SELECT trunc(page_x / :cell)::bigint AS cx, trunc(page_y / :cell)::bigint AS cy,"
            f" COUNT(*) FROM click_facts WHERE {where} AND page_x >= 0 AND page_y >= 0"
            " GROUP BY cx, cy ORDER BY 3 DESC LIMIT :points",
            params,
        )
        half = options.cell_px / 2
        return ClickHeatmap(
            clicks=sum(count for _, count, _ in by_target),
            sessions=sessions,
            cell_px=options.cell_px,
            elements=[
                ElementHeat(target=t, clicks=n, sessions=s, offsets=offsets.get(t, []))
                for t, n, s in top
            ],
            points=[
                HeatPoint(x=cx * options.cell_px + half, y=cy * options.cell_px + half, clicks=n)
                for cx, cy, n in points
            ],
            snapshot=self._latest_snapshot(site_id, page),
        )

    def _latest_snapshot(self, site_id: str, page: PageFilter) -> SnapshotRef | None:
        """The newest page view with a snapshot; of views started together, the one seen last
        (SQLite answers the one stored last; PostgreSQL keeps no insertion order)."""
        where, params = page_conditions(page, "started_at")
        params["site"] = site_id
        rows = self._rows(
            "SELECT session_id, snapshot_at, last_at, viewport_width FROM page_views"
            f" WHERE {where} AND snapshot_at IS NOT NULL"
            " ORDER BY started_at DESC, last_at DESC NULLS LAST, session_id LIMIT 1",
            params,
        )
        if not rows:
            return None
        session_id, at, last_at, width = rows[0]
        last_at = max(at, last_at) if last_at else None
        return SnapshotRef(session_id=session_id, at=at, last_at=last_at, viewport_width=width)

    def scroll_map(self, site_id: str, page: PageFilter, step_px: int, max_steps: int) -> ScrollMap:
        where, params = page_conditions(page, "started_at")
        params.update(site=site_id, step=step_px, last=max_steps)
        bins = self._rows(
            "SELECT LEAST(trunc(depth / :step)::int, :last) AS bin, COUNT(*) FROM ("
            "  SELECT MAX(max_scroll_y + COALESCE(viewport_height, 0)) AS depth"
            f"  FROM page_views WHERE {where} GROUP BY session_id"
            ") depths GROUP BY bin ORDER BY bin DESC",
            params,
        )
        total = sum(count for _, count in bins)
        reached: dict[int, int] = {}
        seen = 0
        for deepest_bin, count in bins:
            seen += count
            reached[deepest_bin] = seen
        depths = []
        running = 0
        for step in range(max(reached, default=-1), -1, -1):
            running = reached.get(step, running)
            depths.append(
                DepthShare(depth_px=step * step_px, sessions=running, share=running / total)
            )
        return ScrollMap(sessions=total, step_px=step_px, depths=depths[::-1])

    def click_insights(
        self, site_id: str, page: PageFilter, thresholds: Thresholds, limit: int, examples: int
    ) -> ClickInsights:
        return click_insights(
            self._rows, site_id, page, thresholds, limit, examples, conditions=page_conditions
        )
