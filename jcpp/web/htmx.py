"""Every HX-* header is read and written here (after django-htmx's request.htmx and http.py)."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def is_boosted(request: Request) -> bool:
    return request.headers.get("HX-Boosted") == "true"


def wants_fragment(request: Request) -> bool:
    """An htmx request for part of a page; boosted requests and history restores get full pages."""
    return (
        is_htmx(request)
        and not is_boosted(request)
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def target(request: Request) -> str | None:
    return request.headers.get("HX-Target")


def redirect(response: Response, url: str) -> None:
    response.headers["HX-Redirect"] = url


def reswap(response: Response, how: str) -> None:
    response.headers["HX-Reswap"] = how


def retarget(response: Response, css_selector: str) -> None:
    response.headers["HX-Retarget"] = css_selector


def trigger(response: Response, event: str, detail: object = None) -> None:
    response.headers["HX-Trigger"] = json.dumps({event: detail})


def vary(response: Response) -> None:
    existing = response.headers.get("Vary")
    response.headers["Vary"] = f"{existing}, HX-Request" if existing else "HX-Request"
