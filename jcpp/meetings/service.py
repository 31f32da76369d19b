"""Meetings: details, status, attendance as of the meeting date, agenda; optimistic locking.

Every change bumps `Meeting.version` (details, status, attendance and agenda alike) and writes
one audit event with the city and the values before and after.

Optimistic locking: every change form sends what it was loaded with (`Seen`): the meeting's
version, and a fingerprint of the part of the meeting it changes (its details, status,
attendance or agenda). A change is refused with StaleMeeting when the version is older than the
stored one, unless the form's part is still exactly as the form saw it: someone recording
attendance in another tab does not make a details form stale (no false conflicts), while two
people editing the agenda do conflict.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.audit import service as audit
from jcpp.auth.permissions import Viewer, require_edit, require_view
from jcpp.committees.service import roster_on
from jcpp.errors import Conflict, InvalidInput, NotFound
from jcpp.meetings import carry
from jcpp.models import (
    ATTENDANCE_STATUSES,
    MEETING_STATUSES,
    AgendaItem,
    Attendance,
    Committee,
    Meeting,
    Person,
)
from jcpp.models.base import utcnow

NOT_FOUND = "There is no such meeting, or it is not yours to see."
STATUS_WORDS = {"scheduled": "scheduled", "held": "held", "cancelled": "cancelled"}

# The parts of a meeting that change forms change, each checked on its own (see the docstring).
Part = Literal["details", "status", "attendance", "agenda"]
PARTS: tuple[Part, ...] = ("details", "status", "attendance", "agenda")


class StaleMeeting(Conflict):
    """A change based on an older version of the meeting's `part`. Carries what is stored now."""

    def __init__(self, meeting: Meeting, part: Part = "details") -> None:
        super().__init__(
            "Someone changed this meeting after you opened it. What is stored now is shown "
            "next to what you submitted, and your input is still in the form: check both, "
            "then save again to keep yours."
        )
        self.meeting = meeting
        self.part = part


@dataclass(frozen=True)
class Seen:
    """What a change form was loaded with: the meeting's version, and the fingerprint of the
    part of the meeting that the form changes ("" when not known)."""

    version: int
    fingerprint: str = ""


@dataclass(frozen=True)
class MeetingDetails:
    """Validated details of a meeting (times in UTC)."""

    start_at: dt.datetime
    end_at: dt.datetime | None
    place: str | None


@dataclass(frozen=True)
class AgendaItemInput:
    title: str
    presenter: str | None
    notes: str | None


# --- loading ----------------------------------------------------------------------------------


def get_meeting(
    session: Session, meeting_id: int, *, viewer: Viewer, edit: bool = False
) -> tuple[Meeting, Committee]:
    """The meeting and its committee if the viewer may see it (or change it, when `edit`).

    For changes the row is read again with a row lock (PostgreSQL) so that two saves of the
    same version cannot both pass the version check.
    """
    if edit:
        meeting = session.get(Meeting, meeting_id, with_for_update=True, populate_existing=True)
    else:
        meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(NOT_FOUND)
    committee = session.get(Committee, meeting.committee_id)
    committee = require_edit(viewer, committee) if edit else require_view(viewer, committee)
    return meeting, committee


def meeting_day(meeting: Meeting) -> dt.date:
    """The county-local date of the meeting."""
    return clock.local_date(meeting.start_at)


# --- optimistic locking -------------------------------------------------------------------------


def _part_values(session: Session, meeting: Meeting, part: Part) -> Any:
    if part == "details":
        end = meeting.end_at.isoformat() if meeting.end_at else None
        return [meeting.start_at.isoformat(), end, meeting.place]
    if part == "status":
        return meeting.status
    if part == "attendance":
        rows = session.exec(
            select(Attendance.person_id, Attendance.status)
            .where(Attendance.meeting_id == meeting.id)
            .order_by(col(Attendance.person_id))
        ).all()
        return [[list(row) for row in rows], meeting.guest_count, meeting.guest_organisations]
    assert meeting.id is not None
    return [[i.id, i.title, i.presenter, i.notes] for i in agenda_items(session, meeting.id)]


def fingerprint(session: Session, meeting: Meeting, part: Part) -> str:
    """A short digest of one part of the meeting as stored now (see the module docstring)."""
    values = json.dumps(_part_values(session, meeting, part), separators=(",", ":"))
    return hashlib.sha256(values.encode()).hexdigest()[:16]


def fingerprints(session: Session, meeting: Meeting) -> dict[Part, str]:
    """Every part's fingerprint, for the forms of the meeting page."""
    return {part: fingerprint(session, meeting, part) for part in PARTS}


def check_seen(session: Session, meeting: Meeting, seen: Seen, part: Part) -> None:
    """StaleMeeting unless the meeting is still at the version the form was loaded at, or the
    form's part of it is unchanged since (a change elsewhere on the meeting is no conflict)."""
    if meeting.version == seen.version:
        return
    if seen.fingerprint and seen.fingerprint == fingerprint(session, meeting, part):
        return
    raise StaleMeeting(meeting, part)


def _touch(meeting: Meeting) -> None:
    meeting.version += 1
    meeting.updated_at = utcnow()


def _details_of(meeting: Meeting) -> dict[str, Any]:
    return {
        "start_at": meeting.start_at,
        "end_at": meeting.end_at,
        "place": meeting.place,
        "status": meeting.status,
    }


def _record(
    session: Session,
    viewer: Viewer,
    committee: Committee,
    *,
    action: str,
    entity_type: str,
    entity_id: int | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        user_id=viewer.id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        city_id=committee.city_id,
        summary=summary,
        before=before,
        after=after,
    )


# --- details and status -----------------------------------------------------------------------


def _check_start_free(
    session: Session, committee_id: int, start_at: dt.datetime, *, other_than: int | None
) -> None:
    query = select(Meeting.id).where(
        Meeting.committee_id == committee_id, Meeting.start_at == start_at
    )
    if other_than is not None:
        query = query.where(Meeting.id != other_than)
    if session.exec(query).first() is not None:
        raise InvalidInput({"start": "This committee already has a meeting at this date and time."})


def create_meeting(
    session: Session, committee_id: int, *, viewer: Viewer, details: MeetingDetails
) -> Meeting:
    """Create one meeting by hand."""
    committee = require_edit(viewer, session.get(Committee, committee_id))
    _check_start_free(session, committee_id, details.start_at, other_than=None)
    meeting = Meeting(
        committee_id=committee_id,
        start_at=details.start_at,
        end_at=details.end_at,
        place=details.place,
        status="scheduled",
    )
    session.add(meeting)
    session.flush()
    _record(
        session,
        viewer,
        committee,
        action="create_meeting",
        entity_type="meeting",
        entity_id=meeting.id,
        summary=f"Created a meeting of {committee.name} on {meeting_day(meeting):%b %d, %Y}",
        after=_details_of(meeting),
    )
    carry.carry_forward(session, meeting, committee=committee, viewer=viewer)
    return meeting


def update_meeting(
    session: Session,
    meeting_id: int,
    *,
    viewer: Viewer,
    details: MeetingDetails,
    seen: Seen,
) -> tuple[Meeting, bool]:
    """Save new details unless they changed since the form was loaded (StaleMeeting).

    Returns the meeting and whether anything changed (nothing changed: no new version).
    """
    meeting, committee = get_meeting(session, meeting_id, viewer=viewer, edit=True)
    check_seen(session, meeting, seen, "details")
    before = _details_of(meeting)
    if (details.start_at, details.end_at, details.place) == (
        meeting.start_at,
        meeting.end_at,
        meeting.place,
    ):
        return meeting, False
    if details.start_at != meeting.start_at:
        _check_start_free(session, meeting.committee_id, details.start_at, other_than=meeting.id)
    meeting.start_at = details.start_at
    meeting.end_at = details.end_at
    meeting.place = details.place
    _touch(meeting)
    session.flush()
    _record(
        session,
        viewer,
        committee,
        action="update_meeting",
        entity_type="meeting",
        entity_id=meeting.id,
        summary=f"Changed the details of the {committee.name} meeting of "
        f"{meeting_day(meeting):%b %d, %Y}",
        before=before,
        after=_details_of(meeting),
    )
    return meeting, True


def set_status(
    session: Session, meeting_id: int, *, viewer: Viewer, status: str, seen: Seen
) -> Meeting:
    """Mark a meeting scheduled, held or cancelled, unless its status changed since the page
    was loaded (StaleMeeting)."""
    if status not in MEETING_STATUSES:
        raise InvalidInput({"status": "Choose scheduled, held or cancelled."})
    meeting, committee = get_meeting(session, meeting_id, viewer=viewer, edit=True)
    check_seen(session, meeting, seen, "status")
    if meeting.status == status:
        return meeting
    before = meeting.status
    meeting.status = status
    _touch(meeting)
    session.flush()
    _record(
        session,
        viewer,
        committee,
        action="set_meeting_status",
        entity_type="meeting",
        entity_id=meeting.id,
        summary=f"Marked the {committee.name} meeting of {meeting_day(meeting):%b %d, %Y} "
        f"as {STATUS_WORDS[status]}",
        before={"status": before},
        after={"status": status},
    )
    return meeting


# --- attendance -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    person: Person
    role: str | None  # None: not on the roster on the meeting date
    status: str | None  # None: not recorded

    @property
    def on_roster(self) -> bool:
        return self.role is not None


@dataclass(frozen=True)
class AttendanceSheet:
    day: dt.date
    rows: list[AttendanceRow]
    guest_count: int
    guest_organisations: str | None

    def count(self, status: str | None) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def totals(self) -> dict[str, int]:
        return {status: self.count(status) for status in ATTENDANCE_STATUSES}


def attendance_sheet(session: Session, meeting: Meeting) -> AttendanceSheet:
    """The roster as of the meeting's local date, with each person's recorded status; people
    recorded earlier who are no longer on that roster stay listed (with no role)."""
    assert meeting.id is not None
    day = meeting_day(meeting)
    recorded = {
        a.person_id: a
        for a in session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id))
    }
    rows = []
    for entry in roster_on(session, meeting.committee_id, day):
        assert entry.person.id is not None
        record = recorded.pop(entry.person.id, None)
        status = record.status if record else None
        rows.append(AttendanceRow(entry.person, entry.membership.role, status))
    if recorded:
        people = session.exec(select(Person).where(col(Person.id).in_(recorded.keys()))).all()
        for person in sorted(people, key=lambda p: p.name.casefold()):
            assert person.id is not None
            rows.append(AttendanceRow(person, None, recorded[person.id].status))
    return AttendanceSheet(
        day=day,
        rows=rows,
        guest_count=meeting.guest_count,
        guest_organisations=meeting.guest_organisations,
    )


def record_attendance(
    session: Session,
    meeting_id: int,
    *,
    viewer: Viewer,
    statuses: dict[int, str],
    guest_count: int,
    guest_organisations: str | None,
    seen: Seen,
) -> tuple[Meeting, bool]:
    """Save everyone's attendance at once (present, absent or excused) and the guests.

    Only people on the roster as of the meeting date, or already recorded, may be marked.
    Refused (StaleMeeting) when the attendance changed since the form was loaded: the form
    sends every choice it shows, and would undo the other person's.
    Returns the meeting and whether anything changed.
    """
    meeting, committee = get_meeting(session, meeting_id, viewer=viewer, edit=True)
    check_seen(session, meeting, seen, "attendance")
    sheet = attendance_sheet(session, meeting)
    allowed = {row.person.id: row for row in sheet.rows}
    errors = {}
    for person_id, status in statuses.items():
        if person_id not in allowed:
            errors[f"person-{person_id}"] = "This person was not on the roster on that date."
        elif status not in ATTENDANCE_STATUSES:
            errors[f"person-{person_id}"] = "Choose present, absent or excused."
    if guest_count < 0:
        errors["guest_count"] = "The number of guests cannot be negative."
    if errors:
        raise InvalidInput(errors)
    names = {pid: row.person.name for pid, row in allowed.items()}
    before = {names[pid]: row.status for pid, row in allowed.items() if row.status}
    changed = _upsert_attendance(session, meeting, sheet, statuses)
    before_guests = (meeting.guest_count, meeting.guest_organisations)
    if before_guests != (guest_count, guest_organisations):
        meeting.guest_count = guest_count
        meeting.guest_organisations = guest_organisations
        changed = True
    if not changed:
        return meeting, False
    _touch(meeting)
    session.flush()
    after = {**before, **{names[pid]: status for pid, status in statuses.items()}}
    _record(
        session,
        viewer,
        committee,
        action="record_attendance",
        entity_type="meeting",
        entity_id=meeting.id,
        summary=f"Recorded attendance at the {committee.name} meeting of {sheet.day:%b %d, %Y}",
        before={**before, "guests": before_guests[0], "guest organisations": before_guests[1]},
        after={**after, "guests": guest_count, "guest organisations": guest_organisations},
    )
    return meeting, True


def _upsert_attendance(
    session: Session, meeting: Meeting, sheet: AttendanceSheet, statuses: dict[int, str]
) -> bool:
    assert meeting.id is not None
    current = {row.person.id: row.status for row in sheet.rows}
    existing = {
        a.person_id: a
        for a in session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id))
    }
    changed = False
    for person_id, status in statuses.items():
        if current.get(person_id) == status:
            continue
        changed = True
        row = existing.get(person_id)
        if row is None:
            session.add(Attendance(meeting_id=meeting.id, person_id=person_id, status=status))
        else:
            row.status = status
            session.add(row)
    return changed


# --- agenda -------------------------------------------------------------------------------------


def agenda_items(session: Session, meeting_id: int) -> list[AgendaItem]:
    return list(
        session.exec(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(col(AgendaItem.position), col(AgendaItem.id))
        ).all()
    )


def _item_values(item: AgendaItem) -> dict[str, Any]:
    return {
        "position": item.position,
        "title": item.title,
        "presenter": item.presenter,
        "notes": item.notes,
    }


def _get_item(session: Session, meeting: Meeting, item_id: int) -> AgendaItem:
    item = session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise NotFound("There is no such agenda item.")
    return item


def _renumber(session: Session, items: list[AgendaItem]) -> None:
    """Positions 1..n in list order, without gaps."""
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            session.add(item)


def add_agenda_item(
    session: Session, meeting_id: int, *, viewer: Viewer, item: AgendaItemInput, seen: Seen
) -> AgendaItem:
    """Append an item at the end of the agenda (every agenda change is refused with
    StaleMeeting when the agenda changed since the page showed it)."""
    meeting, committee = get_meeting(session, meeting_id, viewer=viewer, edit=True)
    check_seen(session, meeting, seen, "agenda")
    # Preparing the agenda brings the old business forward first.
    carry.carry_forward(session, meeting, committee=committee, viewer=viewer)
    last = session.exec(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting_id)
    ).one()
    row = AgendaItem(
        meeting_id=meeting_id,
        position=(last or 0) + 1,
        title=item.title,
        presenter=item.presenter,
        notes=item.notes,
    )
    session.add(row)
    _touch(meeting)
    session.flush()
    _record(
        session,
        viewer,
        committee,
        action="add_agenda_item",
        entity_type="agenda_item",
        entity_id=row.id,
        summary=f"Added “{row.title}” to the agenda of {meeting_day(meeting):%b %d, %Y}",
        after=_item_values(row),
    )
    return row


def edit_agenda_item(
    session: Session,
    meeting_id: int,
    item_id: int,
    *,
    viewer: Viewer,
    item: AgendaItemInput,
    seen: Seen,
) -> AgendaItem:
    meeting, committee = get_meeting(session, meeting_id, viewer=viewer, edit=True)
    check_seen(session, meeting, seen, "agenda")
    row = _get_item(session, meeting, item_id)
    before = _item_values(row)
    row.title, row.presenter, row.notes = item.title, item.presenter, item.notes
    if _item_values(row) == before:
        return row
    session.add(row)
    _touch(meeting)
    session.flush()
    _record(
        session,
        viewer,
        committee,
        action="edit_agenda_item",
        entity_type="agenda_item",
        entity_id=row.id,
        summary=f"Edited agenda item “{row.title}” of {meeting_day(meeting):%b %d, %Y}",
        before=before,
        after=_item_values(row),
    )
    return row


def delete_agenda_item(
    session: Session, meeting_id: int, item_id: int, *, viewer: Viewer, seen: Seen
) -> None:
    meeting, committee = get_meeting(session, meeting_id, viewer=viewer, edit=True)
    check_seen(session, meeting, seen, "agenda")
    row = _get_item(session, meeting, item_id)
    before = _item_values(row)
    carry.forget_agenda_item(session, item_id, reason="Removed from the agenda")
    session.delete(row)
    session.flush()
    _renumber(session, agenda_items(session, meeting_id))
    _touch(meeting)
    session.flush()
    _record(
        session,
        viewer,
        committee,
        action="delete_agenda_item",
        entity_type="agenda_item",
        entity_id=item_id,
        summary=f"Removed “{before['title']}” from the agenda of {meeting_day(meeting):%b %d, %Y}",
        before=before,
    )


def move_agenda_item(
    session: Session,
    meeting_id: int,
    item_id: int,
    *,
    viewer: Viewer,
    direction: str,
    seen: Seen,
) -> AgendaItem:
    """Move an item one place up or down; positions stay 1..n. Moving the first item up or
    the last one down changes nothing (no new version, no audit event)."""
    if direction not in ("up", "down"):
        raise InvalidInput({"direction": "Move up or down."})
    meeting, committee = get_meeting(session, meeting_id, viewer=viewer, edit=True)
    check_seen(session, meeting, seen, "agenda")
    row = _get_item(session, meeting, item_id)
    items = agenda_items(session, meeting_id)
    index = next(i for i, it in enumerate(items) if it.id == row.id)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return row
    before = row.position
    items[index], items[target] = items[target], items[index]
    _renumber(session, items)
    _touch(meeting)
    session.flush()
    _record(
        session,
        viewer,
        committee,
        action="move_agenda_item",
        entity_type="agenda_item",
        entity_id=row.id,
        summary=f"Moved “{row.title}” {direction} to position {row.position} on the agenda "
        f"of {meeting_day(meeting):%b %d, %Y}",
        before={"position": before},
        after={"position": row.position},
    )
    return row


# --- old business (see jcpp.meetings.carry) ----------------------------------------------------


def bring_old_business_forward(
    session: Session, meeting_id: int, *, viewer: Viewer, seen: Seen
) -> int:
    """Put what is still open on a scheduled meeting's agenda; returns how many items came."""
    meeting, committee = get_meeting(session, meeting_id, viewer=viewer, edit=True)
    check_seen(session, meeting, seen, "agenda")
    if meeting.status != "scheduled":
        raise InvalidInput({"agenda": "Old business comes forward onto scheduled meetings only."})
    added = carry.carry_forward(session, meeting, committee=committee, viewer=viewer)
    if added:
        _touch(meeting)
        session.flush()
    return len(added)


def drop_old_business(
    session: Session, meeting_id: int, carried_id: int, *, viewer: Viewer, reason: str, seen: Seen
) -> None:
    """Take an item of old business off this meeting's agenda, with a reason."""
    meeting, committee = get_meeting(session, meeting_id, viewer=viewer, edit=True)
    check_seen(session, meeting, seen, "agenda")
    carry.drop_carried(
        session, meeting, carried_id, committee=committee, viewer=viewer, reason=reason
    )
    _renumber(session, agenda_items(session, meeting_id))
    _touch(meeting)
    session.flush()
