"""Viewer sign-in: a read key is exchanged once for an HttpOnly, SameSite=Strict cookie holding a
random sign-in token; the key itself is never stored in the browser, a URL or a log line."""

from __future__ import annotations

import ipaddress
import time
from urllib.parse import urlsplit

from fastapi import Request, Response

from sessiontape.collector.settings import Settings
from sessiontape.collector.storage import Site, Storage

COOKIE = "st_viewer"
LOCAL_HOSTNAMES = ("localhost", "127.0.0.1", "[::1]", "::1")


def now_ms() -> int:
    return int(time.time() * 1000)


def signed_in_site(request: Request, storage: Storage) -> Site | None:
    token = request.cookies.get(COOKIE)
    if not token or len(token) > 200:
        return None
    return storage.site_for_viewer_login(token, now_ms())


def sign_in(response: Response, request: Request, storage: Storage, site: Site) -> None:
    settings: Settings = request.app.state.settings
    ttl_ms = settings.viewer_login_hours * 3_600_000
    token = storage.open_viewer_login(site, now_ms(), ttl_ms)
    response.set_cookie(
        COOKIE,
        token,
        max_age=ttl_ms // 1000,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https" or (settings.public_url or "").startswith("https:"),
    )


def sign_out(response: Response, request: Request, storage: Storage) -> None:
    token = request.cookies.get(COOKIE)
    if token and len(token) <= 200:
        storage.close_viewer_login(token)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


def same_origin_form(request: Request) -> bool:
    """A form post from the viewer's own pages: browsers send ``Origin`` on every POST, and a
    cross-site one names another origin (``null`` from sandboxed or privacy-sensitive contexts)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser form post, so not a cross-site request forgery either
    # Host and port only: behind a proxy that ends TLS the browser says https and we see http.
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc == request.headers.get("host")


def is_local_request(request: Request) -> bool:
    """From this machine, to this machine by a loopback name: the demo's one-click sign-in.
    The ``Host`` check keeps a public hostname resolving to 127.0.0.1 (DNS rebinding) out."""
    client = request.client.host if request.client else ""
    try:
        loopback = ipaddress.ip_address(client).is_loopback
    except ValueError:
        return False
    hostname = urlsplit(f"//{request.headers.get('host', '')}").hostname or ""
    return loopback and hostname in LOCAL_HOSTNAMES
