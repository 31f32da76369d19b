"""Domain errors raised by services, and the one handler that turns them into pages."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from jcpp.api import NO_SUCH_ADDRESS
from jcpp.api import PREFIX as API_PREFIX

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


def is_public_path(path: str) -> bool:
    return path == "/public" or path.startswith("/public/")


def _render_error(request: Request, status: int, title: str, message: str) -> Response:
    from jcpp.web import htmx
    from jcpp.web.templating import render, render_public

    if is_public_path(request.url.path):
        # A resident's page: the public layout, nothing from the visitor's session.
        context = {"status": status, "title": title, "message": message}
        return render_public(request, "public/error.html", context, status_code=status)
    if htmx.is_htmx(request) and not htmx.is_boosted(request):
        # Keep the page as it is; show the message in the toast region.
        response = render(
            request, "errors/_toast.html", {"kind": "error", "message": message}, status_code=status
        )
        htmx.reswap(response, "none")
        return response
    # The request's session is closed by now: the header shows no unread count (it would
    # read the database through that session).
    if hasattr(request.state, "unread_notifications"):
        del request.state.unread_notifications
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": message},
        status_code=status,
    )


SIGNED_OUT_MESSAGE = (
    "You were signed out. Sign in again in another tab, then press Save: your text is still here."
)


def sign_in_url(request: Request) -> str:
    """/login with `next` set to this request's path and query, so sign-in comes back here."""
    query = request.url.query
    here = quote(request.url.path) + ("?" + query if query else "")
    return "/login?" + urlencode({"next": here})


def _not_authenticated(request: Request) -> Response:
    from jcpp.web import htmx

    if not htmx.is_htmx(request):
        return RedirectResponse(sign_in_url(request), status_code=303)
    if request.method == "GET":
        response = Response(status_code=204)
        htmx.redirect(response, sign_in_url(request))
        return response
    # A save (minutes, a form) from a page whose session ended: leaving the page would lose
    # what the user typed, so the page stays and says how to go on.
    return _render_error(request, 401, NotAuthenticated.title, SIGNED_OUT_MESSAGE)


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, NotAuthenticated):
        return _not_authenticated(request)
    return _render_error(request, exc.status_code, exc.title, exc.message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    path = request.url.path
    if exc.status_code == 404 and (path == API_PREFIX or path.startswith(API_PREFIX + "/")):
        # An API address its mount did not take (Starlette's pattern for a mount stops at a
        # newline in the path): the API's JSON answer, not the app's page.
        return JSONResponse({"detail": NO_SUCH_ADDRESS}, status_code=404)
    titles = {404: "Not found", 405: "Not allowed", 403: "Not permitted"}
    title = titles.get(exc.status_code, "Something went wrong")
    detail = exc.detail if isinstance(exc.detail, str) else title
    message = "There is no such page." if exc.status_code == 404 else detail
    return _render_error(request, exc.status_code, title, message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    """Input FastAPI could not read (a path id that is not a number, a field over its length):
    the error page, or the toast for htmx, never FastAPI's JSON."""
    assert isinstance(exc, RequestValidationError)
    if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
        return _render_error(request, 404, NotFound.title, "There is no such page.")
    message = (
        "Part of what was sent could not be read (a value too long or of the wrong kind). "
        "Go back, check the form and try again."
    )
    return _render_error(request, 422, InvalidInput.title, message)


def install_error_handlers(app: FastAPI) -> None:
    handler: ExceptionHandler = _domain_error
    app.add_exception_handler(DomainError, handler)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
