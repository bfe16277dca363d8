"""Where our recorder misses a target: Chrome's sampling profiler (CDP Profiler domain through
Playwright) over the same in-page scenario, with a readable (unminified) build of the recorder.

The readable build goes to a temporary directory; the recorder's sources and dist/ are untouched.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from benchmarks.browser import ROOT, build_site, fresh_page, launch, serve
from benchmarks.mutations import BURST, BURST_JS, PREPARE, RUN
from benchmarks.snapshot import START_JS

SAMPLING_US = 100
TOP = 12


def readable_build(out_dir: Path) -> str:
    """The IIFE bundle as dist/ has it, minus minification, so profiles show our names."""
    recorder = ROOT / "recorder_js"
    out = out_dir / "sessiontape.readable.js"
    subprocess.run(
        [
            str(recorder / "node_modules" / ".bin" / "esbuild"),
            "src/global.ts",
            "--bundle",
            "--format=iife",
            "--target=es2019",
            f"--outfile={out}",
            "--log-level=warning",
        ],
        cwd=recorder,
        check=True,
    )
    return out.read_text() + "\n//# sourceURL=sessiontape.readable.js\n"


def summarize(profile: dict[str, Any]) -> dict[str, Any]:
    """Self and total time per function (name, file:line), in ms, from a CDP profile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent: dict[int, int] = {}
    for n in profile["nodes"]:
        for child in n.get("children", []):
            parent[child] = n["id"]

    def key(node_id: int) -> str:
        frame = nodes[node_id]["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        url = frame["url"].rsplit("/", 1)[-1]
        return f"{name} {url}:{frame['lineNumber'] + 1}" if url else name

    self_ms: dict[str, float] = defaultdict(float)
    total_ms: dict[str, float] = defaultdict(float)
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        ms = delta / 1000
        self_ms[key(sample)] += ms
        seen = set()
        node: int | None = sample
        while node is not None:
            k = key(node)
            if k not in seen:
                seen.add(k)
                total_ms[k] += ms
            node = parent.get(node)
    busy = {k: v for k, v in self_ms.items() if k not in ("(idle)", "(program)", "(root)")}

    def top(table: dict[str, float]) -> list[list[Any]]:
        ranked = sorted(table.items(), key=lambda kv: -kv[1])[:TOP]
        return [[k, round(v, 1)] for k, v in ranked]

    skip = ("(root)", "(idle)", "(program)")
    return {
        "busy_ms": round(sum(busy.values()), 1),
        "self": top(busy),
        "total": top({k: v for k, v in total_ms.items() if k not in skip}),
    }


def profile_page(
    browser: Browser, url: str, source: str, scenario: tuple[str, str, Any]
) -> dict[str, Any]:
    """`scenario`: setup script (not profiled, '' for none), profiled script, their argument."""
    setup, js, arg = scenario
    with fresh_page(browser, url, "sessiontape", source=source) as page:
        if setup:
            page.add_script_tag(content=BURST_JS)
            page.evaluate(setup, arg)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": SAMPLING_US})
        cdp.send("Profiler.start")
        figures = page.evaluate(js, None if setup else arg)
        profile = cdp.send("Profiler.stop")["profile"]
    return {"figures": figures, **summarize(profile)}


def run(results: dict[str, Any], sizes: dict[str, int]) -> dict[str, Any]:
    """Profiles the scenarios behind every failed target of ours."""
    failed = {t["figure"] for t in results["targets"] if t["result"] == "FAIL"}
    wanted: list[tuple[str, str, tuple[str, str, Any]]] = []
    for label in sizes:
        if any(f.startswith(f"full snapshot, {label} ") for f in failed):
            wanted.append(
                (f"snapshot {label}", f"/page/{label}.html", ("", START_JS, "sessiontape"))
            )
    if any(f.startswith("mutation burst") for f in failed):
        wanted.append(
            (
                "mutation burst 20k",
                "/page/20k.html",
                (PREPARE, RUN, {"kind": "sessiontape", **BURST}),
            )
        )
    out: dict[str, Any] = {}
    if not wanted:
        return out
    site = build_site({label: sizes[label] for label in sizes})
    with tempfile.TemporaryDirectory() as tmp, serve(site) as base, sync_playwright() as playwright:
        source = readable_build(Path(tmp))
        browser = launch(playwright)
        try:
            for name, path, scenario in wanted:
                out[name] = profile_page(browser, base + path, source, scenario)
        finally:
            browser.close()
    return out


def summary(profiles: dict[str, Any]) -> str:
    lines = []
    for name, p in profiles.items():
        lines.append(f"\nProfile: {name} (busy {p['busy_ms']} ms, sampled every {SAMPLING_US} us)")
        lines.append("  self time:")
        lines.extend(f"    {ms:8.1f} ms  {fn}" for fn, ms in p["self"])
        lines.append("  total time:")
        lines.extend(f"    {ms:8.1f} ms  {fn}" for fn, ms in p["total"])
    return "\n".join(lines)
