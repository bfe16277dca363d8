"""``python -m benchmarks [--quick] [--out FILE.json] [--profile]``: every section, one Chromium.

Writes the figures as JSON and prints a table of figures, ratios and PASS/FAIL per target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from benchmarks import bundle, canvas, ingest, mutations, payload, read, report, snapshot, viewer
from benchmarks.browser import build_site, launch, serve

try:
    from benchmarks import decode
except ModuleNotFoundError as missing:  # written separately; the suite runs without it
    if missing.name != "benchmarks.decode":
        raise
    decode = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Plan:
    sizes: dict[str, int]
    snapshot_runs: int
    mutation_runs: int
    payload_runs: int
    script: payload.Script


FULL = Plan({"2k": 2_000, "20k": 20_000, "100k": 100_000}, 5, 5, 3, payload.Script())
# Quick: proves every section works in well under a minute; its figures are not the reference.
QUICK = Plan({"2k": 2_000, "20k": 20_000}, 1, 1, 1, payload.Script().scaled(0.05))


def machine(browser_version: str) -> dict[str, Any]:
    meminfo = Path("/proc/meminfo")
    total_kb = int(meminfo.read_text().split()[1]) if meminfo.exists() else 0
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(total_kb / 1024 / 1024, 1),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "chromium": browser_version,
    }


def browser_sections(plan: Plan, results: dict[str, Any], step: Any) -> None:
    site = build_site(plan.sizes)
    with serve(site) as base, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            results["machine"] = machine(browser.version)
            results["snapshot"] = step(
                "snapshot", lambda: snapshot.run(browser, base, site, plan.snapshot_runs)
            )
            largest = list(plan.sizes)[-1]
            biggest = results["snapshot"][largest]
            results["longest_task"] = {
                "page": largest,
                "elements": biggest["elements"],
                "sessiontape_ms": biggest["sessiontape"]["longest_task_ms"],
                "rrweb_ms": biggest["rrweb"]["longest_task_ms"],
            }
            results["mutations"] = step(
                "mutations",
                lambda: mutations.run(browser, f"{base}/page/20k.html", plan.mutation_runs),
            )
            results["payload"] = step(
                "payload",
                lambda: payload.run(browser, f"{base}/shop.html", plan.payload_runs, plan.script),
            )
            results["canvas"] = step("canvas", lambda: canvas.run(browser, plan.payload_runs))
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short smoke run (< 1 minute)")
    parser.add_argument("--out", type=Path, default=Path("benchmark-results.json"))
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile our recorder (CDP) where it misses a target",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL

    def step(name: str, work: Any) -> Any:
        started = time.monotonic()
        print(f"[bench] {name}...", file=sys.stderr, flush=True)
        value = work()
        print(f"[bench] {name}: {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
        return value

    results: dict[str, Any] = {"mode": "quick" if args.quick else "full"}
    results["bundle"] = step("bundle", bundle.run)
    browser_sections(plan, results, step)
    results["ingest"] = step("ingest", lambda: ingest.run(args.quick))
    if decode is not None:
        results["decode"] = step("decode", lambda: decode.run(args.quick))
    results["read"] = step("read", lambda: read.run(20_000 if args.quick else 200_000))
    results["viewer"] = step("viewer", lambda: viewer.run(args.quick))
    rows = report.rows(results) + viewer.rows(results["viewer"])
    results["targets"] = report.as_json(rows)
    if args.profile:
        from benchmarks import profile

        results["profiles"] = step("profile", lambda: profile.run(results, plan.sizes))
    args.out.write_text(json.dumps(results, indent=2))
    print(report.table(rows))
    if args.profile:
        print(profile.summary(results["profiles"]))
    print(f"\nJSON: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
