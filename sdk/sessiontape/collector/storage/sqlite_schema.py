"""The SQLite index's tables, and how a stored batch updates its session's row."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS sites (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    write_key TEXT NOT NULL UNIQUE,
    read_key_hash TEXT NOT NULL UNIQUE,
    allowed_origins TEXT NOT NULL,
    created_at INTEGER NOT NULL DEFAULT (unixepoch()),
    max_sessions_per_hour INTEGER,
    max_bytes_per_day INTEGER,
    retention_days INTEGER
);
CREATE TABLE IF NOT EXISTS sessions (
    site_id TEXT NOT NULL REFERENCES sites(id),
    id TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    batch_count INTEGER NOT NULL,
    window_count INTEGER NOT NULL,
    click_count INTEGER NOT NULL,
    first_url TEXT,
    first_url_at INTEGER,
    last_url TEXT,
    last_url_at INTEGER,
    page_count INTEGER NOT NULL DEFAULT 0,
    browser TEXT,
    os TEXT,
    PRIMARY KEY (site_id, id)
);
CREATE INDEX IF NOT EXISTS sessions_by_start ON sessions (site_id, started_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS session_urls (
    site_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (site_id, session_id, url)
);
CREATE TABLE IF NOT EXISTS batches (
    site_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    window_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    event_count INTEGER NOT NULL,
    events BLOB NOT NULL,
    PRIMARY KEY (site_id, session_id, window_id, seq)
);
"""

# A batch widens the session's time span; its Meta events may move the first or last URL.
UPSERT_SESSION = """
INSERT INTO sessions (site_id, id, started_at, ended_at, event_count, batch_count,
                      window_count, click_count, first_url, first_url_at, last_url, last_url_at,
                      page_count, browser, os)
VALUES (:site, :session, :started, :ended, :events, 1, 1, :clicks,
        :first_url, :first_at, :last_url, :last_at, :pages, :browser, :os)
ON CONFLICT (site_id, id) DO UPDATE SET
    started_at = MIN(started_at, excluded.started_at),
    ended_at = MAX(ended_at, excluded.ended_at),
    event_count = event_count + excluded.event_count,
    batch_count = batch_count + 1,
    window_count = window_count + :new_window,
    click_count = click_count + excluded.click_count,
    page_count = page_count + excluded.page_count,
    browser = COALESCE(browser, excluded.browser),
    os = COALESCE(os, excluded.os),
    first_url = CASE WHEN first_url_at IS NULL OR excluded.first_url_at < first_url_at
                     THEN excluded.first_url ELSE first_url END,
    first_url_at = CASE WHEN first_url_at IS NULL OR excluded.first_url_at < first_url_at
                        THEN excluded.first_url_at ELSE first_url_at END,
    last_url = CASE WHEN last_url_at IS NULL OR excluded.last_url_at >= last_url_at
                    THEN COALESCE(excluded.last_url, last_url) ELSE last_url END,
    last_url_at = CASE WHEN last_url_at IS NULL OR excluded.last_url_at >= last_url_at
                       THEN COALESCE(excluded.last_url_at, last_url_at) ELSE last_url_at END
"""
