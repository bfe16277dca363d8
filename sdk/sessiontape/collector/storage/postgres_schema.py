"""The PostgreSQL schema as numbered migrations, applied once each, in order, at start-up.

``schema_version`` records every migration applied. Collectors starting together take one
advisory lock, so exactly one of them applies a migration and the others see it done.
"""

from __future__ import annotations

import psycopg

MIGRATION_LOCK = 0x5E55_7A9E
"""The advisory lock key migrations run under (any constant no other program uses)."""

MIGRATIONS: tuple[str, ...] = (
    # 1: sites, sign-ins, usage, sessions and their batches, with an index for each list filter.
    """
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        write_key TEXT NOT NULL UNIQUE,
        read_key_hash TEXT NOT NULL UNIQUE,
        allowed_origins TEXT NOT NULL,
        created_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now())::bigint),
        max_sessions_per_hour BIGINT,
        max_bytes_per_day BIGINT,
        retention_days INTEGER
    );
    CREATE TABLE viewer_logins (
        token_hash TEXT PRIMARY KEY,
        site_id TEXT NOT NULL REFERENCES sites(id),
        expires_at BIGINT NOT NULL
    );
    CREATE TABLE site_usage (
        site_id TEXT NOT NULL REFERENCES sites(id),
        hour BIGINT NOT NULL,
        new_sessions BIGINT NOT NULL DEFAULT 0,
        stored_bytes BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (site_id, hour)
    );
    CREATE TABLE sessions (
        site_id TEXT NOT NULL REFERENCES sites(id),
        id TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        ended_at BIGINT NOT NULL,
        event_count BIGINT NOT NULL,
        batch_count BIGINT NOT NULL,
        window_count BIGINT NOT NULL,
        click_count BIGINT NOT NULL,
        first_url TEXT,
        first_url_at BIGINT,
        last_url TEXT,
        last_url_at BIGINT,
        page_count BIGINT NOT NULL DEFAULT 0,
        browser TEXT,
        os TEXT,
        rage_click_count BIGINT NOT NULL DEFAULT 0,
        dead_click_count BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (site_id, id)
    );
    CREATE INDEX sessions_by_start ON sessions (site_id, started_at DESC, id DESC);
    CREATE INDEX sessions_by_end ON sessions (site_id, ended_at);
    CREATE INDEX sessions_by_duration ON sessions (site_id, (ended_at - started_at));
    CREATE INDEX sessions_with_clicks ON sessions (site_id, started_at DESC, id DESC)
        WHERE click_count > 0;
    CREATE INDEX sessions_without_clicks ON sessions (site_id, started_at DESC, id DESC)
        WHERE click_count = 0;
    CREATE INDEX sessions_with_rage_clicks ON sessions (site_id, started_at DESC, id DESC)
        WHERE rage_click_count > 0;
    CREATE INDEX sessions_with_dead_clicks ON sessions (site_id, started_at DESC, id DESC)
        WHERE dead_click_count > 0;
    CREATE TABLE session_urls (
        site_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        url TEXT NOT NULL,
        PRIMARY KEY (site_id, session_id, url)
    );
    CREATE INDEX session_urls_by_text ON session_urls USING gin (url gin_trgm_ops);
    CREATE TABLE batches (
        site_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        window_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        received_at BIGINT NOT NULL,
        event_count BIGINT NOT NULL,
        events BYTEA NOT NULL,
        PRIMARY KEY (site_id, session_id, window_id, seq)
    );
    ALTER TABLE batches ALTER COLUMN events SET STORAGE EXTERNAL;
    """,
    # 2: click and scroll facts for heatmaps and click insights (see sqlite_insights).
    """
    CREATE TABLE click_facts (
        site_id TEXT NOT NULL,
        path TEXT NOT NULL,
        at BIGINT NOT NULL,
        session_id TEXT NOT NULL,
        window_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        idx INTEGER NOT NULL,
        page_url TEXT NOT NULL,
        viewport_width INTEGER,
        x DOUBLE PRECISION,
        y DOUBLE PRECISION,
        page_x DOUBLE PRECISION,
        page_y DOUBLE PRECISION,
        node_id BIGINT NOT NULL,
        target TEXT NOT NULL,
        clickable INTEGER NOT NULL,
        rel_x DOUBLE PRECISION,
        rel_y DOUBLE PRECISION,
        burst INTEGER NOT NULL,
        change_after_ms BIGINT,
        PRIMARY KEY (site_id, path, at, session_id, window_id, seq, idx)
    );
    CREATE INDEX click_facts_by_session ON click_facts (site_id, session_id, at);
    CREATE TABLE page_views (
        site_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        window_id TEXT NOT NULL,
        started_at BIGINT NOT NULL,
        page_url TEXT NOT NULL,
        path TEXT NOT NULL,
        viewport_width INTEGER,
        viewport_height INTEGER,
        max_scroll_y DOUBLE PRECISION NOT NULL DEFAULT 0,
        snapshot_at BIGINT,
        last_at BIGINT,
        PRIMARY KEY (site_id, session_id, window_id, started_at)
    );
    CREATE INDEX page_views_by_path ON page_views (site_id, path, started_at);
    CREATE TABLE window_state (
        site_id TEXT NOT NULL,
        session_id TEXT NOT NULL,
        window_id TEXT NOT NULL,
        page_started_at BIGINT,
        href TEXT,
        width INTEGER,
        height INTEGER,
        document_id BIGINT,
        scroll_x DOUBLE PRECISION NOT NULL DEFAULT 0,
        scroll_y DOUBLE PRECISION NOT NULL DEFAULT 0,
        PRIMARY KEY (site_id, session_id, window_id)
    );
    """,
    # 3: the ingest rate limit's token buckets, shared by every collector process.
    """
    CREATE TABLE ingest_buckets (
        key TEXT PRIMARY KEY,
        tokens DOUBLE PRECISION NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL
    );
    """,
)
"""Append only: a released migration never changes; a new one gets the next number."""

ERASED_TABLES = (
    "batches",
    "session_urls",
    "sessions",
    "click_facts",
    "page_views",
    "window_state",
)
"""The tables an erasure deletes a session's rows from (and vacuums afterwards)."""


def migrate(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    """Applies the migrations this database lacks; returns the schema version it is at."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY,"
            " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()
        current = int(str(row[0])) if row else 0
        for version, script in enumerate(MIGRATIONS, start=1):
            if version <= current:
                continue
            conn.execute(script)
            conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (version,))
        return len(MIGRATIONS)
