"""Opening the SQLite file: owner-only modes, durability pragmas, the size guard, migrations."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
SITE_QUOTA_COLUMNS = ("max_sessions_per_hour", "max_bytes_per_day", "retention_days")
SESSION_LABEL_COLUMNS = {
    "page_count": "INTEGER NOT NULL DEFAULT 0",
    "browser": "TEXT",
    "os": "TEXT",
}


def open_database(path: Path, schema: str, max_bytes: int = 0) -> sqlite3.Connection:
    """The data directory is created 0700 and the database 0600; SQLite gives its -wal and -shm
    files the database's mode. ``max_bytes`` (0: none) caps the database's pages, so a full
    database is refused with SQLITE_FULL before the disk itself fills."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=PRIVATE_DIR)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE))
    for suffix in ("", "-wal", "-shm"):  # files an earlier version left readable by others
        companion = path.with_name(path.name + suffix)
        if companion.exists() and companion.stat().st_mode & 0o077:
            companion.chmod(PRIVATE_FILE)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA busy_timeout=5000")
    db.execute("PRAGMA secure_delete=ON")  # erased rows are overwritten, not left in free pages
    db.executescript(schema)
    _add_missing_columns(db)
    if max_bytes > 0:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {max(1, max_bytes // page_size)}")
    return db


def _add_missing_columns(db: sqlite3.Connection) -> None:
    present = {row[1] for row in db.execute("PRAGMA table_info(sites)")}
    for column in SITE_QUOTA_COLUMNS:
        if column not in present:
            db.execute(f"ALTER TABLE sites ADD COLUMN {column} INTEGER")
    present = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
    for column, declaration in SESSION_LABEL_COLUMNS.items():
        if column not in present:
            db.execute(f"ALTER TABLE sessions ADD COLUMN {column} {declaration}")


def is_storage_full(error: BaseException) -> bool:
    """SQLITE_FULL (the disk, or ``max_page_count``), or ENOSPC from the file system."""
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        return code is not None and code & 0xFF == sqlite3.SQLITE_FULL
    return isinstance(error, OSError) and error.errno == errno.ENOSPC
