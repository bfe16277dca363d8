"""Click and scroll facts kept at ingest in PostgreSQL, inside the batch's transaction: the same
facts, derived by the same code, as ``sqlite_insights`` keeps in SQLite (see there for what each
table holds). The session's advisory lock (``postgres_batches.lock_session``) makes one process
at a time derive a session's facts, whichever collector process received its batches."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from sessiontape.codec import RawEvent
from sessiontape.collector.storage.click_rules import (
    DEAD_CLICK_WINDOW_MS,
    MAX_DEAD_WINDOW_MS,
    RAGE_CLICKS,
    RAGE_WINDOW_MS,
    BurstClick,
    burst_lengths,
)
from sessiontape.collector.storage.click_targets import ClickTargets, WindowKey, decode_payload
from sessiontape.collector.storage.insight_facts import ClickEvent, InsightFacts
from sessiontape.collector.storage.payloads import read_payload
from sessiontape.collector.storage.postgres_batches import as_bytes
from sessiontape.collector.storage.postgres_pool import Connection
from sessiontape.collector.storage.window_facts import (
    PageView,
    WindowState,
    advance,
    click_row,
    current_view,
)

UPSERT_PAGE_VIEW = """
INSERT INTO page_views AS v (site_id, session_id, window_id, started_at, page_url, path,
                             viewport_width, viewport_height, max_scroll_y, snapshot_at, last_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (site_id, session_id, window_id, started_at) DO UPDATE SET
    viewport_width = COALESCE(excluded.viewport_width, v.viewport_width),
    viewport_height = COALESCE(excluded.viewport_height, v.viewport_height),
    max_scroll_y = GREATEST(v.max_scroll_y, excluded.max_scroll_y),
    snapshot_at = COALESCE(v.snapshot_at, excluded.snapshot_at),
    last_at = GREATEST(COALESCE(v.last_at, 0), COALESCE(excluded.last_at, 0))
"""

CLICK_COLUMNS = (
    "site_id, session_id, window_id, seq, idx, at, page_url, path, viewport_width, x, y,"
    " page_x, page_y, node_id, target, clickable, rel_x, rel_y"
)
INSERT_CLICK = f"""
INSERT INTO click_facts ({CLICK_COLUMNS}, burst)
VALUES ({", ".join(["%s"] * 18)}, 1)
ON CONFLICT (site_id, path, at, session_id, window_id, seq, idx) DO UPDATE SET
    page_url = excluded.page_url, viewport_width = excluded.viewport_width, x = excluded.x,
    y = excluded.y, page_x = excluded.page_x, page_y = excluded.page_y,
    node_id = excluded.node_id, target = excluded.target, clickable = excluded.clickable,
    rel_x = excluded.rel_x, rel_y = excluded.rel_y, burst = 1, change_after_ms = NULL
"""

UPDATE_SESSION_COUNTS = f"""
UPDATE sessions SET
    rage_click_count = (SELECT COUNT(*) FROM click_facts WHERE site_id = %(site)s
                        AND session_id = %(session)s AND burst = {RAGE_CLICKS}),
    dead_click_count = (SELECT COUNT(*) FROM click_facts WHERE site_id = %(site)s
                        AND session_id = %(session)s AND clickable = 1
                        AND (change_after_ms IS NULL
                             OR change_after_ms > {DEAD_CLICK_WINDOW_MS}))
WHERE site_id = %(site)s AND id = %(session)s
"""

SAVE_STATE = """
INSERT INTO window_state (site_id, session_id, window_id, page_started_at, href, width, height,
                          document_id, scroll_x, scroll_y)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (site_id, session_id, window_id) DO UPDATE SET
    page_started_at = excluded.page_started_at, href = excluded.href, width = excluded.width,
    height = excluded.height, document_id = excluded.document_id,
    scroll_x = excluded.scroll_x, scroll_y = excluded.scroll_y
"""

BY_KEY = (
    "site_id = %s AND path = %s AND at = %s AND session_id = %s AND window_id = %s AND seq = %s"
    " AND idx = %s"
)
INSIGHT_TABLES = ("click_facts", "page_views", "window_state")


class _PostgresClickTargets(ClickTargets):
    def stored_events(
        self, db: Any, key: WindowKey, after_seq: int, before_seq: int
    ) -> Iterator[RawEvent]:
        conn: Connection = db
        rows = conn.execute(
            "SELECT seq, events FROM batches WHERE site_id = %s AND session_id = %s"
            " AND window_id = %s AND seq > %s AND seq < %s ORDER BY seq",
            (*key, after_seq, before_seq),
        ).fetchall()
        site_id, session_id, window = key
        for seq, kept in rows:
            batch = (window, int(str(seq)))
            yield from decode_payload(
                read_payload(conn, site_id, session_id, batch, as_bytes(kept))
            )


_targets = _PostgresClickTargets()


def record_batch(
    conn: Connection,
    site_id: str,
    session_id: str,
    key: tuple[str, int],
    facts: InsightFacts,
    events: list[RawEvent] | Callable[[], list[RawEvent]],
) -> None:
    """Derives and stores the batch's facts; ``events`` decodes the batch when targets need it."""
    window, seq = key
    ids = (site_id, session_id, window)
    targets = iter(_targets.resolve(conn, ids, seq, facts, events))
    state = _load_state(conn, ids)
    loaded = replace(state)
    views: dict[int, PageView] = {}
    clicks: list[tuple[object, ...]] = []
    counts_changed = False
    for happening in facts.in_order():
        if isinstance(happening, ClickEvent):
            target = next(targets)
            counts_changed |= target.clickable
            clicks.append((*ids, seq, *click_row(happening, target, state)))
            continue
        advance(state, views, happening)
    if facts.ended is not None and (current := current_view(state, views)) is not None:
        current.last_at = max(current.last_at or 0, facts.ended)
    _many(conn, UPSERT_PAGE_VIEW, [view.row(ids) for view in views.values()])
    if state != loaded:
        conn.execute(SAVE_STATE, (*ids, *vars(state).values()))
    _many(conn, INSERT_CLICK, clicks)
    counts_changed |= _settle_followups(conn, site_id, session_id, facts.changes)
    if clicks:
        counts_changed |= _settle_bursts(conn, site_id, session_id, min(c.at for c in facts.clicks))
    if counts_changed:
        conn.execute(UPDATE_SESSION_COUNTS, {"site": site_id, "session": session_id})


def delete_session(conn: Connection, site_id: str, session_id: str) -> None:
    for table in INSIGHT_TABLES:
        conn.execute(
            f"DELETE FROM {table} WHERE site_id = %s AND session_id = %s", (site_id, session_id)
        )
    _targets.forget(site_id, session_id)


def _many(conn: Connection, sql: str, rows: Iterable[tuple[object, ...]]) -> None:
    rows = list(rows)
    if rows:
        with conn.cursor() as cursor:
            cursor.executemany(sql, rows)


def _settle_followups(conn: Connection, site_id: str, session_id: str, changes: list[int]) -> bool:
    """As ``sqlite_insights._settle_followups``: how soon the page changed after each click on
    a link or button; True when a click's dead state changed."""
    if not changes:
        return False
    rows = conn.execute(
        "SELECT path, at, window_id, seq, idx, change_after_ms FROM click_facts"
        " WHERE site_id = %s AND session_id = %s AND at BETWEEN %s AND %s"
        " AND clickable = 1 AND (change_after_ms IS NULL OR at + change_after_ms > %s)",
        (site_id, session_id, changes[0] - MAX_DEAD_WINDOW_MS, changes[-1], changes[0]),
    ).fetchall()
    updates: list[tuple[object, ...]] = []
    for path, at, window, seq, idx, known in rows:
        moment = int(str(at))
        first = bisect_left(changes, moment)
        if first == len(changes) or changes[first] - moment > MAX_DEAD_WINDOW_MS:
            continue
        after = changes[first] - moment
        if known is None or after < int(str(known)):
            updates.append((after, site_id, path, at, session_id, window, seq, idx))
    _many(conn, f"UPDATE click_facts SET change_after_ms = %s WHERE {BY_KEY}", updates)
    return bool(updates)


def _settle_bursts(conn: Connection, site_id: str, session_id: str, since: int) -> bool:
    """As ``sqlite_insights._settle_bursts``: burst lengths of the clicks from ``since`` on; True
    when a burst became, or stopped being, a rage click."""
    rows: list[Any] = conn.execute(
        "SELECT path, at, window_id, seq, idx, x, y, node_id, burst FROM click_facts"
        " WHERE site_id = %s AND session_id = %s AND at >= %s"
        " ORDER BY at, window_id, seq, idx",
        (site_id, session_id, since - RAGE_WINDOW_MS),
    ).fetchall()
    lengths = burst_lengths([BurstClick(at, x, y, node) for _, at, _, _, _, x, y, node, _ in rows])
    updates = [
        (length, old, (path, at, session_id, window, seq, idx))
        for (path, at, window, seq, idx, *_, old), length in zip(rows, lengths, strict=True)
        if at >= since and length != old
    ]
    _many(
        conn,
        f"UPDATE click_facts SET burst = %s WHERE {BY_KEY}",
        [(length, site_id, *key) for length, _, key in updates],
    )
    return any(RAGE_CLICKS in (length, old) for length, old, _ in updates)


def _load_state(conn: Connection, ids: tuple[str, str, str]) -> WindowState:
    row: Any = conn.execute(
        "SELECT page_started_at, href, width, height, document_id, scroll_x, scroll_y"
        " FROM window_state WHERE site_id = %s AND session_id = %s AND window_id = %s",
        ids,
    ).fetchone()
    return WindowState(*row) if row else WindowState()
