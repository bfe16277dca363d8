"""A throwaway PostgreSQL cluster for the tests: the system's PostgreSQL binaries, a fresh data
directory, trust authentication on 127.0.0.1 only, fsync off (the tests kill collectors, never
the cluster). initdb refuses to run as root: as root, the cluster belongs to the ``postgres``
system user."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

SYSTEM_USER = "postgres"
SUPERUSER = "postgres"


def find_binaries() -> Path | None:
    override = os.environ.get("SESSIONTAPE_PG_BINDIR")
    if override:
        return Path(override)
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    if versions:
        return Path(versions[-1])
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresCluster:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.directory = Path(tempfile.mkdtemp(prefix="sessiontape-pg-"))
        self.port = _free_port()
        self._as_root = os.geteuid() == 0
        if self._as_root:
            shutil.chown(self.directory, SYSTEM_USER, SYSTEM_USER)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self._as_root:
            command = ["runuser", "-u", SYSTEM_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.directory)

    def start(self, durable: bool = False) -> None:
        """``durable``: fsync on, as in production (benchmarks); the tests run without it."""
        data = str(self.directory / "data")
        self._run("initdb", "-D", data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync")
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
            " -c max_connections=300"
        )
        if not durable:
            options += " -c fsync=off -c full_page_writes=off"
        self._run(
            "pg_ctl", "-D", data, "-o", options, "-l", str(self.directory / "log"), "-w", "start"
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.directory / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def database_for(self, key: str) -> str:
        """The URL of a database of this cluster kept for ``key`` (created on first use): the
        same key, e.g. a collector's data directory, finds the same database after a restart."""
        import psycopg  # the test extra's; imported here so SQLite-only runs never need it

        name = "st_" + hashlib.sha1(key.encode()).hexdigest()[:16]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if exists.fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


_shared: PostgresCluster | None = None


def shared_cluster() -> PostgresCluster:
    """The test run's one cluster, started on first use (``stop_shared_cluster`` at the end)."""
    global _shared
    if _shared is None:
        bindir = find_binaries()
        if bindir is None:
            pytest.skip("no PostgreSQL binaries (apt-get install postgresql)")
        cluster = PostgresCluster(bindir)
        cluster.start()
        _shared = cluster
    return _shared


def stop_shared_cluster() -> None:
    global _shared
    if _shared is not None:
        _shared.stop()
        _shared = None
