"""Many sessions written straight into a PostgreSQL index (no events), for the list's index
tests and the 1M-session timing."""

from __future__ import annotations

import psycopg

T0 = 1_764_500_000_000


def fill_sessions(url: str, site_ids: list[str], count: int) -> None:
    """``count`` sessions a second apart, round-robin over the sites: durations of 0-96 s, a third
    without clicks, one in 50 with a rage click, one in 40 with a dead click, one URL each."""
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO sessions (site_id, id, started_at, ended_at, event_count, batch_count,"
            " window_count, click_count, rage_click_count, dead_click_count, first_url)"
            " SELECT (%s::text[])[1 + n %% %s], md5(n::text), %s + n * 1000,"
            " %s + n * 1000 + (n %% 97) * 1000, 10, 1, 1, n %% 3, (n %% 50 = 0)::int,"
            " (n %% 40 = 0)::int, 'https://shop.example/p' || n"
            " FROM generate_series(1, %s) n",
            (site_ids, len(site_ids), T0, T0, count),
        )
        conn.execute(
            "INSERT INTO session_urls (site_id, session_id, url)"
            " SELECT site_id, id, first_url FROM sessions"
        )
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE sessions, session_urls")
