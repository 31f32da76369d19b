"""CSRF: one random token per browser session, required on every state-changing request.

htmx sends it as the X-CSRF-Token header (one htmx:configRequest listener in app.js); plain forms
send it as the csrf_token field.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from jcpp.errors import NotPermitted
from jcpp.models.minutes import MAX_MINUTES_BYTES

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Starlette refuses any form field over 1 MiB with a bare 400 before a route runs. Minutes may be
# 1 MB of UTF-8, which URL-encoding can make three times larger; and text a little over the limit
# must reach the minutes service to be refused with a clear message while the form keeps it.
MAX_FORM_FIELD_BYTES = 4 * MAX_MINUTES_BYTES


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def verify_csrf(request: Request) -> None:
    """App-wide dependency: refuse unsafe requests without the session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get("X-CSRF-Token")
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            # Room for oversized minutes, so that the minutes form can refuse them with a message.
            form = await request.form(max_part_size=MAX_FORM_FIELD_BYTES)
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise NotPermitted(
            "This form has expired (the security token did not match). "
            "Reload the page and try again; copy any text you typed first."
        )
