"""Rows as a collector stored them, read straight from its database: the SQLite file in its
data directory, or the PostgreSQL database ``serve`` noted there (``database.json``)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

DATABASE_FILE = "database.json"


def database_url(data_dir: Path) -> str | None:
    path = data_dir / DATABASE_FILE
    if not path.exists():
        return None
    url = json.loads(path.read_text())["url"]
    return str(url) if url else None


def select(data_dir: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows ``sql`` (no parameters, in the dialect both share) selects."""
    url = database_url(data_dir)
    if url is None:
        with sqlite3.connect(data_dir / "sessiontape.sqlite3") as db:
            return list(db.execute(sql))
    import psycopg  # only for a collector on PostgreSQL

    with psycopg.connect(url) as conn:
        return [tuple(row) for row in conn.execute(sql)]
