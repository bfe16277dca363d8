"""The ``sessiontape`` command: run a collector, manage its sites, read its sessions."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sessiontape import _cli_database, _cli_heatmap, _cli_serve, _cli_sessions, _cli_sites
from sessiontape.errors import SessiontapeError

DESCRIPTION = "Privacy-first session recording: run a collector, manage sites, read sessions."
EPILOG = """\
examples:
  sessiontape serve                          collector, demo shop and viewer on port 8000
  sessiontape serve --port 8100              another port; 'sessions' commands follow it
  sessiontape sessions list --since 2h       sessions of the last two hours
  sessiontape sessions show SESSION_ID       pages, clicks, typed values, rage clicks
  sessiontape sites create shop --origin https://shop.example

The data directory (--data-dir, $SESSIONTAPE_DATA_DIR, default ./.sessiontape) holds the
database, the demo site's keys and where its collector listens; the 'sessions' commands read
the collector's address and the demo read key from it unless --url/$SESSIONTAPE_URL and
--api-key/$SESSIONTAPE_API_KEY say otherwise.
"""
SIGPIPE_EXIT = 141
SERVER_MODULES = {"fastapi", "starlette", "uvicorn", "h11", "pydantic_settings"}
"""What the ``server`` extra installs: the SDK and ``sessiontape sessions`` work without it."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for option in ("data_dir", "url", "api_key", "database_url", "blob_url"):
        if not hasattr(args, option):
            setattr(args, option, None)
    try:
        result: int = args.run(args)
    except SessiontapeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as exc:
        if exc.name not in SERVER_MODULES:
            raise
        print(
            f"error: this command runs the collector, which needs the 'server' extra ({exc.name}"
            " is not installed): pip install 'sessiontape[server]'",
            file=sys.stderr,
        )
        return 1
    except BrokenPipeError:
        _silence_stdout()  # the reader (head, less) has had enough: no traceback, no more output
        return SIGPIPE_EXIT
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return result


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _common_options(*, connection: bool) -> argparse.ArgumentParser:
    """Options accepted before or after a command (``sessiontape --data-dir d sessions list``).

    Their defaults are left unset here, so one given before the command is not overwritten by
    the command's own parser; ``_cli_connection`` fills in what was not given."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="the collector's data directory (default: $SESSIONTAPE_DATA_DIR, else .sessiontape)",
    )
    if not connection:
        options.add_argument(
            "--database-url",
            default=argparse.SUPPRESS,
            help="sqlite:///path or postgresql://user@host/db (default: $SESSIONTAPE_DATABASE_URL,"
            " else the data directory's collector's, else SQLite in the data directory)",
        )
        options.add_argument(
            "--blob-url",
            default=argparse.SUPPRESS,
            help="s3://bucket/prefix: the batches' bytes in an S3-compatible store (default:"
            " $SESSIONTAPE_BLOB_URL, else the data directory's collector's, else the database)",
        )
    if connection:
        options.add_argument(
            "--url",
            default=argparse.SUPPRESS,
            help="the collector (default: $SESSIONTAPE_URL, else where the data directory's"
            " collector listens, else http://127.0.0.1:8000)",
        )
        options.add_argument(
            "--api-key",
            default=argparse.SUPPRESS,
            help="a site's read key (default: $SESSIONTAPE_API_KEY, else the demo site's)",
        )
    return options


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sessiontape",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_common_options(connection=True)],
    )
    commands = parser.add_subparsers(required=True, metavar="command", title="commands")

    serve = commands.add_parser(
        "serve",
        parents=[_common_options(connection=False)],
        help="run the collector with the demo shop and viewer",
        description="Runs the collector (ingest, sessions API, viewer, demo shop) on SQLite in"
        " the data directory (or the database --database-url names), creating the demo site"
        " and its keys on first start.",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1; 0.0.0.0 for every interface)",
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free)"
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="collector processes on the port (default: 1; more needs --database-url"
        " postgresql://...)",
    )
    serve.set_defaults(run=_cli_serve.run)

    sites = commands.add_parser(
        "sites",
        parents=[_common_options(connection=False)],
        help="create sites and change their origins and quotas",
        description="Sites and their keys, in the data directory's database.",
    )
    _cli_sites.add_commands(
        sites.add_subparsers(required=True, metavar="action", title="actions"),
        _common_options(connection=False),
    )

    purge = commands.add_parser(
        "purge",
        parents=[_common_options(connection=False)],
        help="erase the sessions past their site's retention now",
        description="Erases, with their events, every session that ended longer ago than its"
        " site's --retention-days (the collector also does it hourly).",
    )
    purge.set_defaults(run=_cli_sites.purge)

    migrate = commands.add_parser(
        "migrate",
        parents=[_common_options(connection=False)],
        help="bring the database's schema up to date",
        description="Applies the schema migrations the database lacks (serve does it too).",
    )
    migrate.set_defaults(run=_cli_database.migrate)

    everywhere = _common_options(connection=True)
    sessions = commands.add_parser(
        "sessions",
        parents=[everywhere],
        help="list, show, export, import and delete sessions",
        description="The sessions of one site, read with its read key over the API.",
    )
    _cli_sessions.add_commands(
        sessions.add_subparsers(required=True, metavar="action", title="actions"), everywhere
    )
    _cli_heatmap.add_command(commands, everywhere)
    return parser


if __name__ == "__main__":
    sys.exit(main())
