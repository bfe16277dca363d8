import argparse
from datetime import UTC, datetime, timedelta, timezone

import pytest

from sessiontape._cli_dates import parse_moment

NOW = datetime(2026, 11, 30, 10, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", NOW - timedelta(hours=2)),
        ("7d", NOW - timedelta(days=7)),
        ("30m", NOW - timedelta(minutes=30)),
        ("2w", NOW - timedelta(weeks=2)),
        ("3 days ago", NOW - timedelta(days=3)),
        ("yesterday", datetime(2026, 11, 29, tzinfo=UTC)),
        ("today", datetime(2026, 11, 30, tzinfo=UTC)),
        ("now", NOW),
        ("2026-11-01", datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026-11-01T14:05", datetime(2026, 11, 1, 14, 5, tzinfo=UTC)),
        ("2026-11-01 14:05:09Z", datetime(2026, 11, 1, 14, 5, 9, tzinfo=UTC)),
        (
            "2026-11-01T14:05+01:00",
            datetime(2026, 11, 1, 14, 5, tzinfo=timezone(timedelta(hours=1))),
        ),
    ],
)
def test_the_forms_people_type_are_understood(text, expected):
    assert parse_moment(text, NOW) == expected


def test_anything_else_names_the_accepted_forms():
    with pytest.raises(argparse.ArgumentTypeError, match=r"'last tuesday' is not a moment.*2h.*7d"):
        parse_moment("last tuesday", NOW)
