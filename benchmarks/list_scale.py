"""The sessions list on PostgreSQL with 1M sessions in the index: each filter's first page, its
time (median of 5) and whether its plan scans a table sequentially.
Run: python -m benchmarks.list_scale [sessions]"""

from __future__ import annotations

import json
import statistics
import sys
import time

import psycopg
from tests.postgres_cluster import PostgresCluster, find_binaries
from tests.postgres_sessions import T0, fill_sessions

from sessiontape.collector.storage.base import SessionQuery
from sessiontape.collector.storage.postgres import PostgresStorage
from sessiontape.collector.storage.postgres_reads import list_query

FILTERS = {
    "none": SessionQuery(),
    "started in one hour": SessionQuery(
        started_after=T0 + 500_000_000, started_before=T0 + 503_600_000
    ),
    "min duration 95 s": SessionQuery(min_duration_ms=95_000),
    "with clicks": SessionQuery(has_clicks=True),
    "without clicks": SessionQuery(has_clicks=False),
    "rage clicks": SessionQuery(has_rage_clicks=True),
    "dead clicks": SessionQuery(has_dead_clicks=True),
    "url contains": SessionQuery(url_contains="/p123456"),
}


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    bindir = find_binaries()
    if bindir is None:
        raise SystemExit("no PostgreSQL binaries")
    cluster = PostgresCluster(bindir)
    cluster.start()
    try:
        url = cluster.database_for("list-scale")
        storage = PostgresStorage(url)
        sites = [storage.create_site(f"site-{n}", ("*",)).site for n in range(2)]
        began = time.monotonic()
        fill_sessions(url, [site.id for site in sites], count)
        results: dict[str, object] = {"sessions": count, "fill_s": round(time.monotonic() - began)}
        with psycopg.connect(url) as conn:
            for name, query in FILTERS.items():
                sql, params = list_query(sites[0].id, query)
                plan = "\n".join(r[0] for r in conn.execute(f"EXPLAIN {sql}", params).fetchall())
                times = []
                for _ in range(5):
                    start = time.perf_counter()
                    page, _ = storage.list_sessions(sites[0], query)
                    times.append((time.perf_counter() - start) * 1000)
                results[name] = {
                    "ms": round(statistics.median(times), 2),
                    "rows": len(page),
                    "seq_scan": "Seq Scan" in plan,
                }
        storage.close()
    finally:
        cluster.stop()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
