"""Refuse request bodies larger than their page can use, before they are received.

Starlette spools uploaded files to disk without a limit, and the CSRF check reads a form before
any route sees it, so a size check in a route comes after the whole body has arrived. This ASGI
middleware sits outside the application: a body whose declared Content-Length is over the limit
is answered 413 without reading a byte of it, and a body sent without a length (chunked) is
counted as it arrives and cut off at the limit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jcpp.imports.extract import size_text

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """The most a page accepts, and what to tell someone who sent more."""

    size: int
    hint: str


# Minutes are at most 1 MB of text, which URL-encoding can triple (see jcpp.web.csrf).
FORMS = Limit(16 * MIB, "Minutes are at most 1 MB of text: shorten the text and save again.")
# The import page takes up to 50 files of up to 20 MB each (jcpp.imports.extract.MAX_FILE_BYTES).
IMPORTS = Limit(100 * MIB, "Upload fewer minutes files at a time.")


def limit_for(path: str) -> Limit:
    if path.startswith("/committees/") and "/import" in path:
        return IMPORTS
    return FORMS


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        headers: Mapping[str, str],
        limit_for: Callable[[str], Limit] = limit_for,
    ) -> None:
        self.app = app
        self.headers = headers
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit.size:
            await self._refuse(send, limit, size_text(int(declared)))
            return

        received = 0
        over = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, over
            if over:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.size:
                    over = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if over:
                # Whatever the application made of the cut-off body (a 400 from a form parser,
                # an error page), the answer is ours.
                if not response_started:
                    response_started = True
                    await self._refuse(send, limit, f"over {size_text(limit.size)}")
                return
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except* BodyTooLarge:  # bare, or in a task group's ExceptionGroup (BaseHTTPMiddleware)
            pass
        if over and not response_started:
            await self._refuse(send, limit, f"over {size_text(limit.size)}")

    async def _refuse(self, send: Send, limit: Limit, amount: str) -> None:
        message = f"This was too large to send ({amount}): this page accepts at most "
        message += f"{size_text(limit.size)}. {limit.hint}"
        body = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Too large</title>"
            '<link rel="stylesheet" href="/static/css/app.css"></head>'
            '<body><main class="page"><section class="card card--narrow error-page">'
            f"<h1>Too large</h1><p>{escape(message)}</p>"
            "<p>Nothing was saved. Go back to the page and try again.</p>"
            "</section></main></body></html>"
        ).encode()
        headers = [(name.lower().encode(), value.encode()) for name, value in self.headers.items()]
        headers += [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
