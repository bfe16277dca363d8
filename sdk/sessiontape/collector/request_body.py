"""Request bodies read within a size limit, refused as soon as they pass it."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Request

from sessiontape.collector.errors import ApiError


async def body_chunks(request: Request, limit: int, expected: str) -> AsyncIterator[bytes]:
    """The body's chunks as they arrive: 413 past ``limit`` bytes (declared or sent), 400 when
    empty. ``expected`` names what the body should be, for that message."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "body_too_large", f"request body exceeds {limit} bytes")
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "body_too_large", f"request body exceeds {limit} bytes")
        yield chunk
    if size == 0:
        raise ApiError(400, "empty_body", f"the body must be {expected}, optionally gzipped")


async def read_body(request: Request, limit: int) -> bytes:
    """A whole ingest batch, in memory (it is small: ``limit`` is the batch size limit)."""
    return b"".join([chunk async for chunk in body_chunks(request, limit, "a JSON batch")])
