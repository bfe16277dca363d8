"""How ``sessiontape serve`` runs the collector: uvicorn, with deadlines on reading requests.

uvicorn closes idle keep-alive connections but has no deadline for receiving a request: a client
that sends a header line, then a byte every few seconds, holds its socket (and a file descriptor)
forever. ``DeadlineProtocol`` adds two deadlines to uvicorn's h11 protocol: the request line and
headers must arrive within ``header_timeout`` seconds of the connection opening (or of the first
byte of a keep-alive request), and the body within ``body_timeout`` seconds of the headers. A
connection that misses one is closed (a 408 first when no request has started). At most
``max_connections`` are open at once (by default the file descriptor limit, raised to its hard
maximum, less a reserve): past that, the connection that has waited longest for its headers makes
room, so a flood of slow clients cannot lock out a request that arrives whole.
"""

from __future__ import annotations

import asyncio
import resource
import socket
from typing import Any

import h11
from pydantic_settings import BaseSettings, SettingsConfigDict
from uvicorn import Config, Server
from uvicorn.protocols.http.h11_impl import H11Protocol

FD_RESERVE = 64
"""Descriptors kept for the database, logs and the listening socket."""
_TIMEOUT_BODY = b'{"error":{"code":"request_timeout","message":"the request came too slowly"}}'
TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
    + f"content-length: {len(_TIMEOUT_BODY)}\r\n\r\n".encode()
    + _TIMEOUT_BODY
)


class ServerSettings(BaseSettings):
    """``SESSIONTAPE_HEADER_TIMEOUT`` and friends: how long a client may take to send."""

    model_config = SettingsConfigDict(env_prefix="SESSIONTAPE_")

    header_timeout: float = 10.0
    body_timeout: float = 60.0
    keep_alive_timeout: int = 5
    max_connections: int | None = None
    """Default: the process's file descriptor limit, less a reserve."""


class DeadlineProtocol(H11Protocol):
    header_timeout = 10.0
    body_timeout = 60.0
    max_connections = 1_000

    _deadline: asyncio.TimerHandle | None = None
    _waiting_since = 0.0
    """When the wait for request headers began; 0 outside that wait."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()
        if len(self.connections) > self.max_connections:
            self._make_room()

    def data_received(self, data: bytes) -> None:
        if self._deadline is None and self.conn.their_state is h11.IDLE:
            self._await_headers()  # the first byte of a request on a kept-alive connection
        super().data_received(data)
        state = self.conn.their_state
        if state is h11.SEND_BODY and self._waiting_since:
            self._waiting_since = 0.0
            self._arm(self.body_timeout)
        elif state is not h11.IDLE and state is not h11.SEND_BODY:
            self._disarm()  # the request is in; the app takes it from here

    def on_response_complete(self) -> None:
        self._disarm()  # between requests, uvicorn's keep-alive timeout applies
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _await_headers(self) -> None:
        self._waiting_since = self.loop.time()
        self._arm(self.header_timeout)

    def _arm(self, seconds: float) -> None:
        self._disarm(keep_waiting=True)
        self._deadline = self.loop.call_later(seconds, self._expire)

    def _disarm(self, *, keep_waiting: bool = False) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        if not keep_waiting:
            self._waiting_since = 0.0

    def _expire(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self._waiting_since and self.conn.our_state is h11.IDLE:
            self.transport.write(TIMEOUT_RESPONSE)
        self.transport.close()

    def _make_room(self) -> None:
        waiting = [
            c
            for c in self.connections
            if isinstance(c, DeadlineProtocol) and c._waiting_since and c is not self
        ]
        oldest = min(waiting, key=lambda c: c._waiting_since, default=self)
        oldest._disarm()
        oldest.transport.close()


def raise_fd_limit() -> int:
    """Lifts the soft limit on open files to the hard limit; returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65_536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


def protocol_for(settings: ServerSettings, fd_limit: int) -> type[DeadlineProtocol]:
    limit = settings.max_connections or max(fd_limit - FD_RESERVE, 16)
    return type(
        "ConfiguredDeadlineProtocol",
        (DeadlineProtocol,),
        {
            "header_timeout": settings.header_timeout,
            "body_timeout": settings.body_timeout,
            "max_connections": limit,
        },
    )


def serve(
    app: Any,
    host: str,
    port: int,
    settings: ServerSettings | None = None,
    sockets: list[socket.socket] | None = None,
) -> None:
    """Runs until interrupted; on ``sockets`` when given (bound and listening already)."""
    settings = settings or ServerSettings()
    protocol = protocol_for(settings, raise_fd_limit())
    config = Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        http=protocol,
        timeout_keep_alive=settings.keep_alive_timeout,
    )
    Server(config).run(sockets=sockets)
