"""Client and AsyncClient: one implementation of the API, two thin faces over httpx.

Each call is described once (``_Call``: a request and a parser) and the retry policy is decided
once (``_RetryPolicy``); the sync and async faces differ only in how they send and how they wait.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import random
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Generic, Self, TypeVar

import httpx

from sessiontape.api_types import SessionPage, SessionSummary, UploadResult
from sessiontape.codec import RawEvent, decode_event, decode_json_events, encode_event
from sessiontape.errors import APIConnectionError, APIStatusError, error_for_status
from sessiontape.events import Event
from sessiontape.recording import Recording

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
NDJSON = "application/x-ndjson"
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})

Timestamp = datetime | int
"""A datetime, or milliseconds since the Unix epoch."""


@dataclass(frozen=True)
class _Call(Generic[T]):
    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    params: dict[str, str | int] = field(default_factory=dict)
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _RetryPolicy:
    max_retries: int = DEFAULT_MAX_RETRIES
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def next_delay(
        self,
        attempt: int,
        call: _Call[Any],
        response: httpx.Response | None,
        failure: Exception | None,
    ) -> float:
        """Seconds to wait before trying again; raises the final error when it is time to stop."""
        delay = self.delay(attempt, response)
        if delay is not None:
            return delay
        if response is not None:
            raise _error(response)
        raise APIConnectionError(f"{call.method} {call.path}: {failure}") from failure

    def delay(self, attempt: int, response: httpx.Response | None) -> float | None:
        """Seconds to wait before retry number ``attempt + 1``, or None to give up."""
        if attempt >= self.max_retries:
            return None
        if response is not None:
            if response.status_code not in RETRYABLE_STATUS:
                return None
            retry_after = _retry_after_seconds(response)
            if retry_after is not None:
                return min(retry_after, self.max_retry_after)
        backoff = min(self.base_delay * 2.0**attempt, self.max_delay)
        return backoff * (0.5 + random.random() / 2)


def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _error(response: httpx.Response) -> APIStatusError:
    code, message = "http_error", response.text[:500]
    try:
        body = response.json()
        code, message = body["error"]["code"], body["error"]["message"]
    except (ValueError, KeyError, TypeError):
        pass
    return error_for_status(response.status_code, code, message)


def _ms(value: Timestamp) -> int:
    return int(value.timestamp() * 1000) if isinstance(value, datetime) else value


def _json(parse: Callable[[Any], T]) -> Callable[[httpx.Response], T]:
    return lambda response: parse(response.json())


def _upload_body(
    source: Recording | Sequence[Event | RawEvent], session_id: str | None
) -> tuple[str, bytes]:
    events = [encode_event(e) for e in (source.events if isinstance(source, Recording) else source)]
    canonical = json.dumps(events, separators=(",", ":"), sort_keys=True).encode()
    if session_id is None and isinstance(source, Recording):
        session_id = source.id
    # Without an id, the content names the session, so uploading it twice stores it once.
    session_id = session_id or hashlib.sha256(canonical).hexdigest()[:32]
    body = json.dumps({"session": session_id, "events": events}, separators=(",", ":"))
    return session_id, gzip.compress(body.encode(), 6)


class _SessionCalls:
    """The sessions resource, described once for both faces."""

    @staticmethod
    def page(filters: dict[str, str | int], cursor: str | None) -> _Call[SessionPage]:
        params = dict(filters)
        if cursor is not None:
            params["cursor"] = cursor
        return _Call("GET", "/v1/sessions", _json(SessionPage.model_validate), params)

    @staticmethod
    def filters(
        page_size: int,
        started_after: Timestamp | None,
        started_before: Timestamp | None,
        url_contains: str | None,
        min_duration_ms: int | None,
        has_clicks: bool | None,
    ) -> dict[str, str | int]:
        params: dict[str, str | int] = {"limit": page_size}
        if started_after is not None:
            params["started_after"] = _ms(started_after)
        if started_before is not None:
            params["started_before"] = _ms(started_before)
        if url_contains:
            params["url_contains"] = url_contains
        if min_duration_ms is not None:
            params["min_duration_ms"] = min_duration_ms
        if has_clicks is not None:
            params["has_clicks"] = "true" if has_clicks else "false"
        return params

    @staticmethod
    def get(session_id: str) -> _Call[SessionSummary]:
        return _Call("GET", f"/v1/sessions/{session_id}", _json(SessionSummary.model_validate))

    @staticmethod
    def fetch(session_id: str, strict: bool) -> _Call[Recording]:
        def parse(response: httpx.Response) -> Recording:
            return Recording(session_id, decode_json_events(response.content, strict=strict))

        return _Call("GET", f"/v1/sessions/{session_id}/events", parse)

    @staticmethod
    def events_stream(session_id: str) -> _Call[None]:
        return _Call(
            "GET", f"/v1/sessions/{session_id}/events", lambda _: None, headers={"Accept": NDJSON}
        )

    @staticmethod
    def upload(
        source: Recording | Sequence[Event | RawEvent], session_id: str | None
    ) -> _Call[UploadResult]:
        _, body = _upload_body(source, session_id)
        return _Call(
            "POST",
            "/v1/sessions",
            _json(UploadResult.model_validate),
            content=body,
            headers={"Content-Type": "application/json"},
        )

    @staticmethod
    def delete(session_id: str) -> _Call[None]:
        return _Call("DELETE", f"/v1/sessions/{session_id}", lambda _: None)


class _Pager:
    """Cursor pagination, walked the same way by both faces."""

    def __init__(self, filters: dict[str, str | int]) -> None:
        self.filters = filters
        self.cursor: str | None = None
        self.done = False

    def call(self) -> _Call[SessionPage]:
        return _SessionCalls.page(self.filters, self.cursor)

    def advance(self, page: SessionPage) -> list[SessionSummary]:
        self.cursor = page.next_cursor
        self.done = page.next_cursor is None
        return page.data


def _decode_line(line: str, strict: bool, index: int) -> Event | RawEvent:
    return decode_event(json.loads(line), strict=strict, index=index)


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
        page_size: int = 50,
    ) -> Iterator[SessionSummary]:
        """Matching sessions, newest first, fetched a page at a time as you iterate."""
        pager = _Pager(
            _SessionCalls.filters(
                page_size, started_after, started_before, url_contains, min_duration_ms, has_clicks
            )
        )
        while not pager.done:
            yield from pager.advance(self._client._send(pager.call()))

    def get(self, session_id: str) -> SessionSummary:
        return self._client._send(_SessionCalls.get(session_id))

    def fetch(self, session_id: str, *, strict: bool = True) -> Recording:
        """The whole session, decoded and typed."""
        return self._client._send(_SessionCalls.fetch(session_id, strict))

    def iter_events(self, session_id: str, *, strict: bool = True) -> Iterator[Event | RawEvent]:
        """The session's events one at a time, never holding the whole session in memory."""
        with self._client._stream(_SessionCalls.events_stream(session_id)) as response:
            for index, line in enumerate(response.iter_lines()):
                if line:
                    yield _decode_line(line, strict, index)

    def upload(
        self, source: Recording | Sequence[Event | RawEvent], *, session_id: str | None = None
    ) -> UploadResult:
        """Stores a whole recording; uploading the same one again stores nothing new."""
        return self._client._send(_SessionCalls.upload(source, session_id))

    def delete(self, session_id: str) -> None:
        """Erases the session and all its events."""
        self._client._send(_SessionCalls.delete(session_id))


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
        page_size: int = 50,
    ) -> AsyncIterator[SessionSummary]:
        pager = _Pager(
            _SessionCalls.filters(
                page_size, started_after, started_before, url_contains, min_duration_ms, has_clicks
            )
        )
        while not pager.done:
            for summary in pager.advance(await self._client._send(pager.call())):
                yield summary

    async def get(self, session_id: str) -> SessionSummary:
        return await self._client._send(_SessionCalls.get(session_id))

    async def fetch(self, session_id: str, *, strict: bool = True) -> Recording:
        return await self._client._send(_SessionCalls.fetch(session_id, strict))

    async def iter_events(
        self, session_id: str, *, strict: bool = True
    ) -> AsyncIterator[Event | RawEvent]:
        response = await self._client._open_stream(_SessionCalls.events_stream(session_id))
        try:
            index = 0
            async for line in response.aiter_lines():
                if line:
                    yield _decode_line(line, strict, index)
                    index += 1
        finally:
            await response.aclose()

    async def upload(
        self, source: Recording | Sequence[Event | RawEvent], *, session_id: str | None = None
    ) -> UploadResult:
        return await self._client._send(_SessionCalls.upload(source, session_id))

    async def delete(self, session_id: str) -> None:
        await self._client._send(_SessionCalls.delete(session_id))


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
        self._retry = _RetryPolicy(max_retries=max_retries)
        self.sessions = Sessions(self)

    def _open(self, call: _Call[Any], *, stream: bool) -> httpx.Response:
        attempt = 0
        while True:
            response: httpx.Response | None = None
            failure: Exception | None = None
            try:
                request = self._http.build_request(
                    call.method,
                    call.path,
                    params=call.params,
                    content=call.content,
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

    def _send(self, call: _Call[T]) -> T:
        return call.parse(self._open(call, stream=False))

    def _stream(self, call: _Call[Any]) -> _StreamContext:
        return _StreamContext(self._open(call, stream=True))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


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
        self._retry = _RetryPolicy(max_retries=max_retries)
        self.sessions = AsyncSessions(self)

    async def _open_stream(self, call: _Call[Any], *, stream: bool = True) -> httpx.Response:
        attempt = 0
        while True:
            response: httpx.Response | None = None
            failure: Exception | None = None
            try:
                request = self._http.build_request(
                    call.method,
                    call.path,
                    params=call.params,
                    content=call.content,
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

    async def _send(self, call: _Call[T]) -> T:
        return call.parse(await self._open_stream(call, stream=False))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
