"""The API as a FastAPI application of its own, mounted by the web app at /api/v1: its OpenAPI
description (/api/v1/openapi.json) holds the API's routes only, and its errors are JSON.

The web app's middleware wraps it (security headers, `Cache-Control: no-store`); the web app's
CSRF check does not, as the API takes no cookie and changes nothing. The web app has no rate
limit but its sign-in lockout, and the API adds none: a token is as strong as a password.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from jcpp import __version__
from jcpp.api import NO_SUCH_ADDRESS, PREFIX
from jcpp.api.auth import Unauthorized
from jcpp.errors import DomainError

DESCRIPTION = """Read-only access to the meetings, minutes, concerns, follow-ups and trend
counts you may see in the app, with the same permissions. Make a personal access token on
/account/tokens and send it as `Authorization: Bearer <token>`.

Lists answer `{"items": [...], "next_cursor": ...}`, oldest first: send `next_cursor` back as
`cursor` until it is null. Errors answer `{"detail": "..."}`: 401 without a valid token, 404
for what does not exist or is not yours to see, 422 for a parameter that cannot be read."""


def create_api_app() -> FastAPI:
    from jcpp.api.routes import router

    api = FastAPI(
        title="JCPP read-only API",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    api.include_router(router)
    api.add_exception_handler(Unauthorized, _unauthorized)
    api.add_exception_handler(DomainError, _domain_error)
    api.add_exception_handler(StarletteHTTPException, _http_error)
    api.add_exception_handler(RequestValidationError, _validation_error)
    return api


def mount_api(app: FastAPI) -> None:
    """Mount the API on the web app. It shares the app's dependency overrides, so that whatever
    replaces the app's database session (tests) replaces the API's too."""
    api = create_api_app()
    api.dependency_overrides = app.dependency_overrides
    app.mount(PREFIX, api)


async def _unauthorized(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Unauthorized)
    return JSONResponse(
        {"detail": exc.detail}, status_code=401, headers={"WWW-Authenticate": exc.challenge}
    )


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return JSONResponse({"detail": exc.message}, status_code=exc.status_code)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = {404: NO_SUCH_ADDRESS, 405: "The API only reads (GET)."}
    return JSONResponse(
        {"detail": detail.get(exc.status_code, str(exc.detail))},
        status_code=exc.status_code,
        headers=exc.headers,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "parameter": ".".join(str(part) for part in error.get("loc", ())),
            "message": str(error.get("msg", "")),
        }
        for error in exc.errors()
    ]
    detail = "Some parameters could not be read: " + ", ".join(e["parameter"] for e in errors)
    return JSONResponse({"detail": detail, "errors": errors}, status_code=422)
