"""``sessiontape serve | sites create|update | sessions list|show|export|import|delete``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sessiontape import _cli_sessions, _cli_sites
from sessiontape.codec import DecodeError
from sessiontape.errors import SessiontapeError

DEFAULT_DATA_DIR = Path(".sessiontape")
DEFAULT_URL = "http://127.0.0.1:8000"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        result: int = args.run(args)
    except (SessiontapeError, DecodeError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sessiontape", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="command")

    serve = commands.add_parser("serve", help="run the collector with the demo site")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    serve.set_defaults(run=_serve)

    sites = commands.add_parser("sites", help="sites and their keys (local data directory)")
    site_commands = sites.add_subparsers(required=True, metavar="action")
    _cli_sites.add_commands(site_commands)

    connection = argparse.ArgumentParser(add_help=False)
    connection.add_argument("--url", default=os.environ.get("SESSIONTAPE_URL", DEFAULT_URL))
    connection.add_argument(
        "--api-key",
        default=os.environ.get("SESSIONTAPE_API_KEY"),
        help="a site's read key (default: $SESSIONTAPE_API_KEY, else the demo site's)",
    )
    connection.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="where 'serve' keeps the demo site's keys (used without --api-key)",
    )
    sessions = commands.add_parser("sessions", help="stored sessions")
    _cli_sessions.add_commands(sessions.add_subparsers(required=True, metavar="action"), connection)
    return parser


def _serve(args: argparse.Namespace) -> int:
    from sessiontape.collector import Settings, create_app
    from sessiontape.collector.app import ensure_demo_site
    from sessiontape.collector.server import serve
    from sessiontape.collector.storage import SQLiteStorage

    settings = Settings(data_dir=args.data_dir)
    storage = SQLiteStorage(settings.database_path)
    ensure_demo_site(storage, settings)
    storage.close()
    base = f"http://{args.host}:{args.port}"
    keys = _cli_sessions.demo_keys(args.data_dir)
    print(f"sessiontape collector on {base}  (data in {settings.data_dir.resolve()})")
    print(f"  demo shop   {base}/demo/")
    print(f"  API         {base}/v1/sessions   (docs: {base}/docs)")
    if keys:
        print(f"  write key   {keys['write_key']}")
        print(f"  read key    {keys['read_key']}   (kept in {settings.demo_keys_path})")
    print("  list sessions with: sessiontape sessions list", flush=True)
    serve(create_app(settings), args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
