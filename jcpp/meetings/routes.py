"""The meeting page: details, status, attendance and agenda, each changed in place with htmx.

Every swappable part is a named block of meetings/meeting.html. Changes answer an htmx request
with the changed block and a plain form post with a redirect back to the page.

Every change form carries what it was loaded with (meetings.service.Seen). After a change made
from the page, one out-of-band element (block `meeting_version`) moves every form that was
loaded at the version before the change to the new version: the change between the two is the
person's own. Forms loaded earlier keep their version and are checked by their fingerprint.

The agenda card holds several forms, and every agenda action re-renders it: the add form and
any open edit forms are sent back with hx-preserve, so the browser keeps what was typed in them
(the action forms tell which edit forms are open with hx-include=".agenda-editing").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from jcpp import clock
from jcpp.auth.permissions import Viewer, can_edit_committee
from jcpp.committees.service import get_city
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import InvalidInput, NotFound
from jcpp.meetings import carry, service
from jcpp.meetings.forms import AgendaItemForm, AttendanceForm, ChangeForm, MeetingForm
from jcpp.minutes.service import get_minutes_view
from jcpp.models import ATTENDANCE_STATUSES, MEETING_STATUSES, Committee, Meeting
from jcpp.web import htmx
from jcpp.web.forms import parse_ids, text
from jcpp.web.templating import Block, render, render_fragments, render_page_or_block

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


@dataclass(frozen=True)
class DetailsConflict:
    """What is stored now next to what the person submitted."""

    stored: MeetingForm
    submitted: MeetingForm


@dataclass(frozen=True)
class AgendaConflict:
    """An agenda change refused because the agenda changed since the page showed it."""

    action: Literal["add", "edit", "removed", "move", "delete", "old-business", "drop"]
    title: str  # of the item, as the person knew it ("" when it is gone)
    stored: AgendaItemForm | None = None  # edit: the item as stored now
    submitted: AgendaItemForm | None = None  # edit: what the person submitted


def _context(
    session: Session, meeting: Meeting, committee: Committee, viewer: Viewer, **extra: Any
) -> dict[str, Any]:
    """Everything the page shows. `kept_editors` (item ids) are edit forms the browser has
    open: they are rendered for hx-preserve, as are the add form when `keep_agenda_draft`."""
    assert meeting.id is not None
    agenda = service.agenda_items(session, meeting.id)
    carried = carry.carried_items(session, meeting.id)
    kept: set[int] = extra.pop("kept_editors", set())
    editors = {i.id: AgendaItemForm.from_item(i) for i in agenda if i.id in kept}
    editors.update(extra.pop("editors", {}))
    context: dict[str, Any] = {
        "nav": "committees",
        "meeting": meeting,
        "committee": committee,
        "city": get_city(session, committee),
        "can_edit": can_edit_committee(viewer, committee),
        "sheet": service.attendance_sheet(session, meeting),
        "agenda": agenda,
        "carried": {c.row.agenda_item_id: c for c in carried if c.row.agenda_item_id},
        "dropped": [c for c in carried if c.row.dropped_reason is not None],
        "drop_errors": {},
        "drop_reasons": {},
        "minutes": get_minutes_view(session, meeting.id, viewer=viewer),
        "seen": service.fingerprints(session, meeting),
        "statuses": MEETING_STATUSES,
        "attendance_statuses": ATTENDANCE_STATUSES,
        "details_form": MeetingForm.from_meeting(meeting, clock.zone()),
        "details_errors": {},
        "details_open": False,
        "conflict": None,
        "status_conflict": None,
        "attendance_form": None,
        "attendance_errors": {},
        "attendance_conflict": None,
        "agenda_form": AgendaItemForm(),
        "agenda_errors": {},
        "agenda_conflict": None,
        "editors": editors,
        "kept_editors": kept,
        "keep_agenda_draft": False,
        "edit_errors": {},
        "autofocus_editor": None,
        "focus_agenda": False,
        "oob": False,
        "version_before": None,
    }
    context.update(extra)
    return context


def _page_or_block(
    request: Request, context: dict[str, Any], block: str, *, status_code: int = 200
) -> Response:
    return render_page_or_block(request, TEMPLATE, context, block=block, status_code=status_code)


def _changed(
    request: Request,
    session: Session,
    meeting_id: int,
    viewer: Viewer,
    *,
    before: int,
    seen: service.Seen,
    block: str,
    anchor: str,
    also: tuple[str, ...] = (),
    message: str | None = None,
    **extra: Any,
) -> Response:
    """After a change: the changed block, the `also` blocks out of band and the version move
    (htmx), or back to the page (plain form post)."""
    if not htmx.wants_fragment(request):
        return RedirectResponse(f"/meetings/{meeting_id}#{anchor}", status_code=303)
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer)
    context = _context(session, meeting, committee, viewer, **extra)
    blocks: list[Block] = [block, *((name, {"oob": True}) for name in also)]
    if meeting.version != before and seen.version == before:
        blocks.append(("meeting_version", {"version_before": before}))
    toast = ("success", message) if message else None
    return render_fragments(request, TEMPLATE, context, blocks, toast=toast)


def _basis(data: FormData) -> ChangeForm:
    form = ChangeForm()
    form.read_basis(data)
    return form


def _kept_editors(values: Sequence[object], *, closing: int | None = None) -> set[int]:
    """The agenda items whose edit forms are open in the browser, but for `closing`."""
    ids = parse_ids(v for v in values if isinstance(v, str))
    return {n for n in ids if n != closing}


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
    before, form = meeting.version, MeetingForm.from_data(data)
    try:
        details, seen = form.parse(clock.zone()), form.seen()
        meeting, changed = service.update_meeting(
            session, meeting_id, viewer=viewer, details=details, seen=seen
        )
    except service.StaleMeeting as stale:
        stored = MeetingForm.from_meeting(stale.meeting, clock.zone())
        submitted = replace(form)
        form.rebased()  # saving again now keeps what the person typed
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
        request, session, meeting_id, viewer, before=before, seen=seen,
        block="meeting_details", anchor="meeting-details", also=("meeting_head",), message=message,
    )  # fmt: skip


@router.post("/meetings/{meeting_id}/status")
def change_status(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, data: FormDep
) -> Response:
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    before, status, seen = meeting.version, text(data, "status"), _basis(data).seen()
    try:
        meeting = service.set_status(session, meeting_id, viewer=viewer, status=status, seen=seen)
    except service.StaleMeeting as stale:
        context = _context(session, stale.meeting, committee, viewer, status_conflict=status)
        return _page_or_block(request, context, "meeting_head", status_code=409)
    return _changed(
        request, session, meeting_id, viewer, before=before, seen=seen,
        block="meeting_head", anchor="main", message=STATUS_DONE[meeting.status],
    )  # fmt: skip


# --- attendance -----------------------------------------------------------------------------


@router.post("/meetings/{meeting_id}/attendance")
def record_attendance(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, data: FormDep
) -> Response:
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    before, form = meeting.version, AttendanceForm.from_data(data)
    try:
        (statuses, guests, organisations), seen = form.parse(), form.seen()
        _, changed = service.record_attendance(
            session,
            meeting_id,
            viewer=viewer,
            statuses=statuses,
            guest_count=guests,
            guest_organisations=organisations,
            seen=seen,
        )
    except service.StaleMeeting as stale:
        submitted = replace(form)
        form.rebased()
        context = _context(
            session, stale.meeting, committee, viewer,
            attendance_form=form, attendance_conflict=submitted,
        )  # fmt: skip
        return _page_or_block(request, context, "attendance", status_code=409)
    except InvalidInput as invalid:
        context = _context(
            session, meeting, committee, viewer,
            attendance_form=form, attendance_errors=invalid.errors,
        )  # fmt: skip
        return _page_or_block(request, context, "attendance", status_code=422)
    message = "Attendance saved." if changed else "Nothing to save: attendance is unchanged."
    return _changed(
        request, session, meeting_id, viewer, before=before, seen=seen,
        block="attendance", anchor="attendance", message=message,
    )  # fmt: skip


# --- agenda ---------------------------------------------------------------------------------


@router.get("/meetings/{meeting_id}/agenda")
def agenda_block(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int
) -> Response:
    """The agenda card; `editing` keeps those edit forms open, `close` closes one (Cancel)."""
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer)
    closing = parse_ids(request.query_params.getlist("close"))
    kept = _kept_editors(
        request.query_params.getlist("editing"), closing=closing[0] if closing else None
    )
    context = _context(
        session, meeting, committee, viewer, kept_editors=kept, keep_agenda_draft=True
    )
    return _page_or_block(request, context, "agenda")


@router.post("/meetings/{meeting_id}/agenda")
def add_agenda_item(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, data: FormDep
) -> Response:
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    before, form = meeting.version, AgendaItemForm.from_data(data)
    kept = _kept_editors(data.getlist("editing"))
    try:
        item, seen = form.parse(), form.seen()
        service.add_agenda_item(session, meeting_id, viewer=viewer, item=item, seen=seen)
    except service.StaleMeeting as stale:
        form.rebased()
        context = _context(
            session, stale.meeting, committee, viewer, agenda_form=form, kept_editors=kept,
            agenda_conflict=AgendaConflict("add", title=form.title),
        )  # fmt: skip
        return _page_or_block(request, context, "agenda", status_code=409)
    except InvalidInput as invalid:
        context = _context(
            session, meeting, committee, viewer,
            agenda_form=form, agenda_errors=invalid.errors, kept_editors=kept,
        )  # fmt: skip
        return _page_or_block(request, context, "agenda", status_code=422)
    return _changed(
        request, session, meeting_id, viewer, before=before, seen=seen,
        block="agenda", anchor="agenda", kept_editors=kept,
    )  # fmt: skip


@router.get("/meetings/{meeting_id}/agenda/{item_id}/edit")
def edit_agenda_item_form(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, item_id: int
) -> Response:
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    item = next((i for i in service.agenda_items(session, meeting_id) if i.id == item_id), None)
    if item is None:
        raise NotFound("There is no such agenda item.")
    context = _context(
        session, meeting, committee, viewer,
        kept_editors=_kept_editors(request.query_params.getlist("editing"), closing=item_id),
        editors={item_id: AgendaItemForm.from_item(item)}, keep_agenda_draft=True,
        # htmx moves focus to the title itself: the Edit link had the title's id.
        autofocus_editor=None if htmx.wants_fragment(request) else item_id,
    )  # fmt: skip
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
    before, form = meeting.version, AgendaItemForm.from_data(data)
    kept = _kept_editors(data.getlist("editing"), closing=item_id)
    drafts: dict[str, Any] = {"kept_editors": kept, "keep_agenda_draft": True}
    try:
        item, seen = form.parse(), form.seen()
        service.edit_agenda_item(session, meeting_id, item_id, viewer=viewer, item=item, seen=seen)
    except service.StaleMeeting as stale:
        context = _edit_conflict(session, stale.meeting, committee, viewer, item_id, form, drafts)
        return _page_or_block(request, context, "agenda", status_code=409)
    except InvalidInput as invalid:
        context = _context(
            session, meeting, committee, viewer,
            editors={item_id: form}, edit_errors=invalid.errors, **drafts,
        )  # fmt: skip
        return _page_or_block(request, context, "agenda", status_code=422)
    return _changed(
        request, session, meeting_id, viewer, before=before, seen=seen,
        block="agenda", anchor="agenda", **drafts,
    )  # fmt: skip


def _edit_conflict(
    session: Session,
    meeting: Meeting,
    committee: Committee,
    viewer: Viewer,
    item_id: int,
    form: AgendaItemForm,
    drafts: dict[str, Any],
) -> dict[str, Any]:
    """The stored item next to the submitted one, the text still in its form; when the item
    was removed meanwhile, the text goes to the add form so that it can be added again."""
    assert meeting.id is not None
    stored = next((i for i in service.agenda_items(session, meeting.id) if i.id == item_id), None)
    submitted = replace(form)
    form.rebased()
    if stored is None:
        conflict = AgendaConflict("removed", title=form.title)
        return _context(
            session, meeting, committee, viewer,
            agenda_form=form, agenda_conflict=conflict, kept_editors=drafts["kept_editors"],
        )  # fmt: skip
    conflict = AgendaConflict(
        "edit", title=stored.title, stored=AgendaItemForm.from_item(stored), submitted=submitted
    )
    return _context(
        session, meeting, committee, viewer,
        editors={item_id: form}, agenda_conflict=conflict, **drafts,
    )  # fmt: skip


def _agenda_action(
    request: Request,
    session: Session,
    viewer: Viewer,
    meeting_id: int,
    item_id: int,
    data: FormData,
    *,
    action: Literal["move", "delete"],
) -> Response:
    """Move or remove an item; the drafts in the agenda's other forms are kept."""
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    before, seen = meeting.version, _basis(data).seen()
    kept = _kept_editors(data.getlist("editing"), closing=item_id if action == "delete" else None)
    drafts: dict[str, Any] = {"kept_editors": kept, "keep_agenda_draft": True}
    try:
        if action == "move":
            direction = text(data, "direction")
            service.move_agenda_item(
                session, meeting_id, item_id, viewer=viewer, direction=direction, seen=seen
            )
        else:
            service.delete_agenda_item(session, meeting_id, item_id, viewer=viewer, seen=seen)
    except service.StaleMeeting as stale:
        items = service.agenda_items(session, meeting_id)
        title = next((i.title for i in items if i.id == item_id), "")
        conflict = AgendaConflict(action, title=title)
        context = _context(
            session, stale.meeting, committee, viewer, agenda_conflict=conflict, **drafts
        )
        return _page_or_block(request, context, "agenda", status_code=409)
    message = "Agenda item removed." if action == "delete" else None
    return _changed(
        request, session, meeting_id, viewer, before=before, seen=seen,
        block="agenda", anchor="agenda", message=message, focus_agenda=action == "delete",
        **drafts,
    )  # fmt: skip


@router.post("/meetings/{meeting_id}/agenda/{item_id}/delete")
def delete_agenda_item(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    item_id: int,
    data: FormDep,
) -> Response:
    return _agenda_action(request, session, viewer, meeting_id, item_id, data, action="delete")


@router.post("/meetings/{meeting_id}/agenda/{item_id}/move")
def move_agenda_item(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    item_id: int,
    data: FormDep,
) -> Response:
    return _agenda_action(request, session, viewer, meeting_id, item_id, data, action="move")


@router.post("/meetings/{meeting_id}/old-business")
def bring_old_business_forward(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int, data: FormDep
) -> Response:
    """Put the open follow-ups and unanswered concerns of earlier meetings on this agenda."""
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    before, seen = meeting.version, _basis(data).seen()
    drafts: dict[str, Any] = {
        "kept_editors": _kept_editors(data.getlist("editing")),
        "keep_agenda_draft": True,
    }
    try:
        count = service.bring_old_business_forward(session, meeting_id, viewer=viewer, seen=seen)
    except service.StaleMeeting as stale:
        conflict = AgendaConflict("old-business", title="")
        context = _context(
            session, stale.meeting, committee, viewer, agenda_conflict=conflict, **drafts
        )
        return _page_or_block(request, context, "agenda", status_code=409)
    except InvalidInput as invalid:
        context = _context(session, meeting, committee, viewer, agenda_errors=invalid.errors)
        return _page_or_block(request, context, "agenda", status_code=422)
    message = (
        f"{count} item{'' if count == 1 else 's'} of old business put on the agenda."
        if count
        else "Nothing open to bring forward: the agenda already has it all."
    )
    return _changed(
        request, session, meeting_id, viewer, before=before, seen=seen,
        block="agenda", anchor="agenda", message=message, **drafts,
    )  # fmt: skip


@router.post("/meetings/{meeting_id}/old-business/{carried_id}/drop")
def drop_old_business(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    carried_id: int,
    data: FormDep,
) -> Response:
    """Take an item of old business off this agenda, with a reason it keeps."""
    meeting, committee = service.get_meeting(session, meeting_id, viewer=viewer, edit=True)
    before, seen = meeting.version, _basis(data).seen()
    reason = text(data, "reason")
    drafts: dict[str, Any] = {
        "kept_editors": _kept_editors(data.getlist("editing")),
        "keep_agenda_draft": True,
    }
    try:
        service.drop_old_business(
            session, meeting_id, carried_id, viewer=viewer, reason=reason, seen=seen
        )
    except service.StaleMeeting as stale:
        conflict = AgendaConflict("drop", title="")
        context = _context(
            session, stale.meeting, committee, viewer, agenda_conflict=conflict, **drafts
        )
        return _page_or_block(request, context, "agenda", status_code=409)
    except InvalidInput as invalid:
        context = _context(
            session, meeting, committee, viewer,
            drop_errors={carried_id: invalid.errors}, drop_reasons={carried_id: reason}, **drafts,
        )  # fmt: skip
        return _page_or_block(request, context, "agenda", status_code=422)
    return _changed(
        request, session, meeting_id, viewer, before=before, seen=seen,
        block="agenda", anchor="agenda", message="Dropped from this agenda.", **drafts,
    )  # fmt: skip
