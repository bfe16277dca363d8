"""The viewer's pages: sign-in and sign-out, the sessions list, the session page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from sessiontape.collector.dependencies import StorageDep
from sessiontape.collector.routes.assets import DEMO_SITE_NAME
from sessiontape.collector.routes.sessions import SESSION_ID_PATTERN
from sessiontape.collector.storage import Site, Storage
from sessiontape.collector.storage.base import InvalidCursorError
from sessiontape.collector.viewer import auth
from sessiontape.collector.viewer.forms import local_path, read_form
from sessiontape.collector.viewer.list_view import (
    FilterError,
    ListForm,
    format_duration,
    format_time,
    row,
)

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
MAX_START_MS = 2**42

router = APIRouter(include_in_schema=False)


def page_response(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    response = TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


def to_signin(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/signin?next=" + quote(target, safe=""), status_code=303)


@router.get("/")
async def home(request: Request, storage: StorageDep) -> RedirectResponse:
    site = await run_in_threadpool(auth.signed_in_site, request, storage)
    return RedirectResponse("/sessions" if site else "/signin", status_code=303)


@router.get("/signin")
async def signin_form(
    request: Request, next: Annotated[str | None, Query(max_length=2000)] = None
) -> HTMLResponse:
    return _signin_page(request, local_path(next), None)


def _signin_page(request: Request, next_path: str, error: str | None) -> HTMLResponse:
    context = {"site": None, "next": next_path, "error": error, "demo": _demo_offered(request)}
    return page_response(request, "signin.html", context, 401 if error else 200)


def _demo_offered(request: Request) -> bool:
    return bool(request.app.state.settings.demo_site) and auth.is_local_request(request)


@router.post("/signin", response_model=None)
async def signin(request: Request, storage: StorageDep) -> Response:
    if not auth.same_origin_form(request):
        return _forbidden(request)
    form = await read_form(request)
    next_path = local_path(form.get("next"))
    key = form.get("key", "").strip()
    if key.startswith("st_pk_"):
        return _signin_page(
            request, next_path, "That is a write key: the viewer needs a read key (st_sk_…)."
        )
    site = await run_in_threadpool(storage.site_for_read_key, key) if key else None
    if site is None:
        return _signin_page(request, next_path, "That read key belongs to no site.")
    return await _signed_in(request, storage, site, next_path)


async def _signed_in(request: Request, storage: Storage, site: Site, next_path: str) -> Response:
    response = RedirectResponse(next_path, status_code=303)
    await run_in_threadpool(auth.sign_in, response, request, storage, site)
    return response


@router.post("/signout")
async def signout(request: Request, storage: StorageDep) -> RedirectResponse:
    response = RedirectResponse("/signin", status_code=303)
    if auth.same_origin_form(request):
        await run_in_threadpool(auth.sign_out, response, request, storage)
    return response


@router.get("/signin/demo")
async def demo_signin_page(request: Request, storage: StorageDep) -> HTMLResponse:
    reason = await run_in_threadpool(_demo_unavailable, request, storage)
    context = {"site": None, "available": reason is None, "reason": reason}
    return page_response(request, "signin_demo.html", context, 200 if reason is None else 403)


@router.post("/signin/demo", response_model=None)
async def demo_signin(request: Request, storage: StorageDep) -> Response:
    if not auth.same_origin_form(request) or _demo_unavailable(request, storage):
        return _forbidden(request)
    site = await run_in_threadpool(storage.site_by_name, DEMO_SITE_NAME)
    assert site is not None  # _demo_unavailable checked it
    return await _signed_in(request, storage, site, "/sessions")


def _demo_unavailable(request: Request, storage: Storage) -> str | None:
    if not request.app.state.settings.demo_site:
        return "This collector runs without the demo site."
    if not auth.is_local_request(request):
        return "The one-click demo sign-in works only from this machine (open it as localhost)."
    if storage.site_by_name(DEMO_SITE_NAME) is None:
        return "The demo site does not exist yet."
    return None


def _forbidden(request: Request) -> HTMLResponse:
    context = {"site": None, "message": "This form was sent from another site."}
    return page_response(request, "not_found.html", context, 403)


@router.get("/sessions", response_model=None)
async def sessions_list(
    request: Request,
    storage: StorageDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    site = await run_in_threadpool(auth.signed_in_site, request, storage)
    if site is None:
        return to_signin(request)
    form = ListForm.from_params(request.query_params)
    context: dict[str, Any] = {"site": site, "form": form, "rows": [], "error": None}
    context["first_page_url"] = form.url_with(None) if cursor else None
    context["next_page_url"] = None
    try:
        summaries, next_cursor = await run_in_threadpool(
            storage.list_sessions, site, form.query(cursor)
        )
    except FilterError as exc:
        context["error"] = str(exc)
        return page_response(request, "sessions.html", context, 400)
    except InvalidCursorError:
        context["error"] = "That page link is not valid any more: start from the newest."
        return page_response(request, "sessions.html", context, 400)
    context["rows"] = [row(s) for s in summaries]
    context["next_page_url"] = form.url_with(next_cursor) if next_cursor else None
    return page_response(request, "sessions.html", context)


@router.get("/sessions/{session_id}", response_model=None)
async def session_page(
    request: Request,
    storage: StorageDep,
    session_id: str,
    t: Annotated[str | None, Query(max_length=20)] = None,
    at: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """``?t=`` opens at that many ms from the session's start; ``?at=`` at that moment (ms since
    the epoch, as the insights' examples give it)."""
    site = await run_in_threadpool(auth.signed_in_site, request, storage)
    if site is None:
        return to_signin(request)
    valid = re.fullmatch(SESSION_ID_PATTERN, session_id) is not None
    summary = await run_in_threadpool(storage.get_session, site, session_id) if valid else None
    if summary is None:
        context = {"site": site, "message": f"No session {session_id[:64]} on this site."}
        return page_response(request, "not_found.html", context, 404)
    start_ms: int | str = int(t) if t and t.isdigit() and int(t) < MAX_START_MS else ""
    if at and at.isdigit() and int(at) < MAX_START_MS:
        start_ms = max(0, int(at) - summary.started_at)
    context = {
        "site": site,
        "summary": summary,
        "start_ms": start_ms,
        "started": format_time(summary.started_at) + " UTC",
        "duration": format_duration(summary.duration_ms),
    }
    return page_response(request, "session.html", context)
