"""Heatmaps and click insights aggregated with SQL over the facts ``sqlite_insights`` keeps."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import defaultdict
from typing import Any

from sessiontape.collector.storage.insight_base import HeatmapOptions, PageFilter, Thresholds
from sessiontape.collector.storage.sqlite_click_insights import click_insights
from sessiontape.collector.storage.sqlite_insight_filters import page_conditions
from sessiontape.insight_types import (
    ClickHeatmap,
    ClickInsights,
    DepthShare,
    ElementHeat,
    HeatPoint,
    ScrollMap,
    SnapshotRef,
)


class SQLiteInsights:
    def __init__(self, db: sqlite3.Connection, lock: threading.Lock) -> None:
        self._db = db
        self._lock = lock

    def _rows(self, sql: str, params: dict[str, Any]) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

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
        params["targets"] = json.dumps([target for target, _, _ in top])
        offsets: dict[str, list[HeatPoint]] = defaultdict(list)
        for target, cell_x, cell_y, count in self._rows(
            "SELECT target, MIN(CAST(rel_x * :grid AS INT), :grid - 1) AS gx,"
            " MIN(CAST(rel_y * :grid AS INT), :grid - 1) AS gy, COUNT(*) FROM click_facts"
            f" WHERE {where} AND rel_x IS NOT NULL"
            " AND target IN (SELECT value FROM json_each(:targets))"
            " GROUP BY target, gx, gy ORDER BY 4 DESC",
            params,
        ):
            centre = ((cell_x + 0.5) / options.offset_cells, (cell_y + 0.5) / options.offset_cells)
            offsets[target].append(HeatPoint(x=centre[0], y=centre[1], clicks=count))
        points = self._rows(
            "SELECT CAST(page_x / :cell AS INT) AS cx, CAST(page_y / :cell AS INT) AS cy, COUNT(*)"
            f" FROM click_facts WHERE {where} AND page_x >= 0 AND page_y >= 0"
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
        where, params = page_conditions(page, "started_at")
        params["site"] = site_id
        rows = self._rows(
            "SELECT session_id, snapshot_at, last_at, viewport_width FROM page_views"
            f" WHERE {where} AND snapshot_at IS NOT NULL ORDER BY started_at DESC LIMIT 1",
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
            "SELECT MIN(CAST(depth / :step AS INT), :last) AS bin, COUNT(*) FROM ("
            "  SELECT MAX(max_scroll_y + COALESCE(viewport_height, 0)) AS depth"
            f"  FROM page_views WHERE {where} GROUP BY session_id"
            ") GROUP BY bin ORDER BY bin DESC",
            params,
        )
        total = sum(count for _, count in bins)
        reached: dict[int, int] = {}
        seen = 0
        for deepest_bin, count in bins:  # deepest first: sessions that saw at least this far
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
        return click_insights(self._rows, site_id, page, thresholds, limit, examples)
