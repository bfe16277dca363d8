"""A real HTTP proxy on 127.0.0.1 that answers the first requests with an error status."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


@contextmanager
def flaky_proxy(
    upstream: str, failures: int, status: int = 503, retry_after: str = "0"
) -> Iterator[ProxyStats]:
    stats = ProxyStats()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            with stats.lock:
                stats.requests += 1
                fail = stats.requests <= failures
            if fail:
                self.send_response(status)
                self.send_header("Retry-After", retry_after)
                self.send_header("Content-Type", "application/json")
                payload = b'{"error":{"code":"unavailable","message":"try again"}}'
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            answer = httpx.request(
                self.command, upstream + self.path, headers=headers, content=body
            )
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in ("content-length", "transfer-encoding", "content-encoding"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_DELETE = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stats.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stats
    finally:
        server.shutdown()
        server.server_close()


class ProxyStats:
    def __init__(self) -> None:
        self.url = ""
        self.requests = 0
        self.lock = threading.Lock()
