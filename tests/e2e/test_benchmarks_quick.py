"""The benchmark suite's quick mode runs end to end and reports every section with figures.

No figure is asserted against a target here: timings belong to `nox -s bench`, not to tests.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def is_figure(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def test_quick_benchmark_reports_every_section(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text())

    for recorder in ("sessiontape", "rrweb"):
        assert results["bundle"][recorder]["gzip_bytes"] > 1000
        assert is_figure(results["bundle"][recorder]["raw_bytes"])
    assert set(results["snapshot"]) == {"2k", "20k"}
    for label, page in results["snapshot"].items():
        assert page["elements"] > {"2k": 1500, "20k": 15000}[label]
        for contender in ("sessiontape", "rrweb", "floor"):
            assert page[contender]["start_ms"] > 0
        assert is_figure(page["sessiontape"]["vs_rrweb"])
        assert is_figure(page["sessiontape"]["vs_floor"])
    assert is_figure(results["longest_task"]["sessiontape_ms"])
    assert is_figure(results["longest_task"]["rrweb_ms"])

    mutations = results["mutations"]
    for contender in ("none", "sessiontape", "rrweb"):
        assert mutations[contender]["observed_ms"] > 0
    for recorder in ("sessiontape", "rrweb"):  # each recorder saw the burst within its flush
        assert mutations[recorder]["mutation_events_observed"] >= 1
    assert is_figure(mutations["ratio"])

    payload = results["payload"]
    for recorder in ("sessiontape", "rrweb"):
        kinds = payload[recorder]["by_kind"]
        assert kinds["2"]["events"] == 1  # one full snapshot
        for source in ("incremental/1", "incremental/2", "incremental/5"):  # move, click, input
            assert kinds[source]["events"] >= 1, (recorder, source)
        assert 0 < payload[recorder]["gzip_bytes"] < payload[recorder]["json_bytes"]
    assert is_figure(payload["ratio"])

    assert results["ingest"]["noop_rate"] > 0
    assert results["ingest"]["ingest_rate"] > 0
    assert results["decode"]["mb_per_s"] > 0
    assert results["decode"]["orjson_mb_per_s"] > 0

    canvas = results["canvas"]
    assert canvas["0"]["events_per_s"] == 0  # off: nothing captured
    assert canvas["5"]["events_per_s"] > 0
    assert canvas["5"]["bytes_per_s"] > 0

    viewer = results["viewer"]
    assert viewer["events"] > 1000
    assert is_figure(viewer["streamed_first_frame_ms"])
    assert is_figure(viewer["direct_first_frame_ms"])
    assert is_figure(viewer["ratio"])

    verdicts = {row["figure"]: row["result"] for row in results["targets"]}
    assert "bundle, gzip -9" in verdicts
    assert all(row["result"] in ("PASS", "FAIL", "") for row in results["targets"])
    assert "| figure" in done.stdout  # the table is printed
