"""Erasure on PostgreSQL: once ``DELETE /v1/sessions/{id}`` has answered, the session's marker is
in no row of any table, and (the erasure vacuums) in no tuple, live or dead, of any page of the
tables that held it, their TOAST tables and indexes included; other sessions stay whole."""

from __future__ import annotations

import gzip
import uuid

import httpx
import psycopg

from tests.conftest import Collector
from tests.integration.test_erasure import marked_events
from tests.integration.viewer_session import crafted_events, upload

PAGE = 8192


def with_address(events: list[dict], marker: str) -> list[dict]:
    """The session's first page address carries the marker too (sessions, session_urls)."""
    events[0]["data"]["href"] = f"https://shop.example/{marker}"
    return events


def rows_with(conn: psycopg.Connection, marker: str) -> dict[str, int]:
    """Rows of every table of the database whose text, or decompressed events, hold the marker."""
    found: dict[str, int] = {}
    tables = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    for (table,) in tables:
        (count,) = conn.execute(
            f"SELECT count(*) FROM {table} t WHERE t::text LIKE %s", (f"%{marker}%",)
        ).fetchone()
        if count:
            found[table] = count
    payloads = conn.execute("SELECT events FROM batches").fetchall()
    hidden = sum(1 for (payload,) in payloads if marker.encode() in gzip.decompress(payload))
    if hidden:
        found["batches (events)"] = hidden
    return found


def tuples_with(conn: psycopg.Connection, marker: str) -> dict[str, int]:
    """Tuples, live or dead, on every page of the erased tables, their TOAST tables and indexes
    (``pageinspect``), whose bytes hold the marker."""
    conn.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    relations = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 't') AND (n.nspname = 'public' OR c.oid IN ("
        "   SELECT reltoastrelid FROM pg_class WHERE relname IN ('sessions', 'session_urls',"
        "   'batches')))"
    ).fetchall()
    found: dict[str, int] = {}
    for (relation,) in relations:
        qualified = f"pg_toast.{relation}" if relation.startswith("pg_toast") else relation
        (count,) = conn.execute(
            "SELECT count(*) FROM generate_series(0, pg_relation_size(%s::regclass) / %s - 1) p,"
            " heap_page_items(get_raw_page(%s, p::int)) i"
            " WHERE i.t_data IS NOT NULL AND position(%s::bytea IN i.t_data) > 0",
            (qualified, PAGE, qualified, marker.encode()),
        ).fetchone()
        if count:
            found[relation] = count
    return found


def test_an_erased_session_is_in_no_row_and_no_tuple(pg_collector: Collector, database_url: str):
    marker = "ERASE-ME-" + uuid.uuid4().hex
    read = {"Authorization": f"Bearer {pg_collector.read_key}"}
    kept = upload(pg_collector, pg_collector.read_key, crafted_events())
    erased = upload(
        pg_collector, pg_collector.read_key, with_address(marked_events(marker), marker)
    )
    with psycopg.connect(database_url, autocommit=True) as conn:
        # found while stored, so that finding nothing later means something
        assert set(rows_with(conn, marker)) >= {"sessions", "session_urls", "batches (events)"}
        assert set(tuples_with(conn, marker)) >= {"sessions", "session_urls"}

        answer = httpx.delete(pg_collector.url(f"/v1/sessions/{erased}"), headers=read)
        assert answer.status_code == 204

        assert rows_with(conn, marker) == {}
        assert tuples_with(conn, marker) == {}
    assert httpx.get(pg_collector.url(f"/v1/sessions/{erased}"), headers=read).status_code == 404
    fetched = httpx.get(pg_collector.url(f"/v1/sessions/{kept}/events"), headers=read)
    assert len(fetched.json()["events"]) == len(crafted_events())
