"""A session's summary as both backends select it, and the list's page cursors (the started_at
and id of a page's last session, opaque to clients)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sessiontape.api_types import SessionSummary
from sessiontape.collector.storage.base import InvalidCursorError

SUMMARY_COLUMNS = (
    "id, started_at, ended_at, event_count, batch_count, window_count, click_count,"
    " first_url, last_url, rage_click_count, dead_click_count, page_count, browser, os"
)

MAX_CURSOR_TIME = 2**63 - 1


def summary_of(row: tuple[Any, ...]) -> SessionSummary:
    session_id, started, ended, events, batches, windows, clicks, first_url, last_url = row[:9]
    return SessionSummary(
        id=session_id,
        started_at=started,
        ended_at=ended,
        duration_ms=ended - started,
        event_count=events,
        batch_count=batches,
        window_count=windows,
        click_count=clicks,
        first_url=first_url,
        last_url=last_url,
        rage_click_count=row[9],
        dead_click_count=row[10],
        page_count=row[11],
        browser=row[12],
        os=row[13],
    )


def encode_cursor(started_at: int, session_id: str) -> str:
    return base64.urlsafe_b64encode(f"{started_at}:{session_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        started, session_id = base64.urlsafe_b64decode(padded).decode().split(":", 1)
        started_at = int(started)
    except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
        raise InvalidCursorError(cursor) from exc
    if not 0 <= started_at <= MAX_CURSOR_TIME:  # both backends hold 64-bit integers
        raise InvalidCursorError(cursor)
    return started_at, session_id
