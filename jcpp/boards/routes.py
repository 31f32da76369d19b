"""Views of follow-ups.

GET /follow-ups                     where the lists are: the viewer's committees by city, counts,
                                    and what is assigned to the viewer
GET /committees/{slug}/follow-ups   a committee's follow-ups (its members, liaison, county)
GET /cities/{slug}/follow-ups       the city's board, one column per status
POST /cities/{slug}/follow-ups/{id}/status   the board's quick status change
GET /accountability                 department accountability per city (county staff, admins)

Each GET answers the whole page, its list alone for htmx (the filters' swap), or with
?format=csv the list as it is filtered, as a CSV file.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from jcpp import clock
from jcpp.auth.permissions import Viewer
from jcpp.boards import export, service
from jcpp.boards.accountability import department_accountability
from jcpp.boards.forms import (
    FollowUpQuery,
    SortQuery,
    StatusChangeForm,
    wants_csv,
    with_params,
)
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import NotPermitted
from jcpp.followups import lifecycle
from jcpp.web import htmx
from jcpp.web.templating import render, render_fragments, render_page_or_block

router = APIRouter()

COMMITTEE_PAGE = "boards/committee.html"
BOARD_PAGE = "boards/board.html"
ACCOUNTABILITY_PAGE = "boards/accountability.html"
INDEX_PAGE = "boards/index.html"
FLASH_KEY = "boards_flash"


async def read_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def csv_response(content: bytes, filename: str) -> Response:
    return Response(
        content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- where the lists are ----------------------------------------------------------------------


@router.get("/follow-ups")
def follow_ups_index(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    today = clock.today()
    context: dict[str, Any] = {
        "nav": "follow-ups",
        "cities": service.overview(session, viewer=viewer, today=today),
        "assigned": service.assigned_to(session, viewer=viewer, today=today),
        "today": today,
    }
    return render(request, INDEX_PAGE, context)


# --- a committee's follow-ups ------------------------------------------------------------------


@router.get("/committees/{slug}/follow-ups")
def committee_follow_ups(
    request: Request, session: SessionDep, viewer: CurrentViewer, slug: str
) -> Response:
    committee = service.get_committee(session, slug, viewer=viewer)
    today = clock.today()
    query = FollowUpQuery.from_params(request.query_params)
    # Only the status and overdue filters apply here: the list is one committee's.
    query.committee = query.topic = query.owner = ""
    rows = service.list_follow_ups(
        session, viewer=viewer, today=today, committee_id=committee.id, filters=query.filters()
    )
    if wants_csv(request.query_params):
        filename = export.csv_filename("follow-ups", committee.slug, today=today)
        return csv_response(export.follow_ups_csv(rows), filename)
    path = f"/committees/{committee.slug}/follow-ups"
    params = query.params()
    context: dict[str, Any] = {
        "nav": "follow-ups",
        "committee": committee,
        "city": service.get_city_of(session, committee),
        "rows": rows,
        "path": path,
        "filters": query.filters(),
        "filtered": bool(params),
        "csv_url": with_params(path, params, format="csv"),
        "statuses": service.STATUS_LABELS,
    }
    return render_page_or_block(request, COMMITTEE_PAGE, context, block="follow_up_list")


# --- the city's board --------------------------------------------------------------------------


def _board_context(
    session: SessionDep, viewer: Viewer, city_slug: str, query: FollowUpQuery, **extra: Any
) -> dict[str, Any]:
    city = service.get_city(session, city_slug, viewer=viewer)
    choices = service.board_choices(session, viewer=viewer, city=city)
    today = clock.today()
    board = service.board(
        session, viewer=viewer, city=city, today=today, filters=query.filters(choices)
    )
    path = f"/cities/{city.slug}/follow-ups"
    params = query.params(choices)

    def allowed(row: service.FollowUpRow) -> list[str]:
        return lifecycle.allowed_transitions(row.follow_up, by=viewer, committee=row.committee)

    context = {
        "nav": "follow-ups",
        "city": city,
        "board": board,
        "choices": choices,
        "filters": query.filters(choices),
        "params": params,
        "filtered": bool(params),
        "path": path,
        "csv_url": with_params(path, params, format="csv"),
        "today": today,
        "statuses": service.STATUS_LABELS,
        "allowed": allowed,
        "notice": None,
    }
    context.update(extra)
    return context


@router.get("/cities/{slug}/follow-ups")
def city_board(request: Request, session: SessionDep, viewer: CurrentViewer, slug: str) -> Response:
    query = FollowUpQuery.from_params(request.query_params)
    flash = request.session.pop(FLASH_KEY, None)
    notice = ("success", flash) if isinstance(flash, str) else None
    context = _board_context(session, viewer, slug, query, notice=notice)
    if wants_csv(request.query_params):
        filename = export.csv_filename("follow-ups", context["city"].slug, today=context["today"])
        return csv_response(export.follow_ups_csv(context["board"].rows), filename)
    return render_page_or_block(request, BOARD_PAGE, context, block="follow_up_board")


@router.post("/cities/{slug}/follow-ups/{follow_up_id}/status")
def quick_status_change(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    slug: str,
    follow_up_id: int,
    data: FormDep,
) -> Response:
    """Move a follow-up from the board; the board comes back as it is now, filtered as it was.
    A refusal (not allowed, a missing reason) changes nothing and says why (the error
    handler's toast); a change by someone else since the board was loaded answers 409 with
    the board as it is now and the message."""
    city = service.get_city(session, slug, viewer=viewer)
    scope = service.get_follow_up_in(session, follow_up_id, city=city, viewer=viewer)
    if not lifecycle.can_change_status(scope.follow_up, by=viewer, committee=scope.committee):
        raise NotPermitted(
            "Only the city's liaison or an administrator can change this follow-up's status "
            "(and the person it is assigned to can report it done)."
        )
    to, comment, version = StatusChangeForm.from_data(data).parse()
    query = FollowUpQuery.from_params(data)
    try:
        lifecycle.change_status(
            session, follow_up_id, to=to, by=viewer, comment=comment, version=version
        )
    except lifecycle.StaleFollowUp as stale:
        return _board_answer(request, session, viewer, slug, query, stale.message, status=409)
    message = f"“{scope.follow_up.title}” is now {lifecycle.status_label(to).lower()}."
    if not htmx.wants_fragment(request):
        params = query.params(service.board_choices(session, viewer=viewer, city=city))
        request.session[FLASH_KEY] = message
        return RedirectResponse(
            with_params(f"/cities/{city.slug}/follow-ups", params) + f"#follow-up-{follow_up_id}",
            status_code=303,
        )
    return _board_answer(request, session, viewer, slug, query, message, status=200)


def _board_answer(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    slug: str,
    query: FollowUpQuery,
    message: str,
    *,
    status: int,
) -> Response:
    kind = "success" if status < 400 else "error"
    if htmx.wants_fragment(request):
        context = _board_context(session, viewer, slug, query)
        return render_fragments(
            request, BOARD_PAGE, context, ["follow_up_board"], status_code=status,
            toast=(kind, message),
        )  # fmt: skip
    context = _board_context(session, viewer, slug, query, notice=(kind, message))
    return render(request, BOARD_PAGE, context, status_code=status)


# --- department accountability -----------------------------------------------------------------


@router.get("/accountability")
def accountability(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    if not viewer.sees_all_cities:
        raise NotPermitted("Department accountability is for county staff and administrators.")
    today = clock.today()
    order = SortQuery.from_params(request.query_params)
    rows = department_accountability(
        session, today=today, sort=order.sort, descending=order.descending
    )
    if wants_csv(request.query_params):
        filename = export.csv_filename("accountability", today=today)
        return csv_response(export.accountability_csv(rows), filename)
    context: dict[str, Any] = {
        "nav": "accountability",
        "rows": rows,
        "order": order,
        "today": today,
        "csv_url": with_params("/accountability", order.params(), format="csv"),
    }
    return render_page_or_block(request, ACCOUNTABILITY_PAGE, context, block="accountability_table")
