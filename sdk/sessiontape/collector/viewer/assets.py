"""The viewer's own files: the list pages' stylesheet, and the session page's bundle (built
with the recorder into ``dist/viewer/``; it is never part of what recorded sites load)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from sessiontape._assets import recorder_dir
from sessiontape.collector.errors import ApiError

STATIC = Path(__file__).resolve().parent / "static"
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".map": "application/json"}

router = APIRouter(include_in_schema=False)


@router.get("/viewer/{name}")
async def viewer_file(name: str) -> FileResponse:
    path = _viewer_file(name)
    return FileResponse(
        path, media_type=MEDIA_TYPES[path.suffix], headers={"Cache-Control": "no-cache"}
    )


def _viewer_file(name: str) -> Path:
    if name == "pages.css":
        return STATIC / name
    if name in ("viewer.js", "viewer.css", "heatmap.js"):
        path: Path = recorder_dir() / "viewer" / name
        if path.is_file():
            return path
        raise ApiError(404, "viewer_not_built", f"{name} is missing: build recorder_js first")
    raise ApiError(404, "not_found", "no such viewer file")
