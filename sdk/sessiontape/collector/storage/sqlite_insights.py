"""Per-session click and scroll facts, kept at ingest inside the batch's transaction, so heatmaps
and click insights aggregate them with SQL and never re-read events.

- ``click_facts``: one row per click: page, viewport width, viewport and page coordinates, the
  target's element path and, when the recorder sent the target's box, the offset inside it (as
  fractions of its width and height); its rage burst length and how soon the page next changed.
- ``page_views``: one row per page a window showed: its viewport and the deepest scroll.
- ``window_state``: where each window stands between batches (page, viewport, scroll).
- ``sessions.rage_click_count`` / ``dead_click_count``: kept current as batches arrive. A click
  at the end of a batch is dead until a later batch shows the page changed within the window.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import replace

from sessiontape.codec import RawEvent
from sessiontape.collector.storage.click_rules import (
    DEAD_CLICK_WINDOW_MS,
    MAX_DEAD_WINDOW_MS,
    RAGE_CLICKS,
    RAGE_WINDOW_MS,
    BurstClick,
    burst_lengths,
)
from sessiontape.collector.storage.click_targets import ClickTargets
from sessiontape.collector.storage.insight_facts import ClickEvent, InsightFacts
from sessiontape.collector.storage.window_facts import (
    PageView,
    WindowState,
    advance,
    click_row,
    current_view,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS click_facts (
    site_id TEXT NOT NULL,
    path TEXT NOT NULL,
    at INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    window_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    page_url TEXT NOT NULL,
    viewport_width INTEGER,
    x REAL,
    y REAL,
    page_x REAL,
    page_y REAL,
    node_id INTEGER NOT NULL,
    target TEXT NOT NULL,
    clickable INTEGER NOT NULL,
    rel_x REAL,
    rel_y REAL,
    burst INTEGER NOT NULL,
    change_after_ms INTEGER,
    PRIMARY KEY (site_id, path, at, session_id, window_id, seq, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS click_facts_by_session ON click_facts (site_id, session_id, at);
CREATE TABLE IF NOT EXISTS page_views (
    site_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    window_id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    page_url TEXT NOT NULL,
    path TEXT NOT NULL,
    viewport_width INTEGER,
    viewport_height INTEGER,
    max_scroll_y REAL NOT NULL DEFAULT 0,
    snapshot_at INTEGER,
    last_at INTEGER,
    PRIMARY KEY (site_id, session_id, window_id, started_at)
);
CREATE INDEX IF NOT EXISTS page_views_by_path ON page_views (site_id, path, started_at);
CREATE TABLE IF NOT EXISTS window_state (
    site_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    window_id TEXT NOT NULL,
    page_started_at INTEGER,
    href TEXT,
    width INTEGER,
    height INTEGER,
    document_id INTEGER,
    scroll_x REAL NOT NULL DEFAULT 0,
    scroll_y REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, session_id, window_id)
);
"""

SESSION_COUNT_COLUMNS = ("rage_click_count", "dead_click_count")

UPSERT_PAGE_VIEW = """
INSERT INTO page_views (site_id, session_id, window_id, started_at, page_url, path,
                        viewport_width, viewport_height, max_scroll_y, snapshot_at, last_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (site_id, session_id, window_id, started_at) DO UPDATE SET
    viewport_width = COALESCE(excluded.viewport_width, viewport_width),
    viewport_height = COALESCE(excluded.viewport_height, viewport_height),
    max_scroll_y = MAX(max_scroll_y, excluded.max_scroll_y),
    snapshot_at = COALESCE(snapshot_at, excluded.snapshot_at),
    last_at = MAX(COALESCE(last_at, 0), COALESCE(excluded.last_at, 0))
"""

SESSION_CLICKS = "click_facts INDEXED BY click_facts_by_session"
"""A session's clicks: the planner would otherwise walk all the site's clicks by page."""

UPDATE_SESSION_COUNTS = f"""
UPDATE sessions SET
    rage_click_count = (SELECT COUNT(*) FROM {SESSION_CLICKS} WHERE site_id = :site
                        AND session_id = :session AND burst = {RAGE_CLICKS}),
    dead_click_count = (SELECT COUNT(*) FROM {SESSION_CLICKS} WHERE site_id = :site
                        AND session_id = :session AND clickable = 1
                        AND (change_after_ms IS NULL
                             OR change_after_ms > {DEAD_CLICK_WINDOW_MS}))
WHERE site_id = :site AND id = :session
"""

BY_KEY = (
    "site_id = ? AND path = ? AND at = ? AND session_id = ? AND window_id = ? AND seq = ?"
    " AND idx = ?"
)

_targets = ClickTargets()


def migrate(db: sqlite3.Connection) -> None:
    """Adds the session counts to a database an earlier version created (tables come from
    ``SCHEMA``). Sessions stored before have no facts: their counts stay 0."""
    present = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
    for column in SESSION_COUNT_COLUMNS:
        if column not in present:
            db.execute(f"ALTER TABLE sessions ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")


def record_batch(
    db: sqlite3.Connection,
    site_id: str,
    session_id: str,
    key: tuple[str, int],
    facts: InsightFacts,
    events: list[RawEvent] | Callable[[], list[RawEvent]],
) -> None:
    """Derives and stores the batch's facts; ``events`` decodes the batch when targets need it."""
    window, seq = key
    ids = (site_id, session_id, window)
    targets = iter(_targets.resolve(db, ids, seq, facts, events))
    state = _load_state(db, ids)
    loaded = replace(state)
    views: dict[int, PageView] = {}
    clicks: list[tuple[object, ...]] = []
    counts_changed = False
    for happening in facts.in_order():
        if isinstance(happening, ClickEvent):
            target = next(targets)
            counts_changed |= target.clickable  # a new click on a link or button
            clicks.append((*ids, seq, *click_row(happening, target, state)))
            continue
        advance(state, views, happening)
    if facts.ended is not None and (current := current_view(state, views)) is not None:
        current.last_at = max(current.last_at or 0, facts.ended)
    db.executemany(
        UPSERT_PAGE_VIEW,
        [view.row(ids) for view in views.values()],
    )
    if state != loaded:
        _save_state(db, ids, state)
    db.executemany(
        "INSERT OR REPLACE INTO click_facts (site_id, session_id, window_id, seq, idx, at,"
        " page_url, path, viewport_width, x, y, page_x, page_y, node_id, target, clickable,"
        " rel_x, rel_y, burst) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        clicks,
    )
    counts_changed |= _settle_followups(db, site_id, session_id, facts.changes)
    if clicks:
        counts_changed |= _settle_bursts(db, site_id, session_id, min(c.at for c in facts.clicks))
    if counts_changed:
        db.execute(UPDATE_SESSION_COUNTS, {"site": site_id, "session": session_id})


def delete_session(db: sqlite3.Connection, site_id: str, session_id: str) -> None:
    for table in ("click_facts", "page_views", "window_state"):
        db.execute(
            f"DELETE FROM {table} WHERE site_id = ? AND session_id = ?", (site_id, session_id)
        )
    _targets.forget(site_id, session_id)


def _settle_followups(
    db: sqlite3.Connection, site_id: str, session_id: str, changes: list[int]
) -> bool:
    """Sets how soon after each click on a link or button (of this batch or an earlier one) the
    page changed, when this batch holds a change sooner than any known; True when one changed."""
    if not changes:
        return False
    rows = db.execute(
        f"SELECT path, at, window_id, seq, idx, change_after_ms FROM {SESSION_CLICKS}"
        " WHERE site_id = ? AND session_id = ? AND at BETWEEN ? AND ?"
        " AND clickable = 1 AND (change_after_ms IS NULL OR at + change_after_ms > ?)",
        (site_id, session_id, changes[0] - MAX_DEAD_WINDOW_MS, changes[-1], changes[0]),
    ).fetchall()
    updates = []
    for path, at, window, seq, idx, known in rows:
        first = bisect_left(changes, at)
        if first == len(changes) or changes[first] - at > MAX_DEAD_WINDOW_MS:
            continue
        after = changes[first] - at
        if known is None or after < known:
            updates.append((after, site_id, path, at, session_id, window, seq, idx))
    db.executemany(f"UPDATE click_facts SET change_after_ms = ? WHERE {BY_KEY}", updates)
    return bool(updates)


def _settle_bursts(db: sqlite3.Connection, site_id: str, session_id: str, since: int) -> bool:
    """Burst lengths of the clicks from ``since`` on, replayed from the clicks of the rage window
    before (see ``burst_lengths``); True when a burst became, or stopped being, a rage click."""
    rows = db.execute(
        f"SELECT path, at, window_id, seq, idx, x, y, node_id, burst FROM {SESSION_CLICKS}"
        " WHERE site_id = ? AND session_id = ? AND at >= ? ORDER BY at, window_id, seq, idx",
        (site_id, session_id, since - RAGE_WINDOW_MS),
    ).fetchall()
    lengths = burst_lengths([BurstClick(at, x, y, node) for _, at, _, _, _, x, y, node, _ in rows])
    updates = [
        (length, old, (path, at, session_id, window, seq, idx))
        for (path, at, window, seq, idx, *_, old), length in zip(rows, lengths, strict=True)
        if at >= since and length != old
    ]
    db.executemany(
        f"UPDATE click_facts SET burst = ? WHERE {BY_KEY}",
        [(length, site_id, *key) for length, _, key in updates],
    )
    return any(RAGE_CLICKS in (length, old) for length, old, _ in updates)


def _load_state(db: sqlite3.Connection, ids: tuple[str, str, str]) -> WindowState:
    row = db.execute(
        "SELECT page_started_at, href, width, height, document_id, scroll_x, scroll_y"
        " FROM window_state WHERE site_id = ? AND session_id = ? AND window_id = ?",
        ids,
    ).fetchone()
    return WindowState(*row) if row else WindowState()


def _save_state(db: sqlite3.Connection, ids: tuple[str, str, str], state: WindowState) -> None:
    db.execute(
        "INSERT OR REPLACE INTO window_state (site_id, session_id, window_id, page_started_at,"
        " href, width, height, document_id, scroll_x, scroll_y)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            *ids,
            state.page_started_at,
            state.href,
            state.width,
            state.height,
            state.document_id,
            state.scroll_x,
            state.scroll_y,
        ),
    )
