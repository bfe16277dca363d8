"""``sessiontape serve``: bind the port first, then say where everything is, then serve."""

from __future__ import annotations

import argparse
import errno
import socket
import sys
from pathlib import Path

from sessiontape import _cli_connection, _cli_database

WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}


class PortUnavailableError(Exception):
    pass


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or PortUnavailableError saying plainly why there is none."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise PortUnavailableError(f"cannot listen on {host!r}: {exc.strerror}") from exc
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            message = (
                f"port {port} on {host} is already in use (another collector, or another"
                " program, listens there); choose another with --port, e.g. --port"
                f" {port + 1}"
            )
        else:
            message = f"cannot listen on {host} port {port}: {exc.strerror or exc}"
        raise PortUnavailableError(message) from exc
    sock.set_inheritable(True)
    return sock


def url_for(sock: socket.socket, host: str) -> str:
    """The address clients use: a wildcard host is reached on the loopback address."""
    port = sock.getsockname()[1]
    shown = WILDCARD_HOSTS.get(host, host)
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def run(args: argparse.Namespace) -> int:
    from sessiontape.collector import Settings, create_app
    from sessiontape.collector.app import ensure_demo_site, open_storage
    from sessiontape.collector.server import serve

    directory: Path = _cli_connection.data_dir(args.data_dir)
    try:
        sock = bind(args.host, args.port)
    except PortUnavailableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    database_url = _cli_database.database_url(args, directory)
    blob_url = _cli_database.blob_url(args, directory)
    workers = getattr(args, "workers", 1)
    if workers > 1 and not database_url.startswith(("postgresql://", "postgres://")):
        print(
            "error: --workers needs a shared database (--database-url postgresql://...);"
            " SQLite is written by one process",
            file=sys.stderr,
        )
        sock.close()
        return 1
    settings = Settings(data_dir=directory, database_url=database_url, blob_url=blob_url)
    storage = open_storage(settings)  # migrates the schema before any request
    ensure_demo_site(storage, settings)
    storage.close()
    _cli_database.record(directory, database_url, blob_url)
    base = url_for(sock, args.host)
    _cli_connection.record_address(directory, base)
    _banner(base, settings.data_dir, settings.demo_keys_path, args.data_dir is not None)
    port = sock.getsockname()[1]
    if workers > 1:
        from sessiontape._cli_workers import run_workers

        return run_workers(
            workers, lambda: serve(create_app(settings), args.host, port, sockets=[sock])
        )
    serve(create_app(settings), args.host, port, sockets=[sock])
    return 0


def _banner(base: str, directory: Path, keys_path: Path, custom_dir: bool) -> None:
    keys = _cli_connection.demo_keys(directory)
    lines = [
        f"sessiontape collector on {base}  (data in {directory.resolve()})",
        f"Viewer: {base}/  (demo site, one click from this machine: {base}/signin/demo)",
        f"Demo shop: {base}/demo/",
        f"API: {base}/v1/sessions  (docs: {base}/docs)",
    ]
    if keys:
        lines.append(f"Write key: {keys['write_key']}")
        lines.append(f"Read key: {keys['read_key']}  (kept in {keys_path})")
    hint = "sessiontape sessions list" + (f" --data-dir {directory}" if custom_dir else "")
    lines.append(f"List sessions with: {hint}")
    print("\n".join(lines), flush=True)
