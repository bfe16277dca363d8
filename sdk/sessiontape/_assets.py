"""Where the built recorder and the demo site are: inside the wheel, or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"none of {', '.join(str(c) for c in candidates)} exists: build the recorder with "
        "'npm ci && npm run build' in recorder_js/, or install sessiontape from a wheel"
    )


def recorder_dir() -> Path:
    return _first_existing(_PACKAGE / "_assets" / "recorder", _CHECKOUT / "recorder_js" / "dist")


def demo_site_dir() -> Path:
    return _first_existing(_PACKAGE / "_assets" / "testsite", _CHECKOUT / "testsite")
