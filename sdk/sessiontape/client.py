"""Client and AsyncClient: one implementation of the API, two thin faces over httpx.

Each call is described once as a request plus a parser (``_Call``); the sync and async faces only
differ in how they send it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, Self, TypeVar

import httpx

from sessiontape.api_types import SessionPage, SessionSummary
from sessiontape.errors import APIConnectionError, error_for_status
from sessiontape.recording import Recording

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


@dataclass(frozen=True)
class _Call(Generic[T]):
    method: str
    path: str
    parse: Callable[[Any], T]
    params: dict[str, str | int] = field(default_factory=dict)


def _raise_for_error(response: httpx.Response) -> None:
    if response.is_success:
        return
    code, message = "http_error", response.text[:500]
    try:
        body = response.json()
        code, message = body["error"]["code"], body["error"]["message"]
    except (ValueError, KeyError, TypeError):
        pass
    raise error_for_status(response.status_code, code, message)


class _SessionCalls:
    """The sessions resource, described once for both faces."""

    @staticmethod
    def page(limit: int, cursor: str | None) -> _Call[SessionPage]:
        params: dict[str, str | int] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        return _Call("GET", "/v1/sessions", SessionPage.model_validate, params)

    @staticmethod
    def get(session_id: str) -> _Call[SessionSummary]:
        return _Call("GET", f"/v1/sessions/{session_id}", SessionSummary.model_validate)

    @staticmethod
    def fetch(session_id: str, strict: bool) -> _Call[Recording]:
        def parse(body: Any) -> Recording:
            return Recording.from_raw(body["session"], body["events"], strict=strict)

        return _Call("GET", f"/v1/sessions/{session_id}/events", parse)


class Sessions:
    def __init__(self, client: Client) -> None:
        self._client = client

    def list(self, *, page_size: int = 50) -> Iterator[SessionSummary]:
        """Every session of the site, newest first, fetched page by page as you iterate."""
        cursor: str | None = None
        while True:
            page = self._client._send(_SessionCalls.page(page_size, cursor))
            yield from page.data
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def get(self, session_id: str) -> SessionSummary:
        return self._client._send(_SessionCalls.get(session_id))

    def fetch(self, session_id: str, *, strict: bool = True) -> Recording:
        return self._client._send(_SessionCalls.fetch(session_id, strict))


class AsyncSessions:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def list(self, *, page_size: int = 50) -> AsyncIterator[SessionSummary]:
        cursor: str | None = None
        while True:
            page = await self._client._send(_SessionCalls.page(page_size, cursor))
            for summary in page.data:
                yield summary
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    async def get(self, session_id: str) -> SessionSummary:
        return await self._client._send(_SessionCalls.get(session_id))

    async def fetch(self, session_id: str, *, strict: bool = True) -> Recording:
        return await self._client._send(_SessionCalls.fetch(session_id, strict))


def _client_options(base_url: str, api_key: str, timeout: float | httpx.Timeout) -> dict[str, Any]:
    return {
        "base_url": base_url.rstrip("/"),
        "headers": {"Authorization": f"Bearer {api_key}", "User-Agent": "sessiontape-python"},
        "timeout": timeout,
    }


class Client:
    """Synchronous client of a sessiontape collector's read API."""

    def __init__(
        self, base_url: str, api_key: str, *, timeout: float | httpx.Timeout = DEFAULT_TIMEOUT
    ) -> None:
        self._http = httpx.Client(**_client_options(base_url, api_key, timeout))
        self.sessions = Sessions(self)

    def _send(self, call: _Call[T]) -> T:
        try:
            response = self._http.request(call.method, call.path, params=call.params)
        except httpx.TransportError as exc:
            raise APIConnectionError(f"{call.method} {call.path}: {exc}") from exc
        _raise_for_error(response)
        return call.parse(response.json())

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncClient:
    """Asynchronous client with the same surface as :class:`Client`."""

    def __init__(
        self, base_url: str, api_key: str, *, timeout: float | httpx.Timeout = DEFAULT_TIMEOUT
    ) -> None:
        self._http = httpx.AsyncClient(**_client_options(base_url, api_key, timeout))
        self.sessions = AsyncSessions(self)

    async def _send(self, call: _Call[T]) -> T:
        try:
            response = await self._http.request(call.method, call.path, params=call.params)
        except httpx.TransportError as exc:
            raise APIConnectionError(f"{call.method} {call.path}: {exc}") from exc
        _raise_for_error(response)
        return call.parse(response.json())

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
