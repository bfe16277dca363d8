"""A reverse proxy in front of the collector that keeps every request the browser sends.

Pages are loaded through the tap, so the collector injects the tap's address as the recorder's
endpoint: every byte the recorder sends (fetches, and beacons from tabs being closed, which
Playwright's request events miss) passes through here and is kept, gzip bodies decompressed.
"""

from __future__ import annotations

import gzip
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import httpx

from tests.conftest import Collector

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    body: bytes  # decompressed


def decompressed(body: bytes) -> bytes:
    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body


class Tap:
    def __init__(self, collector: Collector) -> None:
        self.collector = collector
        self._seen: list[Seen] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Tap:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return self.base_url + path

    def seen(self) -> list[Seen]:
        with self._lock:
            return list(self._seen)

    def ingest(self) -> list[Seen]:
        """The batches sent to the collector so far (fetches and beacons)."""
        return [s for s in self.seen() if s.path.startswith("/v1/ingest")]

    def api_calls(self) -> list[Seen]:
        """Every request to the collector's API (anything under /v1/), of any method."""
        return [s for s in self.seen() if s.path.startswith("/v1/")]

    def ingested_text(self) -> str:
        return "\n".join(s.body.decode("utf-8", "replace") for s in self.ingest())

    def _keep(self, seen: Seen) -> None:
        with self._lock:
            self._seen.append(seen)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        tap = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                tap._keep(Seen(self.command, self.path, decompressed(body)))
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in HOP_BY_HOP and k.lower() != "accept-encoding"
                }
                # The collector builds the recorder's endpoint from Host: keep it pointing here.
                headers["Host"] = tap.base_url.removeprefix("http://")
                answer = httpx.request(
                    self.command,
                    tap.collector.url(self.path),
                    headers=headers,
                    content=body,
                    timeout=30,
                )
                self.send_response(answer.status_code)
                for k, v in answer.headers.items():
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-encoding":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_OPTIONS = _forward

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


def star_runs(text: str, length: int) -> int:
    """How many runs of exactly `length` '*' characters `text` holds."""
    return len(re.findall(rf"(?<!\*)\*{{{length}}}(?!\*)", text))
