"""Reading sessions from PostgreSQL: the filtered, paged list (each filter served by an index of
``postgres_schema``), one summary, a session's batches."""

from __future__ import annotations

from typing import Any

from sessiontape.api_types import SessionSummary
from sessiontape.collector.storage.base import BatchKey, SessionQuery
from sessiontape.collector.storage.payloads import read_payload
from sessiontape.collector.storage.postgres_batches import BATCH_WHERE, as_bytes
from sessiontape.collector.storage.postgres_pool import Connection
from sessiontape.collector.storage.session_rows import (
    SUMMARY_COLUMNS,
    decode_cursor,
    encode_cursor,
    summary_of,
)

FLAG_COLUMNS = ("click_count", "rage_click_count", "dead_click_count")


def list_sessions(
    conn: Connection, site_id: str, query: SessionQuery
) -> tuple[list[SessionSummary], str | None]:
    sql, params = list_query(site_id, query)
    rows = conn.execute(sql, params).fetchall()
    summaries = [summary_of(row) for row in rows[: query.limit]]
    next_cursor = None
    if len(rows) > query.limit:
        next_cursor = encode_cursor(summaries[-1].started_at, summaries[-1].id)
    return summaries, next_cursor


def list_query(site_id: str, query: SessionQuery) -> tuple[str, dict[str, Any]]:
    """The list's SQL and parameters (``EXPLAIN`` it to see the index each filter uses)."""
    conditions = ["site_id = %(site)s"]
    params: dict[str, Any] = {"site": site_id, "limit": query.limit + 1}
    if query.cursor is not None:
        params["c_start"], params["c_id"] = decode_cursor(query.cursor)
        conditions.append("(started_at, id) < (%(c_start)s, %(c_id)s)")
    if query.started_after is not None:
        params["after"] = query.started_after
        conditions.append("started_at >= %(after)s")
    if query.started_before is not None:
        params["before"] = query.started_before
        conditions.append("started_at < %(before)s")
    if query.min_duration_ms is not None:
        params["min_duration"] = query.min_duration_ms
        conditions.append("ended_at - started_at >= %(min_duration)s")
    for column, wanted in zip(
        FLAG_COLUMNS,
        (query.has_clicks, query.has_rage_clicks, query.has_dead_clicks),
        strict=True,
    ):
        if wanted is not None:
            conditions.append(f"{column} > 0" if wanted else f"{column} = 0")
    if query.url_contains:
        params["url_like"] = "%" + _like_literal(query.url_contains) + "%"
        conditions.append(
            "EXISTS (SELECT 1 FROM session_urls u WHERE u.site_id = sessions.site_id"
            " AND u.session_id = sessions.id AND u.url LIKE %(url_like)s)"
        )
    sql = (
        f"SELECT {SUMMARY_COLUMNS} FROM sessions WHERE {' AND '.join(conditions)}"
        " ORDER BY started_at DESC, id DESC LIMIT %(limit)s"
    )
    return sql, params


def _like_literal(text: str) -> str:
    """``text`` matched as itself by LIKE (whose escape character is ``\\``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_session(conn: Connection, site_id: str, session_id: str) -> SessionSummary | None:
    row = conn.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM sessions WHERE site_id = %s AND id = %s",
        (site_id, session_id),
    ).fetchone()
    return None if row is None else summary_of(row)


def batch_keys(conn: Connection, site_id: str, session_id: str) -> list[BatchKey]:
    rows = conn.execute(
        "SELECT window_id, seq FROM batches WHERE site_id = %s AND session_id = %s"
        " ORDER BY window_id, seq",
        (site_id, session_id),
    ).fetchall()
    return [(str(window), int(str(seq))) for window, seq in rows]


def stored_payload(conn: Connection, site_id: str, session_id: str, key: BatchKey) -> bytes | None:
    """The batch's gzipped JSON array as stored; None when there is none."""
    row = conn.execute(
        f"SELECT events FROM batches WHERE {BATCH_WHERE}", (site_id, session_id, *key)
    ).fetchone()
    return None if row is None else read_payload(conn, site_id, session_id, key, as_bytes(row[0]))
