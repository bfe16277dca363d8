"""The targets of DESIGN section 6 as rows: figure, ours, what we compare with, ratio, PASS/FAIL."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

KB = 1024


@dataclass(frozen=True)
class Row:
    figure: str
    ours: str
    other: str
    ratio: str
    target: str
    passed: bool | None  # None: a reference figure, no target of its own


def _ms(v: float) -> str:
    return f"{v:,.1f} ms"


def _bytes(v: float) -> str:
    return f"{v:,.0f} B"


def rows(results: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    b = results["bundle"]
    ours_gz = b["sessiontape"]["gzip_bytes"]
    out.append(
        Row(
            "bundle, gzip -9",
            _bytes(ours_gz),
            f"rrweb {_bytes(b['rrweb']['gzip_bytes'])}",
            f"{b['ratio']:.2f}x",
            "<= 8 KB",
            ours_gz <= 8 * KB,
        )
    )
    out.append(
        Row(
            "bundle, raw",
            _bytes(b["sessiontape"]["raw_bytes"]),
            f"rrweb {_bytes(b['rrweb']['raw_bytes'])}",
            "",
            "",
            None,
        )
    )

    for label, s in results["snapshot"].items():
        ours = s["sessiontape"]
        name = f"full snapshot, {label} ({s['elements']:,} el.)"
        out.append(
            Row(
                name,
                _ms(ours["snapshot_ms"]),
                f"rrweb {_ms(s['rrweb']['snapshot_ms'])}",
                f"{ours['vs_rrweb']:.2f}x",
                "<= 0.5x rrweb",
                ours["vs_rrweb"] <= 0.5,
            )
        )
        out.append(
            Row(
                name,
                _ms(ours["snapshot_ms"]),
                f"floor {_ms(s['floor']['snapshot_ms'])}",
                f"{ours['vs_floor']:.2f}x",
                "<= 2x floor",
                ours["vs_floor"] <= 2.0,
            )
        )
        early = s["with_page"]
        out.append(
            Row(
                f"{name}, scripts in the page's head",
                _ms(early["sessiontape"]),
                f"rrweb {_ms(early['rrweb'])}",
                f"{early['vs_rrweb']:.2f}x",
                "",
                None,
            )
        )

    lt = results["longest_task"]
    out.append(
        Row(
            f"longest task, recording starts, {lt['page']}",
            _ms(lt["sessiontape_ms"]),
            f"rrweb {_ms(lt['rrweb_ms'])}",
            "",
            "<= 50 ms",
            lt["sessiontape_ms"] <= 50,
        )
    )

    m = results["mutations"]
    out.append(
        Row(
            "mutation burst overhead, 20k",
            "+" + _ms(m["sessiontape"]["overhead_ms"]),
            "rrweb +" + _ms(m["rrweb"]["overhead_ms"]),
            f"{m['ratio']:.2f}x",
            "<= 0.5x rrweb",
            m["ratio"] <= 0.5,
        )
    )

    p = results["payload"]
    out.append(
        Row(
            f"scripted session, gzip ({p['sessiontape']['events']:.0f} events)",
            _bytes(p["sessiontape"]["gzip_bytes"]),
            f"rrweb {_bytes(p['rrweb']['gzip_bytes'])} ({p['rrweb']['events']:.0f} ev.)",
            f"{p['ratio']:.2f}x",
            "<= 1.0x rrweb",
            p["ratio"] <= 1.0,
        )
    )
    out.append(
        Row(
            "scripted session, JSON",
            _bytes(p["sessiontape"]["json_bytes"]),
            f"rrweb {_bytes(p['rrweb']['json_bytes'])}",
            "",
            "",
            None,
        )
    )

    i = results["ingest"]
    out.append(
        Row(
            "collector ingest, durable",
            f"{i['ingest_rate']:,.0f} batch/s",
            f"no-op {i['noop_rate']:,.0f}/s",
            f"{i['ratio']:.2f}x",
            ">= 0.5x no-op",
            i["ratio"] >= 0.5,
        )
    )

    d = results.get("decode")
    if d is not None:
        out.append(
            Row(
                "SDK typed decode",
                f"{d['mb_per_s']:,.1f} MB/s",
                f"orjson {d['orjson_mb_per_s']:,.1f} MB/s",
                f"{d['ratio']:.2f}x time",
                "<= 3x orjson",
                d["ratio"] <= 3.0,
            )
        )
    r = results.get("read")
    if r is not None:
        out += _read_rows(r)
    return out


def _read_rows(r: dict[str, Any]) -> list[Row]:
    """One large session read and written back (benchmarks/read.py); the targets hold at 200k."""
    label = f"{r['events'] / 1000:,.0f}k-event session"
    fetch = r["sdk_fetch"]
    mb = 1 << 20
    return [
        Row(
            f"read a {label} (raw GET)",
            f"{r['raw_get_json']['seconds'] * 1000:,.0f} ms",
            f"2 windows {r['raw_get_two_windows']['seconds'] * 1000:,.0f} ms",
            "",
            "<= 3.5 s",
            r["raw_get_json"]["seconds"] <= 3.5 and r["raw_get_two_windows"]["seconds"] <= 3.5,
        ),
        Row(
            f"SDK fetch of a {label}, peak",
            f"{fetch['peak_over_idle'] / mb:,.0f} MB",
            f"decoded {fetch['decoded_size'] / mb:,.0f} MB",
            f"{fetch['rss_peak_vs_decoded']:.2f}x",
            "<= 2x decoded",
            fetch["rss_peak_vs_decoded"] <= 2.0,
        ),
        Row(
            f"CLI export / import of a {label}, peak",
            f"{r['cli_export']['peak_over_idle'] / mb:,.1f} / "
            f"{r['upload']['cli_peak_over_idle'] / mb:,.1f} MB",
            "over idle",
            "",
            "<= 64 MB",
            max(r["cli_export"]["peak_over_idle"], r["upload"]["cli_peak_over_idle"]) <= 64 * mb,
        ),
        Row(
            f"collector RSS added by uploading a {label}",
            f"{r['upload']['collector_growth'] / mb:,.1f} MB",
            "",
            "",
            "<= 64 MB",
            r["upload"]["collector_growth"] <= 64 * mb,
        ),
    ]


def verdict(passed: bool | None) -> str:
    return "" if passed is None else "PASS" if passed else "FAIL"


def table(all_rows: list[Row]) -> str:
    """A Markdown table: readable in a terminal and pasteable into docs."""
    head = ("figure", "sessiontape", "compared with", "ratio", "target", "result")
    lines = [[r.figure, r.ours, r.other, r.ratio, r.target, verdict(r.passed)] for r in all_rows]
    widths = [max(len(str(c)) for c in col) for col in zip(head, *lines, strict=False)]

    def fmt(cells: list[str] | tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    sep = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([fmt(head), sep, *(fmt(line) for line in lines)])


def as_json(all_rows: list[Row]) -> list[dict[str, Any]]:
    return [{**asdict(r), "result": verdict(r.passed)} for r in all_rows]
