"""The meeting page: details, status, attendance and agenda, each changed in place with htmx.

Every swappable part is a named block of meetings/meeting.html. Changes answer an htmx request
with the changed block (plus the new version for the details form, out of band) and a plain
form post with a redirect back to the page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from jcpp.auth.permissions import Viewer, can_edit_committee
from jcpp.committees.service import county_zone, get_city
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import InvalidInput, NotFound
from jcpp.meetings import service
from jcpp.meetings.forms import AgendaItemForm, AttendanceForm, MeetingForm
from jcpp.models import ATTENDANCE_STATUSES, MEETING_STATUSES, Committee, Meeting
from jcpp.web import htmx
from jcpp.web.templating import render

router = APIRouter()
TEMPLATE = "meetings/meeting.html"
STATUS_DONE = {
    "held": "Marked as held.",
    "cancelled": "Meeting cancelled.",
    "scheduled": "Meeting is scheduled again.",
}


async def read_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def render_fragments(
    request: Request,
    template: str,
    context: dict[str, Any],
    blocks: list[tuple[str, dict[str, Any]]],
    *,
    status_code: int = 200,
    toast: tuple[str, str] | None = None,
) -> Response:
    """Several blocks of one template in one htmx answer (the first is the swap target, the
    others carry hx-swap-oob), optionally with a message for the toast region."""
    parts = [
        bytes(render(request, template, {**context, **extra}, block=block).body)
        for block, extra in blocks
    ]
    if toast is not None:
        kind, message = toast
        toast_html = render(request, "errors/_toast.html", {"kind": kind, "message": message})
        parts.append(bytes(toast_html.body))
    response = HTMLResponse(b"".join(parts), status_code=status_code)
    htmx.vary(response)
    return response


@dataclass(frozen=True)
class DetailsConflict:
    """What is stored now next to what the person submitted."""

    stored: MeetingForm
    submitted: MeetingForm


def _context(
    session: Session, meeting: Meeting, committee: Committee, viewer: Viewer, **extra: Any
) -> dict[str, Any]:
    assert meeting.id is not None
    zone = county_zone()
    context: dict[str, Any] = {
        "nav": "committees",
        "meeting": meeting,
        "committee": committee,
        "city": get_city(session, committee),
        "can_edit": can_edit_committee(viewer, committee),
        "sheet": service.attendance_sheet(session, meeting),
        "agenda": service.agenda_items(session, meeting.id),
        "minutes": service.minutes_summary(session, meeting.id),
        "statuses": MEETING_STATUSES,
        "attendance_statuses": ATTENDANCE_STATUSES,
        "details_form": MeetingForm.from_meeting(meeting, zone),
        "details_errors": {},
        "details_open": False,
        "conflict": None,
        "attendance_form": None,
        "attendance_errors": {},
        "agenda_form": AgendaItemForm(),
        "agenda_errors": {},
        "editing_item_id": None,
        "edit_form": None,
        "edit_errors": {},
        "oob": False,
    }
    context.update(extra)
    return context


def _page_or_block(
    request: Request, context: dict[str, Any], block: str, *, status_code: int = 200
) -> Response:
    fragment = block if htmx.wants_fragment(request) else None
    return render(request, TEMPLATE, context, block=fragment, status_code=status_code)


def _changed(
    request: Request,
    session: Session,
    meeting_id: int,
    viewer: Viewer,
    *,
    block: str,
    anchor: str,
    also: list[str] = (),  # type: ignore[assignment]
    message: str | None = None,
) -> Response:
    """After a change: the changed block and the meeting's new version (htmx), or back to the
    page (plain form post)."""
    if not htmx.wants_fragment(request):
        return RedirectResponse(f"/meetings/{meeting_id}#{anchor}", status_code=303)
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer)
    context = _context(session, meeting, committee, viewer)
    oob = [*also] if block == "meeting_details" else [*also, "meeting_version"]
    blocks: list[tuple[str, dict[str, Any]]] = [(block, {})] + [
        (name, {"oob": True}) for name in oob
    ]
    toast = ("success", message) if message else None
    return render_fragments(request, TEMPLATE, context, blocks, toast=toast)


# --- the page and its details -------------------------------------------------------------


@router.get("/meetings/{meeting_id}")
def meeting_page(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int
) -> Response:
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer)
    return render(request, TEMPLATE, _context(session, meeting, committee, viewer))


@router.post("/meetings/{meeting_id}")
def update_details(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, data: FormDep
) -> Response:
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    form = MeetingForm.from_data(data)
    try:
        details = form.parse(county_zone())
        meeting, changed = service.update_meeting(
            session,
            meeting_id,
            viewer=viewer,
            details=details,
            expected_version=form.expected_version(),
        )
    except service.StaleMeeting as stale:
        stored = MeetingForm.from_meeting(stale.meeting, county_zone())
        submitted = replace(form)
        form.version = stored.version  # saving again now keeps what the person typed
        context = _context(
            session, stale.meeting, committee, viewer,
            details_form=form, details_open=True,
            conflict=DetailsConflict(stored=stored, submitted=submitted),
        )  # fmt: skip
        return _page_or_block(request, context, "meeting_details", status_code=409)
    except InvalidInput as invalid:
        context = _context(
            session, meeting, committee, viewer,
            details_form=form, details_errors=invalid.errors, details_open=True,
        )  # fmt: skip
        return _page_or_block(request, context, "meeting_details", status_code=422)
    message = "Meeting details saved." if changed else "Nothing to save: the details are unchanged."
    return _changed(
        request, session, meeting_id, viewer,
        block="meeting_details", anchor="meeting-details", also=["meeting_head"], message=message,
    )  # fmt: skip


@router.post("/meetings/{meeting_id}/status")
def change_status(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, data: FormDep
) -> Response:
    status = data.get("status")
    meeting = service.set_status(
        session, meeting_id, viewer=viewer, status=status if isinstance(status, str) else ""
    )
    return _changed(
        request, session, meeting_id, viewer,
        block="meeting_head", anchor="main", message=STATUS_DONE[meeting.status],
    )  # fmt: skip


# --- attendance -----------------------------------------------------------------------------


@router.post("/meetings/{meeting_id}/attendance")
def record_attendance(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, data: FormDep
) -> Response:
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    form = AttendanceForm.from_data(data)
    try:
        statuses, guests, organisations = form.parse()
        _, changed = service.record_attendance(
            session,
            meeting_id,
            viewer=viewer,
            statuses=statuses,
            guest_count=guests,
            guest_organisations=organisations,
        )
    except InvalidInput as invalid:
        context = _context(
            session, meeting, committee, viewer,
            attendance_form=form, attendance_errors=invalid.errors,
        )  # fmt: skip
        return _page_or_block(request, context, "attendance", status_code=422)
    message = "Attendance saved." if changed else "Nothing to save: attendance is unchanged."
    return _changed(
        request, session, meeting_id, viewer, block="attendance", anchor="attendance",
        message=message,
    )  # fmt: skip


# --- agenda ---------------------------------------------------------------------------------


@router.get("/meetings/{meeting_id}/agenda")
def agenda_block(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int
) -> Response:
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer)
    return _page_or_block(request, _context(session, meeting, committee, viewer), "agenda")


@router.post("/meetings/{meeting_id}/agenda")
def add_agenda_item(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, data: FormDep
) -> Response:
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    form = AgendaItemForm.from_data(data)
    try:
        service.add_agenda_item(session, meeting_id, viewer=viewer, item=form.parse())
    except InvalidInput as invalid:
        context = _context(
            session, meeting, committee, viewer, agenda_form=form, agenda_errors=invalid.errors
        )
        return _page_or_block(request, context, "agenda", status_code=422)
    return _changed(request, session, meeting_id, viewer, block="agenda", anchor="agenda")


@router.get("/meetings/{meeting_id}/agenda/{item_id}/edit")
def edit_agenda_item_form(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, item_id: int
) -> Response:
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    context = _context(session, meeting, committee, viewer)
    item = next((i for i in context["agenda"] if i.id == item_id), None)
    if item is None:
        raise NotFound("There is no such agenda item.")
    context.update(editing_item_id=item_id, edit_form=AgendaItemForm.from_item(item))
    return _page_or_block(request, context, "agenda")


@router.post("/meetings/{meeting_id}/agenda/{item_id}")
def edit_agenda_item(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    item_id: int,
    data: FormDep,
) -> Response:
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    form = AgendaItemForm.from_data(data)
    try:
        service.edit_agenda_item(session, meeting_id, item_id, viewer=viewer, item=form.parse())
    except InvalidInput as invalid:
        context = _context(
            session, meeting, committee, viewer,
            editing_item_id=item_id, edit_form=form, edit_errors=invalid.errors,
        )  # fmt: skip
        return _page_or_block(request, context, "agenda", status_code=422)
    return _changed(request, session, meeting_id, viewer, block="agenda", anchor="agenda")


@router.post("/meetings/{meeting_id}/agenda/{item_id}/delete")
def delete_agenda_item(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, item_id: int
) -> Response:
    service.delete_agenda_item(session, meeting_id, item_id, viewer=viewer)
    return _changed(
        request, session, meeting_id, viewer, block="agenda", anchor="agenda",
        message="Agenda item removed.",
    )  # fmt: skip


@router.post("/meetings/{meeting_id}/agenda/{item_id}/move")
def move_agenda_item(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    item_id: int,
    data: FormDep,
) -> Response:
    direction = data.get("direction")
    service.move_agenda_item(
        session,
        meeting_id,
        item_id,
        viewer=viewer,
        direction=direction if isinstance(direction, str) else "",
    )
    return _changed(request, session, meeting_id, viewer, block="agenda", anchor="agenda")
