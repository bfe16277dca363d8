"""The PostgreSQL backend's own tests: they start the test run's temporary cluster themselves, so
they run with either ``--database`` (and are skipped where PostgreSQL is not installed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Collector, start_collector, stop_collector
from tests.postgres_cluster import PostgresCluster, shared_cluster


@pytest.fixture(scope="session")
def cluster() -> PostgresCluster:
    return shared_cluster()  # stopped when the run ends (tests/conftest.py)


@pytest.fixture
def database_url(cluster: PostgresCluster, tmp_path: Path) -> str:
    """A fresh database of the cluster, for one test."""
    return cluster.database_for(str(tmp_path))


@pytest.fixture
def pg_collector(database_url: str, tmp_path: Path) -> Iterator[Collector]:
    """A collector on a fresh PostgreSQL database."""
    data = tmp_path / "data"
    data.mkdir()
    running = start_collector(data, env={"SESSIONTAPE_DATABASE_URL": database_url})
    yield running
    stop_collector(running)
