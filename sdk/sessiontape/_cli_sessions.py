"""``sessiontape sessions ...``: the SDK from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from itertools import chain, islice
from pathlib import Path
from typing import Any, TypeVar

from sessiontape import _cli_connection
from sessiontape._cli_dates import ACCEPTED, parse_moment
from sessiontape._cli_show import session_lines, when
from sessiontape._terminal import printable
from sessiontape.client import Client
from sessiontape.errors import APIConnectionError

T = TypeVar("T")


def add_commands(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    connection: argparse.ArgumentParser,
) -> None:
    listing = actions.add_parser("list", parents=[connection], help="sessions, newest first")
    _add_filters(listing)
    listing.add_argument("--limit", type=int, default=20, help="at most this many (default: 20)")
    listing.set_defaults(run=_list)

    show = actions.add_parser(
        "show",
        parents=[connection],
        help="what happened in a session",
        description="Pages, clicks, the values typed into ordinary fields (private fields are"
        " never recorded), how checkboxes, radios and selects ended, rage clicks.",
    )
    show.add_argument("session_id", help="a session id, as 'sessions list' prints it")
    show.set_defaults(run=_show)

    export = actions.add_parser(
        "export", parents=[connection], help="write sessions as rrweb JSON files"
    )
    export.add_argument("session_ids", nargs="*", help="default: every session matching filters")
    _add_filters(export)
    export.add_argument("--out", type=Path, default=Path("sessions"), help="output directory")
    export.set_defaults(run=_export)

    importing = actions.add_parser(
        "import",
        parents=[connection],
        help="upload recordings from files",
        description="Uploads recording files (sessiontape exports, rrweb JSON arrays or"
        " @rrweb/packer events, gzipped or not). A session stored already with the same events"
        " is left as it is; one stored with other events is an error.",
    )
    importing.add_argument("files", nargs="+", type=Path, help="recording files")
    importing.set_defaults(run=_import)

    delete = actions.add_parser("delete", parents=[connection], help="erase sessions")
    delete.add_argument("session_ids", nargs="+", help="the sessions to erase")
    delete.set_defaults(run=_delete)


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url-contains", metavar="TEXT", help="visited a URL containing TEXT")
    parser.add_argument("--min-duration-ms", type=int, metavar="MS", help="lasted at least MS")
    parser.add_argument(
        "--has-clicks", action="store_true", default=None, help="has at least one click"
    )
    parser.add_argument(
        "--since", type=parse_moment, metavar="WHEN", help=f"started at or after WHEN: {ACCEPTED}"
    )
    parser.add_argument(
        "--until", type=parse_moment, metavar="WHEN", help="started before WHEN (same forms)"
    )


def _with_client(
    command: Callable[[argparse.Namespace, Client], int],
) -> Callable[[argparse.Namespace], int]:
    """Runs a command with a client of the collector, or says what to change to reach one."""

    def run(args: argparse.Namespace) -> int:
        directory = _cli_connection.data_dir(args.data_dir)
        api_key = _cli_connection.api_key(args.api_key, directory)
        if not api_key:
            print(
                "error: no read key: pass --api-key or set SESSIONTAPE_API_KEY (a site's read"
                " key), or point --data-dir or SESSIONTAPE_DATA_DIR at the data directory of"
                f" 'sessiontape serve' ({directory / _cli_connection.KEYS_FILE} does not exist)",
                file=sys.stderr,
            )
            return 2
        target = _cli_connection.target(args.url, directory)
        try:
            with Client(target.url, api_key) as client:
                return command(args, client)
        except APIConnectionError as exc:
            print(f"error: {target.unreachable(exc.__cause__ or exc)}", file=sys.stderr)
            return 1

    return run


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "url_contains": args.url_contains,
        "min_duration_ms": args.min_duration_ms,
        "has_clicks": args.has_clicks,
        "started_after": args.since,
        "started_before": args.until,
    }


@_with_client
def _list(args: argparse.Namespace, client: Client) -> int:
    summaries = islice(client.sessions.list(**_filters(args)), args.limit)
    first = next(summaries, None)  # asked before the header: a failure prints nothing else
    print(f"{'session':32}  {'started (UTC)':19}  {'duration':>9}  {'events':>6}  first page")
    for summary in chain([first] if first else [], summaries):
        print(
            f"{summary.id}  {when(summary.started_at)}  {summary.duration_ms / 1000:>8.1f}s"
            f"  {summary.event_count:>6}  {printable(summary.first_url or '-')}"
        )
    return 0


@_with_client
def _show(args: argparse.Namespace, client: Client) -> int:
    for line in session_lines(client.sessions.fetch(args.session_id, strict=False)):
        print(line)
    return 0


@_with_client
def _export(args: argparse.Namespace, client: Client) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    ids = args.session_ids or [s.id for s in client.sessions.list(**_filters(args))]
    for session_id in _progress(ids, "exporting"):
        target = args.out / f"{session_id}.json"
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("wb") as handle:
                client.sessions.export(session_id, handle)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(target)  # a file there is a whole session, never half of one
    print(f"exported {len(ids)} session(s) to {args.out}")
    return 0


@_with_client
def _import(args: argparse.Namespace, client: Client) -> int:
    stored = 0
    for path in _progress(args.files, "importing"):
        stored += client.sessions.upload_file(path).stored
    print(f"imported {stored} new session(s), {len(args.files) - stored} already stored")
    return 0


@_with_client
def _delete(args: argparse.Namespace, client: Client) -> int:
    for session_id in args.session_ids:
        client.sessions.delete(session_id)
        print(f"deleted {session_id}")
    return 0


def _progress(items: list[T], label: str) -> Iterable[T]:
    """Counts ``label 3/40`` on a terminal's standard error; silent when it is not one."""
    shown = sys.stderr.isatty() and len(items) > 1
    for done, item in enumerate(items):
        if shown:
            print(f"\r{label} {done + 1}/{len(items)}", end="", file=sys.stderr, flush=True)
        yield item
    if shown:
        print("\r\x1b[K", end="", file=sys.stderr, flush=True)
