"""Retention: a site's sessions that ended longer ago than its ``retention_days`` are erased by
the purge; younger ones, and every session of a site without retention, stay."""

from __future__ import annotations

import uuid
from pathlib import Path

from sessiontape.collector.storage import SessionQuery, SiteChanges, SQLiteStorage
from tests.integration.viewer_session import crafted_events

DAY_MS = 86_400_000
NOW = 1_800_000_000_000


def events_ending(at: int) -> list[dict]:
    events = crafted_events()
    shift = at - max(e["timestamp"] for e in events)
    return [{**e, "timestamp": e["timestamp"] + shift} for e in events]


def store(storage: SQLiteStorage, site_name: str, ended_at: int) -> str:
    site = storage.site_by_name(site_name)
    assert site is not None
    session_id = uuid.uuid4().hex
    assert storage.store_upload(site, session_id, [events_ending(ended_at)], NOW)
    return session_id


def listed(storage: SQLiteStorage, site_name: str) -> set[str]:
    site = storage.site_by_name(site_name)
    assert site is not None
    return {s.id for s in storage.list_sessions(site, SessionQuery(limit=100))[0]}


def test_the_purge_erases_only_what_is_past_its_sites_retention(tmp_path: Path):
    storage = SQLiteStorage(tmp_path / "db.sqlite3")
    storage.create_site("short", ("*",), SiteChanges(retention_days=7))
    storage.create_site("forever", ("*",))
    expired = store(storage, "short", NOW - 8 * DAY_MS)
    young = store(storage, "short", NOW - 6 * DAY_MS)
    old_but_kept = store(storage, "forever", NOW - 400 * DAY_MS)

    assert storage.purge_expired(NOW) == 1
    assert listed(storage, "short") == {young}
    assert listed(storage, "forever") == {old_but_kept}
    site = storage.site_by_name("short")
    assert site is not None
    assert storage.batch_keys(site, expired) == []
    assert storage.purge_expired(NOW) == 0  # nothing left to do


def test_retention_can_be_set_later_and_survives_reopening(tmp_path: Path):
    path = tmp_path / "db.sqlite3"
    storage = SQLiteStorage(path)
    storage.create_site("shop", ("*",))
    old = store(storage, "shop", NOW - 31 * DAY_MS)
    assert storage.purge_expired(NOW) == 0
    updated = storage.update_site("shop", SiteChanges(retention_days=30))
    assert updated is not None
    assert updated.retention_days == 30
    storage.close()

    reopened = SQLiteStorage(path)
    assert reopened.purge_expired(NOW) == 1
    assert old not in listed(reopened, "shop")
