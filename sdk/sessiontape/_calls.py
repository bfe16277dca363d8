"""A call to the API described once (request and parser), and when to try it again."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Generic, TypeVar

import httpx

from sessiontape.errors import APIConnectionError, APIStatusError, error_for_status

T = TypeVar("T")

DEFAULT_MAX_RETRIES = 2
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Call(Generic[T]):
    method: str
    path: str
    parse: Callable[[httpx.Response], T]
    params: dict[str, str | int] = field(default_factory=dict)
    content: bytes | Callable[[], Iterator[bytes]] | None = None
    """A body, or what writes it afresh for every attempt."""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = DEFAULT_MAX_RETRIES
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def next_delay(
        self,
        attempt: int,
        call: Call[Any],
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
