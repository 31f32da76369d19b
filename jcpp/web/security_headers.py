"""The security headers every response carries, added by a plain ASGI middleware.

Starlette's `@app.middleware("http")` runs the app in a task of its own and passes the body
through a stream; this adds the headers to the response's start message and passes the rest on
as it comes, at a fraction of the cost per request.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"


class SecurityHeaders:
    """Each header of `headers` unless the response set its own; Strict-Transport-Security
    when `hsts` (the site is served over HTTPS); and `Cache-Control: no-store` on everything
    but static files unless the response says otherwise (pages hold what a user may see)."""

    def __init__(self, app: ASGIApp, *, headers: Mapping[str, str], hsts: bool) -> None:
        self.app = app
        self.headers = dict(headers)
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope["path"]).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
                if self.hsts:
                    headers["Strict-Transport-Security"] = HSTS
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)
