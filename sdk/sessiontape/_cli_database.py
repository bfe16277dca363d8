"""Which database the local commands (``serve``, ``sites``, ``purge``, ``migrate``) open.

``--database-url``, else ``$SESSIONTAPE_DATABASE_URL``, else the one the collector serving the
data directory was started with (``serve`` notes it there, owner-only, so that ``sites create``
on the same data directory reaches the same database), else SQLite in the data directory."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from sessiontape import _cli_connection

DATABASE_FILE = "database.json"
PRIVATE_FILE = 0o600


def database_url(args: argparse.Namespace, directory: Path) -> str:
    given = getattr(args, "database_url", None) or os.environ.get("SESSIONTAPE_DATABASE_URL")
    return given or _recorded(directory, "url")


def blob_url(args: argparse.Namespace, directory: Path) -> str:
    """The object store, found as the database is (``--blob-url``, ``$SESSIONTAPE_BLOB_URL``,
    the data directory's collector's)."""
    given = getattr(args, "blob_url", None) or os.environ.get("SESSIONTAPE_BLOB_URL")
    return given or _recorded(directory, "blob_url")


def record(directory: Path, url: str, blobs: str) -> None:
    """Notes the collector's database and object store in the data directory (the file is
    removed for the defaults)."""
    path = directory / DATABASE_FILE
    if not url and not blobs:
        path.unlink(missing_ok=True)
        return
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"url": url, "blob_url": blobs}, handle)


def _recorded(directory: Path, field: str) -> str:
    try:
        document = json.loads((directory / DATABASE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    value = document.get(field) if isinstance(document, dict) else None
    return value if isinstance(value, str) else ""


def open_storage(args: argparse.Namespace) -> Any:
    from sessiontape.collector import Settings
    from sessiontape.collector.app import open_storage as open_backend

    directory = _cli_connection.data_dir(args.data_dir)
    settings = Settings(
        data_dir=directory,
        database_url=database_url(args, directory),
        blob_url=blob_url(args, directory),
    )
    return open_backend(settings)


def migrate(args: argparse.Namespace) -> int:
    """``sessiontape migrate``: brings the database's schema up to this version's."""
    from sessiontape.collector.storage.backends import redacted

    directory = _cli_connection.data_dir(args.data_dir)
    url = database_url(args, directory)
    storage = open_storage(args)
    version = getattr(storage, "schema_version", None)
    storage.close()
    where = redacted(url) if url else "SQLite in " + str(directory)
    print(f"schema up to date ({where}" + (f", version {version})" if version else ")"))
    return 0
