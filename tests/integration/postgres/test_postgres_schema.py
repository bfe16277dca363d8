"""The PostgreSQL schema: versioned migrations applied once (at start-up or by ``sessiontape
migrate``), and an index behind every filter of the sessions list."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from sessiontape.collector.storage.base import SessionQuery
from sessiontape.collector.storage.postgres import PostgresStorage
from sessiontape.collector.storage.postgres_reads import list_query
from sessiontape.collector.storage.postgres_schema import MIGRATIONS
from tests.postgres_sessions import T0, fill_sessions

SESSIONS = 40_000
SITES = 4


def test_migrate_applies_each_migration_once(database_url: str, tmp_path: Path):
    command = [sys.executable, "-m", "sessiontape.cli", "migrate", "--data-dir", str(tmp_path)]
    first = subprocess.run(
        [*command, "--database-url", database_url], capture_output=True, text=True, check=True
    )
    assert f"version {len(MIGRATIONS)}" in first.stdout
    PostgresStorage(database_url).close()  # a collector starting on a migrated database
    with psycopg.connect(database_url) as conn:
        versions = conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert versions == [(n,) for n in range(1, len(MIGRATIONS) + 1)]


@pytest.fixture
def many_sessions(database_url: str) -> str:
    storage = PostgresStorage(database_url)
    site_ids = [storage.create_site(f"site-{n}", ("*",)).site.id for n in range(SITES)]
    storage.close()
    fill_sessions(database_url, site_ids, SESSIONS)
    return site_ids[0]


FILTERS = {
    "none": SessionQuery(),
    "started_after": SessionQuery(started_after=T0 + 30_000_000),
    "started_before": SessionQuery(started_before=T0 + 1_000_000),
    "min_duration": SessionQuery(min_duration_ms=95_000),
    "has_clicks": SessionQuery(has_clicks=True),
    "no_clicks": SessionQuery(has_clicks=False),
    "rage": SessionQuery(has_rage_clicks=True),
    "dead": SessionQuery(has_dead_clicks=True),
    "url_contains": SessionQuery(url_contains="/p1234"),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_every_list_filter_is_served_by_an_index(many_sessions: str, database_url: str, name: str):
    sql, params = list_query(many_sessions, FILTERS[name])
    with psycopg.connect(database_url) as conn:
        plan = "\n".join(row[0] for row in conn.execute(f"EXPLAIN {sql}", params).fetchall())
    assert "Seq Scan" not in plan, plan


def test_url_contains_matches_its_text_literally(database_url: str):
    storage = PostgresStorage(database_url)
    site = storage.create_site("shop", ("*",)).site
    storage.close()
    with psycopg.connect(database_url) as conn:
        for session, url in (
            ("a" * 32, "https://x.test/50%_off"),
            ("b" * 32, "https://x.test/50xyoff"),
        ):
            conn.execute(
                "INSERT INTO sessions (site_id, id, started_at, ended_at, event_count,"
                " batch_count, window_count, click_count) VALUES (%s, %s, 1, 2, 1, 1, 1, 0)",
                (site.id, session),
            )
            conn.execute(
                "INSERT INTO session_urls (site_id, session_id, url) VALUES (%s, %s, %s)",
                (site.id, session, url),
            )
    storage = PostgresStorage(database_url)
    try:
        found, _ = storage.list_sessions(site, SessionQuery(url_contains="50%_off"))
        assert [s.id for s in found] == ["a" * 32]
        found, _ = storage.list_sessions(site, SessionQuery(url_contains="xy"))
        assert [s.id for s in found] == ["b" * 32]
    finally:
        storage.close()
