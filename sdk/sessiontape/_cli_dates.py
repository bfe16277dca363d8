"""The moments people type after ``--since`` and ``--until``: ISO dates and times, ``2h``,
``7d``, ``today``, ``yesterday``. Times without a zone are UTC."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime, timedelta

ACCEPTED = (
    "an ISO date or time (2026-11-30, 2026-11-30T14:05, 2026-11-30 14:05+01:00; UTC unless"
    " a zone is given), a time ago (90s, 30m, 2h, 7d, 2w), now, today or yesterday"
)
_AGO = re.compile(r"(\d+)\s*(s|sec|m|min|h|hr|d|day|days|w|wk|weeks?)(\s+ago)?")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800}


def parse_moment(text: str, now: datetime | None = None) -> datetime:
    """A timezone-aware datetime; ArgumentTypeError naming the accepted forms otherwise."""
    now = now or datetime.now(UTC)
    word = text.strip().lower()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    named = {"now": now, "today": midnight, "yesterday": midnight - timedelta(days=1)}
    if word in named:
        return named[word]
    ago = _AGO.fullmatch(word)
    if ago:
        return now - timedelta(seconds=int(ago.group(1)) * _UNIT_SECONDS[ago.group(2)[0]])
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a moment; use {ACCEPTED}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
