"""Committee pages: the list of committees, one committee with its meeting list, scheduling."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from jcpp.auth.permissions import Viewer, can_edit_committee
from jcpp.committees import service
from jcpp.committees.forms import MeetingListQuery, ScheduleForm
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import InvalidInput
from jcpp.meetings import service as meetings
from jcpp.meetings.forms import MeetingForm
from jcpp.models import MEETING_STATUSES, Committee
from jcpp.models.base import utcnow
from jcpp.web import htmx
from jcpp.web.templating import render, render_fragments, render_page_or_block

router = APIRouter()
TEMPLATE = "committees/committee.html"


async def read_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


@router.get("/committees")
def committee_list(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    groups = service.list_committees_for(session, viewer=viewer)
    return render(request, "committees/list.html", {"nav": "committees", "groups": groups})


def _committee_context(
    request: Request,
    session: Session,
    committee: Committee,
    viewer: Viewer,
    *,
    query: MeetingListQuery,
    **extra: Any,
) -> dict[str, Any]:
    assert committee.id is not None
    now = utcnow()
    page = query.page_number()
    rows, total = service.list_meetings(
        session, committee.id, filters=query.filters(), page=page, now=now
    )
    params = query.params()
    base = f"/committees/{committee.id}"

    def url_for_page(n: int) -> str:
        return base + "?" + urlencode({**params, "page": n})

    context: dict[str, Any] = {
        "nav": "committees",
        "committee": committee,
        "city": service.get_city(session, committee),
        "rule_text": service.rule_in_words(committee.meeting_rule),
        "roster": service.roster_on(session, committee.id, service.local_date(now)),
        "missing_count": service.missing_minutes_count(session, committee.id, now=now),
        "can_edit": can_edit_committee(viewer, committee),
        "rows": rows,
        "total": total,
        "page": page,
        "per_page": service.MEETINGS_PER_PAGE,
        "url_for_page": url_for_page,
        "filters": query.filters(),
        "filtered": bool(params),
        "years": service.meeting_years(session, committee.id),
        "statuses": MEETING_STATUSES,
        "schedule_form": ScheduleForm(),
        "schedule_errors": {},
        "meeting_form": MeetingForm.for_committee(committee),
        "meeting_errors": {},
        "notice": _schedule_notice(request),
        "oob": False,
    }
    context.update(extra)
    return context


@router.get("/committees/{committee_id}")
def committee_page(
    request: Request, session: SessionDep, viewer: CurrentViewer, committee_id: int
) -> Response:
    committee = service.get_committee(session, committee_id, viewer=viewer)
    query = MeetingListQuery.from_params(request.query_params)
    context = _committee_context(request, session, committee, viewer, query=query)
    return render_page_or_block(request, TEMPLATE, context, block="meeting_list")


@router.post("/committees/{committee_id}/schedule")
def schedule_meetings(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    committee_id: int,
    data: FormDep,
) -> Response:
    committee = service.get_committee(session, committee_id, viewer=viewer, edit=True)
    form = ScheduleForm.from_data(data)
    query = MeetingListQuery.from_params(data)
    query.page = "1"
    try:
        created, existing = service.schedule_next_meetings(
            session, committee_id, months=form.parse(), viewer=viewer
        )
    except InvalidInput as invalid:
        context = _committee_context(
            request, session, committee, viewer, query=query,
            schedule_form=form, schedule_errors=invalid.errors,
        )  # fmt: skip
        return _form_error(request, context, block="schedule_form", target="#schedule-form")
    if not htmx.wants_fragment(request):
        return RedirectResponse(
            f"/committees/{committee_id}?created={created}&existing={existing}", status_code=303
        )
    context = _committee_context(request, session, committee, viewer, query=query)
    return render_fragments(
        request,
        TEMPLATE,
        context,
        [("meeting_list", {}), ("schedule_form", {"oob": True})],
        toast=("success", schedule_message(created, existing)),
    )


@router.post("/committees/{committee_id}/meetings")
def create_meeting(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    committee_id: int,
    data: FormDep,
) -> Response:
    committee = service.get_committee(session, committee_id, viewer=viewer, edit=True)
    form = MeetingForm.from_data(data)
    try:
        details = form.parse(service.county_zone())
        meeting = meetings.create_meeting(session, committee_id, viewer=viewer, details=details)
    except InvalidInput as invalid:
        query = MeetingListQuery()
        context = _committee_context(
            request, session, committee, viewer, query=query,
            meeting_form=form, meeting_errors=invalid.errors,
        )  # fmt: skip
        return _form_error(request, context, block="new_meeting_form", target="#new-meeting-form")
    url = f"/meetings/{meeting.id}"
    if htmx.is_htmx(request):
        response = Response(status_code=204)
        htmx.redirect(response, url)
        return response
    return RedirectResponse(url, status_code=303)


def _form_error(request: Request, context: dict[str, Any], *, block: str, target: str) -> Response:
    """422 with the form again: alone (swapped over the form) for htmx, else the whole page."""
    if htmx.wants_fragment(request):
        response = render(request, TEMPLATE, context, block=block, status_code=422)
        htmx.retarget(response, target)
        htmx.reswap(response, "outerHTML")
        return response
    return render(request, TEMPLATE, context, status_code=422)


def schedule_message(created: int, existing: int) -> str:
    made = (
        "No new meetings were needed"
        if created == 0
        else f"Scheduled {created} new meeting{'' if created == 1 else 's'}"
    )
    if existing:
        had = f"{existing} date{'' if existing == 1 else 's'} already had a meeting"
        return f"{made}; {had}."
    return f"{made}."


def _schedule_notice(request: Request) -> str | None:
    created = request.query_params.get("created", "")
    existing = request.query_params.get("existing", "")
    if created.isdigit() and existing.isdigit():
        return schedule_message(int(created), int(existing))
    return None
