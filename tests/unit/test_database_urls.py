"""Which backend a database URL opens, and that messages never show its password."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessiontape.collector.storage import SQLiteStorage
from sessiontape.collector.storage.backends import DatabaseError, open_storage, redacted


def test_no_url_is_sqlite_in_the_data_directory(tmp_path: Path):
    storage = open_storage("", tmp_path / "default.sqlite3")
    storage.close()
    assert isinstance(storage, SQLiteStorage)
    assert (tmp_path / "default.sqlite3").exists()


def test_a_sqlite_url_names_the_file(tmp_path: Path):
    storage = open_storage(f"sqlite:///{tmp_path}/elsewhere.sqlite3", tmp_path / "unused.sqlite3")
    storage.close()
    assert (tmp_path / "elsewhere.sqlite3").exists()
    assert not (tmp_path / "unused.sqlite3").exists()


def test_other_urls_are_refused_without_their_password(tmp_path: Path):
    with pytest.raises(DatabaseError) as refused:
        open_storage("mysql://tape:hunter2@db/tape", tmp_path / "x.sqlite3")
    assert "hunter2" not in str(refused.value)
    assert "postgresql://" in str(refused.value)


def test_an_unreachable_postgresql_says_where_without_the_password(tmp_path: Path):
    with pytest.raises(DatabaseError) as refused:
        open_storage("postgresql://tape:hunter2@127.0.0.1:1/tape", tmp_path / "x.sqlite3")
    assert "127.0.0.1" in str(refused.value)
    assert "hunter2" not in str(refused.value)


def test_a_bad_blob_url_is_refused(tmp_path: Path):
    with pytest.raises(DatabaseError, match="s3://bucket/prefix"):
        open_storage("", tmp_path / "x.sqlite3", blob_url="ftp://store/tapes")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://tape:hunter2@db:5432/tape", "postgresql://tape:***@db:5432/tape"),
        ("postgresql://tape@db/tape", "postgresql://tape@db/tape"),
        ("postgresql:///tape", "postgresql:///tape"),
    ],
)
def test_redacted_hides_only_the_password(url: str, shown: str):
    assert redacted(url) == shown
