"""Security headers on every answer, chosen by what the path serves.

- API, JSON, errors, the recorder bundle: nothing in them may run or be framed.
- The demo shop: a test bed that other suites extend with inline scripts, ``new Function``,
  ``data:`` frames and deliberately hostile markup, all of which a script-restricting policy
  would change; it gets the framing, ``base`` and sniffing protections only.
- The viewer (``/``, sign-in, ``/sessions``, ``/viewer/``) and the API docs (``/docs``): scripts
  from this origin only, no inline script, not framable. Styles may be inline and images, fonts
  and styles may come from any http(s) origin, because a replay shows the recorded page as it
  was: its images come from the recorded site, and the replay iframe (sandboxed without
  ``allow-scripts``, its document inheriting this policy) holds the page's own inline styles.

A route that sets its own ``Content-Security-Policy`` keeps it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DEMO_CSP = "frame-ancestors 'self'; base-uri 'self'"
VIEWER_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline' http: https:",
        "img-src 'self' data: blob: http: https:",
        "font-src 'self' data: http: https:",
        "media-src 'self' data: blob: http: https:",
        "connect-src 'self'",
        "frame-src 'self' blob:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
VIEWER_PREFIXES = (
    "/sessions",
    "/heatmaps",
    "/signin",
    "/signout",
    "/viewer/",
    "/docs",
    "/openapi.json",
)


def headers_for(path: str) -> dict[str, str]:
    common = {"X-Content-Type-Options": "nosniff"}
    if path == "/demo" or path.startswith("/demo/"):
        return {
            **common,
            "Content-Security-Policy": DEMO_CSP,
            "X-Frame-Options": "SAMEORIGIN",
            "Referrer-Policy": "same-origin",
        }
    if path == "/" or path.startswith(VIEWER_PREFIXES):
        return {
            **common,
            "Content-Security-Policy": VIEWER_CSP,
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin",
            "Cross-Origin-Opener-Policy": "same-origin",
        }
    return {
        **common,
        "Content-Security-Policy": API_CSP,
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
