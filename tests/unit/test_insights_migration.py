"""A database written before click facts existed opens, gains the new tables and columns, keeps
its sessions (their counts 0) and stores new batches with their facts."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sessiontape.codec import BatchLimits
from sessiontape.collector.storage import SessionQuery, SQLiteStorage, sqlite_quota, sqlite_schema
from sessiontape.collector.storage.insight_base import HeatmapOptions, PageFilter
from sessiontape.collector.storage.prepared import prepare_batch
from tests.integration.insight_events import BUTTON, batch, click, page_start

T0 = 1_700_000_000_000


def earlier_database(path: Path) -> None:
    """The tables as the version before click facts created them, with one site and session."""
    db = sqlite3.connect(path)
    db.executescript(sqlite_schema.SCHEMA + sqlite_quota.SCHEMA)
    db.execute(
        "INSERT INTO sites (id, name, write_key, read_key_hash, allowed_origins)"
        " VALUES ('site_old', 'old', 'st_pk_old', 'hash', '[\"*\"]')"
    )
    db.execute(
        "INSERT INTO sessions (site_id, id, started_at, ended_at, event_count, batch_count,"
        " window_count, click_count) VALUES ('site_old', ?, 1, 2, 3, 1, 1, 1)",
        ("a" * 32,),
    )
    db.commit()
    db.close()


def test_an_earlier_database_opens_with_the_new_tables_and_columns(tmp_path: Path):
    path = tmp_path / "sessiontape.db"
    earlier_database(path)

    storage = SQLiteStorage(path)
    site = storage.site_by_name("old")
    assert site is not None
    [old] = storage.list_sessions(site, SessionQuery())[0]
    assert (old.click_count, old.rage_click_count, old.dead_click_count) == (1, 0, 0)

    events = [*page_start("http://old.test/", T0), click(BUTTON, T0 + 10)]
    body = batch("b" * 32, 0, events)

    assert storage.store_batch(
        site, prepare_batch(json.dumps(body).encode(), BatchLimits(), T0), T0
    )
    new = storage.get_session(site, "b" * 32)
    assert new is not None
    assert new.dead_click_count == 1
    heatmap = storage.insights().click_heatmap(
        site.id, PageFilter(url="http://old.test/"), HeatmapOptions()
    )
    assert heatmap.clicks == 1
    storage.close()

    reopened = SQLiteStorage(path)  # the second opening finds everything in place
    assert reopened.get_session(site, "b" * 32) == new
    reopened.close()
