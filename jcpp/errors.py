"""Domain errors raised by services, and the one handler that turns them into pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

if TYPE_CHECKING:
    from starlette.types import ExceptionHandler


class DomainError(Exception):
    status_code = 400
    title = "Something went wrong"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.title)
        self.message = message or self.title


class NotAuthenticated(DomainError):
    status_code = 401
    title = "Please sign in"


class NotFound(DomainError):
    """Also raised for things out of the user's scope, so as not to reveal that they exist."""

    status_code = 404
    title = "Not found"


class NotPermitted(DomainError):
    status_code = 403
    title = "Not permitted"


class Conflict(DomainError):
    status_code = 409
    title = "Changed by someone else"


class InvalidInput(DomainError):
    status_code = 422
    title = "Please check the form"

    def __init__(self, errors: dict[str, str], message: str = "") -> None:
        super().__init__(message or "; ".join(errors.values()))
        self.errors = errors


def _render_error(request: Request, status: int, title: str, message: str) -> Response:
    from jcpp.web import htmx
    from jcpp.web.templating import render

    if htmx.is_htmx(request) and not htmx.is_boosted(request):
        # Keep the page as it is; show the message in the toast region.
        response = render(
            request, "errors/_toast.html", {"kind": "error", "message": message}, status_code=status
        )
        htmx.reswap(response, "none")
        return response
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": message},
        status_code=status,
    )


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, NotAuthenticated):
        from jcpp.web import htmx

        target = "/login?next=" + request.url.path
        if htmx.is_htmx(request):
            response = Response(status_code=204)
            htmx.redirect(response, target)
            return response
        return RedirectResponse(target, status_code=303)
    return _render_error(request, exc.status_code, exc.title, exc.message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    titles = {404: "Not found", 405: "Not allowed", 403: "Not permitted"}
    title = titles.get(exc.status_code, "Something went wrong")
    detail = exc.detail if isinstance(exc.detail, str) else title
    message = "There is no such page." if exc.status_code == 404 else detail
    return _render_error(request, exc.status_code, title, message)


def install_error_handlers(app: FastAPI) -> None:
    handler: ExceptionHandler = _domain_error
    app.add_exception_handler(DomainError, handler)
    app.add_exception_handler(StarletteHTTPException, _http_error)
