"""One error shape for every endpoint: ``{"error": {"code", "message"}}`` with a precise status."""

from __future__ import annotations

import json
import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sessiontape.collector.storage import StorageFullError

INGEST_PATH = "/v1/ingest"
STORAGE_FULL_RETRY_S = 60

log = logging.getLogger("sessiontape.collector")


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message}}, status_code=status, headers=headers
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        response = error_response(exc.status, exc.code, exc.message, exc.headers)
        origin = request.headers.get("origin")
        if request.url.path == INGEST_PATH and origin and exc.code != "origin_not_allowed":
            # Let the recorder read the status, so it stops retrying what can never succeed.
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = "Retry-After"
            response.headers["Vary"] = "Origin"
        return response

    @app.exception_handler(StorageFullError)
    async def _storage_full(request: Request, exc: StorageFullError) -> JSONResponse:
        log.error("storage full: %s", exc)
        return await _api_error(
            request,
            ApiError(
                507,
                "storage_full",
                "the collector's storage is full; nothing was stored, retry later",
                headers={"Retry-After": str(STORAGE_FULL_RETRY_S)},
            ),
        )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return error_response(400, "invalid_request", f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if exc.status_code == 404 else "http_error"
        return error_response(exc.status_code, code, str(exc.detail))


class InternalErrors:
    """Any exception a route lets escape becomes a 500 in the error shape, with an id that the
    log line (holding the traceback) repeats, so an operator finds it and a client learns nothing
    of the internals."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception:
            error_id = uuid.uuid4().hex[:16]
            log.exception("internal error %s on %s %s", error_id, scope["method"], scope["path"])
            if started:
                raise  # the answer is under way: closing the connection is all that is left
            body = json.dumps(
                {
                    "error": {
                        "code": "internal_error",
                        "message": f"the collector failed on this request (error id {error_id})",
                    }
                }
            ).encode()
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ]
            await send({"type": "http.response.start", "status": 500, "headers": headers})
            await send({"type": "http.response.body", "body": body})
