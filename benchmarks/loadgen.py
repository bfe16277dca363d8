"""A bounded HTTP/1.1 load generator for loopback: pre-built requests on keep-alive connections.

It runs in its own process and spends almost nothing per request (no HTTP library), so the
server, not the generator, sets the pace. Bounded in both request count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import sys
import time
from urllib.parse import urlsplit


async def _connection(
    host: str,
    port: int,
    requests: list[bytes],
    budget: list[int],
    deadline: float,
    statuses: dict[int, int],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    index = 0
    try:
        while budget[0] > 0 and time.monotonic() < deadline:
            budget[0] -= 1
            writer.write(requests[index % len(requests)])
            index += 1
            status_line = await reader.readline()
            status = int(status_line.split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


def build_requests(url: str, bodies: list[bytes]) -> list[bytes]:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return [
        (
            f"POST {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Type: text/plain;charset=UTF-8\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        + body
        for body in bodies
    ]


async def run(url: str, bodies: list[bytes], total: int, seconds: float, connections: int) -> dict:
    parts = urlsplit(url)
    requests = build_requests(url, bodies)
    budget = [total]
    statuses: dict[int, int] = {}
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _connection(
                parts.hostname or "127.0.0.1",
                parts.port or 80,
                requests,
                budget,
                deadline,
                statuses,
            )
            for _ in range(connections)
        )
    )
    elapsed = time.monotonic() - started
    done = sum(statuses.values())
    return {"requests": done, "seconds": elapsed, "rate": done / elapsed, "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--bodies", required=True, help="JSON file: request bodies, base64")
    parser.add_argument("--total", type=int, default=5_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    with open(args.bodies, encoding="utf-8") as handle:
        bodies = [base64.b64decode(body) for body in json.load(handle)]
    result = asyncio.run(run(args.url, bodies, args.total, args.seconds, args.connections))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
