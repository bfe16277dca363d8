"""Connections to PostgreSQL for the collector's threads: a few kept open, one per caller at a
time; a connection that broke is dropped, not handed out again."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import errors

from sessiontape.collector.storage import payloads
from sessiontape.collector.storage.base import StorageFullError
from sessiontape.collector.storage.blobs import BlobStore

Connection = psycopg.Connection[tuple[object, ...]]

FULL_ERRORS = (errors.DiskFull,)
"""SQLSTATE 53100: the server's disk is full; nothing was written."""


class ConnectionPool:
    def __init__(self, url: str, size: int, blobs: BlobStore | None = None) -> None:
        """``blobs``: the object store for the batches' bytes, attached to each connection."""
        self._url = url
        self._blobs = blobs
        self._idle: queue.LifoQueue[Connection] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._closed = False

    def _open(self) -> Connection:
        conn = psycopg.connect(self._url, autocommit=True)
        payloads.attach(conn, self._blobs)
        return conn

    @staticmethod
    def _drop(conn: Connection) -> None:
        payloads.detach(conn)
        conn.close()

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection in autocommit mode (``transaction()`` for a transaction)."""
        with self._slots:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._open()
            try:
                yield conn
            except BaseException:
                if conn.closed or conn.broken:
                    self._drop(conn)
                    raise
                self._idle.put(conn)
                raise
            if self._closed or conn.closed:
                self._drop(conn)
            else:
                self._idle.put(conn)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction, committed when the block ends; a full disk raises StorageFullError
        with the transaction rolled back."""
        with self.connection() as conn:
            try:
                with conn.transaction():
                    yield conn
            except FULL_ERRORS as exc:
                raise StorageFullError(str(exc)) from exc

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._drop(self._idle.get_nowait())
            except queue.Empty:
                return
