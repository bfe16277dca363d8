"""``/docs``: the API's Swagger UI, from files the collector serves itself (no CDN), under the
viewer's Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from sessiontape._assets import recorder_dir
from sessiontape.collector.errors import ApiError
from sessiontape.collector.viewer.assets import MEDIA_TYPES, STATIC
from sessiontape.collector.viewer.pages import TEMPLATES

router = APIRouter(prefix="/docs", include_in_schema=False)


@router.get("")
async def docs_page(request: Request) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "apidocs.html", {})


@router.get("/{name}")
async def docs_file(name: str) -> FileResponse:
    path = _docs_file(name)
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix])


def _docs_file(name: str) -> Path:
    if name == "apidocs.js":
        return STATIC / name
    if name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        path: Path = recorder_dir() / "apidocs" / name
        if path.is_file():
            return path
        raise ApiError(404, "docs_not_built", f"{name} is missing: build recorder_js first")
    raise ApiError(404, "not_found", "no such docs file")
