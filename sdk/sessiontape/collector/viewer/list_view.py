"""The sessions list's filters, read from the query string (so a filtered list can be shared),
and its rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from sessiontape.api_types import SessionSummary
from sessiontape.collector.storage import SessionQuery

PAGE_SIZE = 50
MAX_URL_FILTER = 2_000
MAX_DURATION_S = 10 * 365 * 24 * 3600
URL_SHOWN = 70


class FilterError(ValueError):
    """A filter value the list cannot use; the message says which and why."""


@dataclass(frozen=True)
class ListForm:
    from_: str = ""
    to: str = ""
    url: str = ""
    min_duration: str = ""
    clicks: bool = False
    rage: bool = False
    dead: bool = False

    @classmethod
    def from_params(cls, params: QueryParams) -> ListForm:
        def text(name: str) -> str:
            return params.get(name, "")[:MAX_URL_FILTER].strip()

        return cls(
            from_=text("from"),
            to=text("to"),
            url=text("url"),
            min_duration=text("min_duration"),
            clicks=params.get("clicks") == "1",
            rage=params.get("rage") == "1",
            dead=params.get("dead") == "1",
        )

    @property
    def active(self) -> bool:
        return self != ListForm()

    def query(self, cursor: str | None) -> SessionQuery:
        """FilterError when a value cannot be used."""
        return SessionQuery(
            limit=PAGE_SIZE,
            cursor=cursor,
            started_after=_utc_ms(self.from_, "From"),
            started_before=_utc_ms(self.to, "To"),
            url_contains=self.url or None,
            min_duration_ms=_duration_ms(self.min_duration),
            has_clicks=True if self.clicks else None,
            has_rage_clicks=True if self.rage else None,
            has_dead_clicks=True if self.dead else None,
        )

    def url_with(self, cursor: str | None) -> str:
        params = {
            "from": self.from_,
            "to": self.to,
            "url": self.url,
            "min_duration": self.min_duration,
            "clicks": "1" if self.clicks else "",
            "rage": "1" if self.rage else "",
            "dead": "1" if self.dead else "",
            "cursor": cursor or "",
        }
        query = urlencode({k: v for k, v in params.items() if v})
        return "/sessions" + (f"?{query}" if query else "")


def _utc_ms(value: str, label: str) -> int | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise FilterError(
            f"{label}: {value!r} is not a date and time like 2026-11-30T09:30"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not 0 <= moment.timestamp() < 2**42:
        raise FilterError(f"{label}: {value!r} is out of range")
    return int(moment.timestamp() * 1000)


def _duration_ms(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or int(value) > MAX_DURATION_S:
        raise FilterError(f"Min. duration: {value!r} is not a number of seconds")
    return int(value) * 1000


@dataclass(frozen=True)
class Row:
    id: str
    started: str
    duration: str
    pages: int
    clicks: int
    browser: str
    os: str
    first_url: str
    first_url_short: str
    rage: int
    dead: int


def row(summary: SessionSummary) -> Row:
    first_url = summary.first_url or ""
    return Row(
        id=summary.id,
        started=format_time(summary.started_at),
        duration=format_duration(summary.duration_ms),
        pages=summary.page_count,
        clicks=summary.click_count,
        browser=summary.browser or "-",
        os=summary.os or "-",
        first_url=first_url,
        first_url_short=first_url if len(first_url) <= URL_SHOWN else first_url[:URL_SHOWN] + "…",
        rage=summary.rage_click_count,
        dead=summary.dead_click_count,
    )


def format_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


def format_duration(ms: int) -> str:
    seconds = max(ms, 0) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
