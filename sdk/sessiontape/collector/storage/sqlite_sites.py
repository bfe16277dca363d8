"""Sites in SQLite: their keys (the read key stored hashed), allowed origins, quotas, retention."""

from __future__ import annotations

import json
import secrets
import sqlite3

from sessiontape.collector.storage.base import (
    NewSite,
    Site,
    SiteChanges,
    hash_key,
    new_read_key,
    new_write_key,
)

COLUMNS = (
    "id, name, write_key, allowed_origins, max_sessions_per_hour, max_bytes_per_day, retention_days"
)
OPTIONAL_COLUMNS = ("max_sessions_per_hour", "max_bytes_per_day", "retention_days")
"""Columns later versions added: a database an earlier version made gets them at start-up."""


def insert_site(
    db: sqlite3.Connection, name: str, allowed_origins: tuple[str, ...], changes: SiteChanges
) -> NewSite:
    site = Site(
        id="site_" + secrets.token_hex(8),
        name=name,
        write_key=new_write_key(),
        allowed_origins=allowed_origins,
        max_sessions_per_hour=changes.max_sessions_per_hour,
        max_bytes_per_day=changes.max_bytes_per_day,
        retention_days=changes.retention_days,
    )
    read_key = new_read_key()
    db.execute(
        f"INSERT INTO sites ({COLUMNS}, read_key_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            site.id,
            name,
            site.write_key,
            json.dumps(allowed_origins),
            site.max_sessions_per_hour,
            site.max_bytes_per_day,
            site.retention_days,
            hash_key(read_key),
        ),
    )
    return NewSite(site=site, read_key=read_key)


def update_site(db: sqlite3.Connection, name: str, changes: SiteChanges) -> None:
    updates = {
        "allowed_origins": (
            None if changes.allowed_origins is None else json.dumps(changes.allowed_origins)
        ),
        "max_sessions_per_hour": changes.max_sessions_per_hour,
        "max_bytes_per_day": changes.max_bytes_per_day,
        "retention_days": changes.retention_days,
    }
    assignments = [
        f"{column} = :{column}" for column, value in updates.items() if value is not None
    ]
    if assignments:
        db.execute(
            f"UPDATE sites SET {', '.join(assignments)} WHERE name = :name",
            {**updates, "name": name},
        )


def site_where(db: sqlite3.Connection, condition: str, value: str) -> Site | None:
    row = db.execute(f"SELECT {COLUMNS} FROM sites WHERE {condition}", (value,)).fetchone()
    return None if row is None else _site(row)


def sites_with_retention(db: sqlite3.Connection) -> list[Site]:
    rows = db.execute(f"SELECT {COLUMNS} FROM sites WHERE retention_days > 0").fetchall()
    return [_site(row) for row in rows]


def _site(row: tuple[object, ...]) -> Site:
    site_id, name, write_key, origins, per_hour, per_day, retention = row
    return Site(
        str(site_id),
        str(name),
        str(write_key),
        tuple(json.loads(str(origins))),
        per_hour if isinstance(per_hour, int) else None,
        per_day if isinstance(per_day, int) else None,
        retention if isinstance(retention, int) else None,
    )
