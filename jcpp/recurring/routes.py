"""Recurring concerns.

GET /recurring            the recurring concerns touching the viewer, PER_PAGE a page
                          (?page=N; htmx: the list alone; ?format=csv: the whole list as
                          filtered, as a CSV file)
GET /recurring/{id}       one recurring concern: where it was raised, its follow-ups, its flags
POST /recurring/{id}/concerns/{concern_id}/confirm   the concern is this one raised (again)
POST /recurring/{id}/concerns/{concern_id}/split     the concern is a separate one

The POSTs send `seen` (the state the person saw). htmx gets the page's body back (with a
message), a plain form a redirect to the page. A decision against one made since the page was
loaded is refused with 409 and the body as it is now.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from jcpp import clock
from jcpp.auth.permissions import Viewer
from jcpp.boards.export import csv_filename
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import Conflict
from jcpp.recurring import service
from jcpp.recurring.export import recurring_csv
from jcpp.recurring.flags import FLAG_LABELS
from jcpp.recurring.forms import RecurringQuery
from jcpp.recurring.view import list_recurring, recurring_page
from jcpp.web import htmx
from jcpp.web.forms import parse_int
from jcpp.web.templating import render, render_page_or_block

router = APIRouter(prefix="/recurring")

LIST = "recurring/list.html"
PAGE = "recurring/recurring.html"
PER_PAGE = 25
FLASH_KEY = "recurring_flash"
Seen = Annotated[str, Form(max_length=20)]


def _with_params(path: str, params: dict[str, str], **more: str) -> str:
    query = urlencode({**params, **more})
    return f"{path}?{query}" if query else path


@router.get("")
def recurring_list(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    query = RecurringQuery.from_params(request.query_params)
    views, choices = list_recurring(session, viewer=viewer, filters=query.filters())
    params = query.params(choices)
    if request.query_params.get("format") == "csv":
        base = str(request.base_url).rstrip("/")
        name = csv_filename("recurring-concerns", *params.values(), today=clock.today())
        return Response(
            recurring_csv(views, base_url=base),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    pages = max((len(views) + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(max(parse_int(request.query_params.get("page")) or 1, 1), pages)
    first = (page - 1) * PER_PAGE
    context: dict[str, Any] = {
        "nav": "recurring",
        "views": views[first : first + PER_PAGE],
        "total": len(views),
        "first": first + 1,
        "page": page,
        "per_page": PER_PAGE,
        "url_for_page": lambda n: _with_params("/recurring", params, page=str(n)),
        "choices": choices,
        "query": query,
        "filtered": bool(params),
        "flags": FLAG_LABELS,
        "csv_url": _with_params("/recurring", params, format="csv"),
    }
    return render_page_or_block(request, LIST, context, block="recurring_list")


def _page_context(
    request: Request, session: Session, viewer: Viewer, recurring_id: int, **extra: Any
) -> dict[str, Any]:
    flash = request.session.pop(FLASH_KEY, None)
    context: dict[str, Any] = {
        "nav": "recurring",
        "view": recurring_page(session, recurring_id, viewer=viewer),
        "flags": FLAG_LABELS,
        "states": service.STATE_LABELS,
        "notice": flash if isinstance(flash, str) else None,
        "message": None,
        "conflict": None,
    }
    context.update(extra)
    return context


@router.get("/{recurring_id:int}")
def recurring_detail(
    request: Request, session: SessionDep, viewer: CurrentViewer, recurring_id: int
) -> Response:
    context = _page_context(request, session, viewer, recurring_id)
    return render_page_or_block(request, PAGE, context, block="recurring_body")


def _decided(
    request: Request,
    session: Session,
    viewer: Viewer,
    recurring_id: int,
    *,
    message: str | None = None,
    conflict: Conflict | None = None,
) -> Response:
    """After a decision: the page's body (htmx), a redirect (plain form), or the page as it
    is now with the refusal (409)."""
    if conflict is None and not htmx.wants_fragment(request):
        request.session[FLASH_KEY] = message
        return RedirectResponse(f"/recurring/{recurring_id}", status_code=303)
    extra = {"message": message, "conflict": conflict.message if conflict else None}
    context = _page_context(request, session, viewer, recurring_id, **extra)
    block = "recurring_body" if htmx.wants_fragment(request) else None
    status = conflict.status_code if conflict else 200
    return render(request, PAGE, context, block=block, status_code=status)


@router.post("/{recurring_id:int}/concerns/{concern_id:int}/confirm")
def confirm(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    recurring_id: int,
    concern_id: int,
    seen: Seen = "",
) -> Response:
    try:
        service.confirm_member(session, recurring_id, concern_id, by=viewer, seen=seen)
    except Conflict as conflict:
        return _decided(request, session, viewer, recurring_id, conflict=conflict)
    message = "Confirmed: the concern is this one raised again."
    return _decided(request, session, viewer, recurring_id, message=message)


@router.post("/{recurring_id:int}/concerns/{concern_id:int}/split")
def split(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    recurring_id: int,
    concern_id: int,
    seen: Seen = "",
) -> Response:
    try:
        service.split_member(session, recurring_id, concern_id, by=viewer, seen=seen)
    except Conflict as conflict:
        return _decided(request, session, viewer, recurring_id, conflict=conflict)
    message = "Split off: the concern stays a concern of its meeting, on its own."
    return _decided(request, session, viewer, recurring_id, message=message)
