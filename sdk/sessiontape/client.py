"""Client and AsyncClient: one implementation of the API, two thin faces over httpx.

Each call is described once (``Call``: a request and a parser) and the retry policy is decided
once (``RetryPolicy``); the sync and async faces differ only in how they send and how they wait.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Self, TypeVar

import httpx

from sessiontape._calls import DEFAULT_MAX_RETRIES, Call, RetryPolicy
from sessiontape._client_insights import AsyncInsights, Insights
from sessiontape._client_streams import (
    LineSplitter,
    decode_line,
)
from sessiontape._session_calls import Pager, SessionCalls, Timestamp
from sessiontape.api_types import SessionSummary, UploadResult
from sessiontape.codec import RawEvent, RecordingSource
from sessiontape.events import Event
from sessiontape.recording import Recording

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
NDJSON = "application/x-ndjson"
JSON = "application/json"


def _decoded(lines: Iterable[bytes], strict: bool, first_index: int) -> list[Event | RawEvent]:
    return [decode_line(line, strict=strict, index=first_index + i) for i, line in enumerate(lines)]


class Sessions:
    """``client.sessions``: a site's sessions."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list(
        self,
        *,
        started_after: Timestamp | None = None,
        started_before: Timestamp | None = None,
        url_contains: str | None = None,
        min_duration_ms: int | None = None,
        has_clicks: bool | None = None,
        has_rage_clicks: bool | None = None,
        has_dead_clicks: bool | None = None,
        page_size: int = 50,
    ) -> Iterator[SessionSummary]:
        """Matching sessions, newest first, fetched a page at a time as you iterate."""
        pager = Pager(
            SessionCalls.filters(
                page_size,
                started_after,
                started_before,
                url_contains,
                min_duration_ms,
                has_clicks,
                has_rage_clicks,
                has_dead_clicks,
            )
        )
        while not pager.done:
            yield from pager.advance(self._client._send(pager.call()))

    def get(self, session_id: str) -> SessionSummary:
        return self._client._send(SessionCalls.get(session_id))

    def fetch(self, session_id: str, *, strict: bool = True) -> Recording:
        """The whole session, decoded and typed as it arrives."""
        return Recording(session_id, list(self.iter_events(session_id, strict=strict)))

    def iter_events(self, session_id: str, *, strict: bool = True) -> Iterator[Event | RawEvent]:
        """The session's events one at a time, never holding the whole session in memory."""
        splitter = LineSplitter()
        count = 0
        with self._client._stream(SessionCalls.events(session_id, NDJSON)) as response:
            for chunk in response.iter_bytes():
                events = _decoded(splitter.feed(chunk), strict, count)
                count += len(events)
                yield from events
            yield from _decoded(splitter.close(), strict, count)

    def export(self, session_id: str, destination: IO[bytes]) -> None:
        """Writes the session as a ``{"session", "events"}`` rrweb JSON document, as it arrives."""
        with self._client._stream(SessionCalls.events(session_id, JSON)) as response:
            for chunk in response.iter_bytes():
                destination.write(chunk)

    def upload(
        self, source: Recording | RecordingSource, *, session_id: str | None = None
    ) -> UploadResult:
        """Stores a whole recording: a Recording, a list of events (dicts, typed events or
        ``@rrweb/packer`` strings), an export's ``{"session", "events"}`` dict, or any of these as
        JSON text or (gzipped) bytes. Its session id is ``session_id``, else the recording's own,
        else one derived from its events. Uploading the same events again stores nothing new;
        other events under a stored session's id raise :class:`ConflictError`."""
        return self._client._send(SessionCalls.upload(source, session_id))

    def upload_file(self, path: str | Path, *, session_id: str | None = None) -> UploadResult:
        """Stores a recording file (a sessiontape export, rrweb JSON or ``@rrweb/packer`` events,
        gzipped or not) reading it a piece at a time; the id is the file's, else its content's."""
        return self._client._send(SessionCalls.upload_file(Path(path), session_id))

    def delete(self, session_id: str) -> None:
        """Erases the session and all its events."""
        self._client._send(SessionCalls.delete(session_id))


class AsyncSessions:
    """``client.sessions`` of :class:`AsyncClient`: the same methods, awaitable."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(
        self,
        *,
        started_after: Timestamp | None = None,
        started_before: Timestamp | None = None,
        url_contains: str | None = None,
        min_duration_ms: int | None = None,
        has_clicks: bool | None = None,
        has_rage_clicks: bool | None = None,
        has_dead_clicks: bool | None = None,
        page_size: int = 50,
    ) -> AsyncIterator[SessionSummary]:
        pager = Pager(
            SessionCalls.filters(
                page_size,
                started_after,
                started_before,
                url_contains,
                min_duration_ms,
                has_clicks,
                has_rage_clicks,
                has_dead_clicks,
            )
        )
        while not pager.done:
            for summary in pager.advance(await self._client._send(pager.call())):
                yield summary

    async def get(self, session_id: str) -> SessionSummary:
        return await self._client._send(SessionCalls.get(session_id))

    async def fetch(self, session_id: str, *, strict: bool = True) -> Recording:
        return Recording(session_id, [e async for e in self.iter_events(session_id, strict=strict)])

    async def iter_events(
        self, session_id: str, *, strict: bool = True
    ) -> AsyncIterator[Event | RawEvent]:
        response = await self._client._open_stream(SessionCalls.events(session_id, NDJSON))
        splitter = LineSplitter()
        count = 0
        try:
            async for chunk in response.aiter_bytes():
                for event in _decoded(splitter.feed(chunk), strict, count):
                    count += 1
                    yield event
            for event in _decoded(splitter.close(), strict, count):
                yield event
        finally:
            await response.aclose()

    async def export(self, session_id: str, destination: IO[bytes]) -> None:
        response = await self._client._open_stream(SessionCalls.events(session_id, JSON))
        try:
            async for chunk in response.aiter_bytes():
                destination.write(chunk)
        finally:
            await response.aclose()

    async def upload(
        self, source: Recording | RecordingSource, *, session_id: str | None = None
    ) -> UploadResult:
        return await self._client._send(SessionCalls.upload(source, session_id))

    async def upload_file(self, path: str | Path, *, session_id: str | None = None) -> UploadResult:
        return await self._client._send(SessionCalls.upload_file(Path(path), session_id))

    async def delete(self, session_id: str) -> None:
        await self._client._send(SessionCalls.delete(session_id))


def _http_options(base_url: str, api_key: str, timeout: float | httpx.Timeout) -> dict[str, Any]:
    return {
        "base_url": base_url.rstrip("/"),
        "headers": {"Authorization": f"Bearer {api_key}", "User-Agent": "sessiontape-python"},
        "timeout": timeout,
    }


class _StreamContext:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response

    def __enter__(self) -> httpx.Response:
        return self.response

    def __exit__(self, *exc_info: object) -> None:
        self.response.close()


class Client:
    """Synchronous client of a sessiontape collector's API, authenticated by a site's read key.

    Requests that fail to connect, or answer 408, 429 or 5xx, are retried ``max_retries`` times
    with exponential backoff and jitter, honouring ``Retry-After``.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
    ) -> None:
        self._http = httpx.Client(**_http_options(base_url, api_key, timeout))
        self._retry = RetryPolicy(max_retries=max_retries)
        self.sessions = Sessions(self)
        self.insights = Insights(self)

    def _open(self, call: Call[Any], *, stream: bool) -> httpx.Response:
        attempt = 0
        while True:
            response: httpx.Response | None = None
            failure: Exception | None = None
            try:
                content = call.content() if callable(call.content) else call.content
                request = self._http.build_request(
                    call.method,
                    call.path,
                    params=call.params,
                    content=content,
                    headers=call.headers,
                )
                response = self._http.send(request, stream=stream)
            except httpx.TransportError as exc:
                failure = exc
            if response is not None:
                if response.is_success:
                    return response
                response.read()
                response.close()
            time.sleep(self._retry.next_delay(attempt, call, response, failure))
            attempt += 1

    def _send(self, call: Call[T]) -> T:
        return call.parse(self._open(call, stream=False))

    def _stream(self, call: Call[Any]) -> _StreamContext:
        return _StreamContext(self._open(call, stream=True))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


async def _async_body(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


class AsyncClient:
    """Asynchronous client with the same surface and retry policy as :class:`Client`."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
    ) -> None:
        self._http = httpx.AsyncClient(**_http_options(base_url, api_key, timeout))
        self._retry = RetryPolicy(max_retries=max_retries)
        self.sessions = AsyncSessions(self)
        self.insights = AsyncInsights(self)

    async def _open_stream(self, call: Call[Any], *, stream: bool = True) -> httpx.Response:
        attempt = 0
        while True:
            response: httpx.Response | None = None
            failure: Exception | None = None
            try:
                content = call.content() if callable(call.content) else call.content
                request = self._http.build_request(
                    call.method,
                    call.path,
                    params=call.params,
                    content=_async_body(content) if isinstance(content, Iterator) else content,
                    headers=call.headers,
                )
                response = await self._http.send(request, stream=stream)
            except httpx.TransportError as exc:
                failure = exc
            if response is not None:
                if response.is_success:
                    return response
                await response.aread()
                await response.aclose()
            await asyncio.sleep(self._retry.next_delay(attempt, call, response, failure))
            attempt += 1

    async def _send(self, call: Call[T]) -> T:
        return call.parse(await self._open_stream(call, stream=False))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
