"""Security headers on every answer, chosen by what the path serves.

- API, JSON, errors, the recorder bundle: nothing in them may run or be framed.
- The demo shop: a test bed that other suites extend with inline scripts, ``new Function``,
  ``data:`` frames and deliberately hostile markup, all of which a script-restricting policy
  would change; it gets the framing, ``base`` and sniffing protections only.
- ``/docs`` and ``/redoc`` load their viewer from a CDN, so they get no CSP (yet).

A route that sets its own ``Content-Security-Policy`` keeps it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DEMO_CSP = "frame-ancestors 'self'; base-uri 'self'"
DOCS_PATHS = ("/docs", "/redoc")


def headers_for(path: str) -> dict[str, str]:
    common = {"X-Content-Type-Options": "nosniff"}
    if path == "/demo" or path.startswith("/demo/"):
        return {
            **common,
            "Content-Security-Policy": DEMO_CSP,
            "X-Frame-Options": "SAMEORIGIN",
            "Referrer-Policy": "same-origin",
        }
    if path.startswith(DOCS_PATHS):
        return {**common, "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}
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
