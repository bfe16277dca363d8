"""The recorder bundle, and the demo shop with the recorder wired to the demo site's key."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from sessiontape._assets import demo_site_dir, recorder_dir
from sessiontape.collector.dependencies import SettingsDep, StorageDep
from sessiontape.collector.errors import ApiError

DEMO_SITE_NAME = "demo"

router = APIRouter()


RECORDER_FILES = {
    "/recorder.js": "sessiontape.js",
    "/recorder.mjs": "sessiontape.mjs",
    "/recorder-canvas.js": "canvas.js",  # the opt-in canvas extension
    "/recorder-canvas.mjs": "canvas.mjs",
}
"""What sites load: the address the collector serves it at, and its file in recorder_js/dist."""


def _serves(name: str) -> Callable[[], Awaitable[FileResponse]]:
    async def recorder_asset() -> FileResponse:
        return _recorder_file(name)

    return recorder_asset


for _path, _name in RECORDER_FILES.items():
    router.add_api_route(_path, _serves(_name), methods=["GET"], include_in_schema=False)


@router.get("/demo", include_in_schema=False)
@router.get("/demo/{path:path}", include_in_schema=False)
async def demo_page(
    request: Request, storage: StorageDep, settings: SettingsDep, path: str = ""
) -> Response:
    if request.url.path == "/demo":
        return Response(status_code=308, headers={"Location": "/demo/"})
    target = _demo_file(path)
    if target.suffix != ".html":
        return FileResponse(target)
    site = storage.site_by_name(DEMO_SITE_NAME)
    page = target.read_text(encoding="utf-8")
    if site is not None:
        page = inject_recorder(page, (settings.public_url or "").rstrip("/"), site.write_key)
    return Response(content=page, media_type="text/html; charset=utf-8")


def _demo_file(path: str) -> Path:
    root = demo_site_dir().resolve()
    if "\0" in path:
        raise ApiError(404, "not_found", "no demo page with a NUL byte in its name")
    target = (root / (path or "index.html")).resolve()
    if target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(root) or not target.is_file():
        raise ApiError(404, "not_found", f"no demo page {path[:200]!r}")
    return target


def inject_recorder(page: str, base_url: str, write_key: str) -> str:
    """The recorder tag, from the configured public URL, else relative: never from the request's
    ``Host``, which whoever sends the request chooses. A relative ``data-endpoint`` of ``/``
    makes the recorder post to ``/v1/ingest`` on the page's own origin."""
    tag = (
        f'<script src="{html.escape(base_url)}/recorder.js" '
        f'data-endpoint="{html.escape(base_url or "/")}" data-key="{html.escape(write_key)}">'
        "</script>"
    )
    head_end = page.lower().find("</head>")
    if head_end == -1:
        return tag + page
    return page[:head_end] + tag + page[head_end:]


def _recorder_file(name: str) -> FileResponse:
    path: Path = recorder_dir() / name
    if not path.is_file():
        raise ApiError(404, "recorder_not_built", f"{name} is missing: build recorder_js first")
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "no-cache"})
