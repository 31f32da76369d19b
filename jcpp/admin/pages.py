"""Small helpers the admin pages share: the page context, a one-time notice, redirects."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

FLASH_KEY = "admin_flash"


def flash(request: Request, message: str) -> None:
    """A notice shown once, on the page the browser is redirected to."""
    request.session[FLASH_KEY] = message


def take_flash(request: Request) -> str | None:
    message = request.session.pop(FLASH_KEY, None)
    return message if isinstance(message, str) else None


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def page_context(request: Request, **context: Any) -> dict[str, Any]:
    """Every admin page's context: the admin tab, and the notice left by a redirect."""
    return {"nav": "admin", "notice": take_flash(request), **context}
