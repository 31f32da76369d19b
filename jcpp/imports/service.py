"""Importing minutes files for a committee: look at a file, say what importing it will do, do it.

One file is one unit: its meeting (created, status held, or an existing meeting of the
committee on that date), its minutes revision (saved through the minutes service, so the
analysis runs as on any save) and its ImportedFile row are written in one savepoint, and a file
that fails leaves nothing behind. The same bytes imported again for the committee are skipped as
a duplicate (the SHA-256 of the bytes is unique per committee), whatever the file is called.

Every function that writes checks that the viewer may change the committee's meetings (its
city's liaison, or an admin); nothing commits here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.audit.service import record
from jcpp.auth.permissions import Viewer, require_edit
from jcpp.errors import DomainError
from jcpp.imports.dates import FoundDate, find_date
from jcpp.imports.extract import Refused, check_name, check_size, extract
from jcpp.meetings import service as meetings
from jcpp.meetings.forms import MeetingForm, local_to_utc, parse_time
from jcpp.minutes import service as minutes_service
from jcpp.models import Committee, ImportedFile, Meeting, Minutes, User

DEFAULT_TIME = dt.time(18, 0)  # when the committee has no rule to give its usual time
NOTE = "Imported from {name}"
NO_DATE = (
    "No meeting date was found in the file name or the first lines of the text. Give the date "
    "(or put it in the file name, e.g. 2024-03-19 minutes.docx)."
)


@dataclass(frozen=True)
class Inspected:
    """A file as read, before anything is written: its text or why it cannot be imported."""

    name: str
    size: int
    content_hash: str  # SHA-256 of the bytes, hex ("" when they were not read)
    text: str | None
    note: str | None
    refusal: str | None
    found: FoundDate | None


def inspect(name: str, data: bytes) -> Inspected:
    """Read the file's text and the date it names (nothing is written)."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        extracted = extract(name, data)
    except Refused as refused:
        return Inspected(name, len(data), digest, None, None, refused.reason, None)
    found = find_date(name, extracted.text)
    return Inspected(name, len(data), digest, extracted.text, extracted.note, None, found)


def inspect_path(path: Path) -> Inspected:
    """`inspect` for a file on disk: its name and size are checked before its bytes are read."""
    try:
        size = path.stat().st_size
        check_name(path.name)
        check_size(size)
    except Refused as refused:
        return Inspected(path.name, size, "", None, None, refused.reason, None)
    except OSError as error:
        return Inspected(path.name, 0, "", None, None, f"It cannot be read: {error}.", None)
    try:
        data = path.read_bytes()
    except OSError as error:
        return Inspected(path.name, size, "", None, None, f"It cannot be read: {error}.", None)
    return inspect(path.name, data)


@dataclass(frozen=True)
class Plan:
    """What importing a file will do: create a meeting, attach to one, or nothing (and why)."""

    action: str  # "create", "attach", "duplicate" or "refused"
    day: dt.date | None
    message: str
    meeting: Meeting | None = None
    duplicate: ImportedFile | None = None


def duplicate_of(session: Session, committee_id: int, content_hash: str) -> ImportedFile | None:
    if not content_hash:
        return None
    return session.exec(
        select(ImportedFile).where(
            ImportedFile.committee_id == committee_id, ImportedFile.content_hash == content_hash
        )
    ).first()


def duplicate_message(row: ImportedFile) -> str:
    return (
        f"Skipped: duplicate of {row.file_name} imported "
        f"{clock.local_date(row.imported_at):%b %d, %Y}."
    )


def meetings_on(session: Session, committee_id: int, day: dt.date) -> list[Meeting]:
    """The committee's meetings on that county day, earliest first."""
    start, end = clock.day_bounds(day, day)
    return list(
        session.exec(
            select(Meeting)
            .where(Meeting.committee_id == committee_id)
            .where(col(Meeting.start_at) >= start, col(Meeting.start_at) < end)
            .order_by(col(Meeting.start_at))
        )
    )


def plan(session: Session, committee: Committee, inspected: Inspected, day: dt.date | None) -> Plan:
    """What importing `inspected` for the committee on `day` would do (nothing is written)."""
    assert committee.id is not None
    if inspected.refusal:
        return Plan("refused", day, inspected.refusal)
    duplicate = duplicate_of(session, committee.id, inspected.content_hash)
    if duplicate is not None:
        return Plan("duplicate", day, duplicate_message(duplicate), duplicate=duplicate)
    if day is None:
        return Plan("refused", day, NO_DATE)
    same_day = meetings_on(session, committee.id, day)
    held = [m for m in same_day if m.status != "cancelled"]
    if held:
        return Plan(
            "attach",
            day,
            f"Adds a new revision to the minutes of the meeting of {day:%b %d, %Y}.",
            meeting=held[0],
        )
    if same_day:
        return Plan(
            "refused",
            day,
            f"The committee's meeting of {day:%b %d, %Y} was cancelled: correct the date, or "
            "mark that meeting held first.",
        )
    when = meeting_start(committee, day)
    return Plan(
        "create",
        day,
        f"Creates a held meeting on {day:%b %d, %Y} at {_clock(when)}.",
    )


def _clock(moment: dt.datetime) -> str:
    local = moment.astimezone(clock.zone())
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'am' if local.hour < 12 else 'pm'}"


def meeting_time(committee: Committee) -> dt.time:
    """The committee's usual start time (from its rule), or DEFAULT_TIME."""
    start = parse_time(MeetingForm.for_committee(committee).start or "")
    return start or DEFAULT_TIME


def meeting_start(committee: Committee, day: dt.date) -> dt.datetime:
    """The UTC start of a meeting on the county day `day` at the committee's usual time (an
    hour later when the clocks skip that time)."""
    time = meeting_time(committee)
    start = local_to_utc(day, time, clock.zone())
    if start is None:
        later = (dt.datetime.combine(day, time) + dt.timedelta(hours=1)).time()
        start = local_to_utc(day, later, clock.zone())
    assert start is not None
    return start


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # "imported", "attached", "duplicate", "failed" (dry run: "would import"…)
    message: str
    day: dt.date | None = None
    meeting_id: int | None = None
    revision: int | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def import_file(
    session: Session,
    committee_id: int,
    inspected: Inspected,
    *,
    day: dt.date | None,
    by: Viewer,
    dry_run: bool = False,
) -> Outcome:
    """Import one file for the committee on `day` (None: the date found in it), in a savepoint:
    all of it or, when it fails, nothing. Raises only when the viewer may not change the
    committee; every problem with the file is an Outcome with status "failed"."""
    committee = require_edit(by, session.get(Committee, committee_id))
    day = day or (inspected.found.day if inspected.found else None)
    planned = plan(session, committee, inspected, day)
    name = inspected.name
    if planned.action == "refused":
        return Outcome(name, "failed", planned.message, day)
    if planned.action == "duplicate":
        return Outcome(name, "duplicate", planned.message, day)
    if dry_run:
        status = "would attach" if planned.action == "attach" else "would import"
        return Outcome(name, status, planned.message, day)
    assert day is not None and inspected.text is not None
    try:
        with session.begin_nested():
            return _write(session, committee, inspected, planned, day=day, by=by)
    except IntegrityError:
        # The same bytes imported by someone else at the same moment (the unique key).
        duplicate = duplicate_of(session, committee_id, inspected.content_hash)
        if duplicate is None:
            raise
        return Outcome(name, "duplicate", duplicate_message(duplicate), day)
    except DomainError as error:
        return Outcome(name, "failed", f"Nothing was imported: {error.message}", day)


def _write(
    session: Session,
    committee: Committee,
    inspected: Inspected,
    planned: Plan,
    *,
    day: dt.date,
    by: Viewer,
) -> Outcome:
    assert committee.id is not None and inspected.text is not None
    if planned.meeting is not None:
        meeting = planned.meeting
        if meeting.status == "scheduled" and day <= clock.today():
            assert meeting.id is not None
            seen = meetings.Seen(meeting.version)
            meetings.set_status(session, meeting.id, viewer=by, status="held", seen=seen)
    else:
        meeting = _create_meeting(session, committee, inspected.name, day=day, by=by)
    assert meeting.id is not None
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()
    saved = minutes_service.save_minutes(
        session,
        meeting.id,
        text=inspected.text,
        base_revision=minutes.current_revision if minutes else 0,
        note=NOTE.format(name=inspected.name)[: minutes_service.MAX_NOTE_CHARS],
        by=by,
    )
    session.add(
        ImportedFile(
            committee_id=committee.id,
            meeting_id=meeting.id,
            file_name=inspected.name[:300],
            content_hash=inspected.content_hash,
            size=inspected.size,
            imported_by_id=by.id,
        )
    )
    session.flush()
    number = saved.revision.number
    if planned.meeting is None:
        message = f"Imported: a new meeting on {day:%b %d, %Y} with these minutes."
        status = "imported"
    elif saved.created:
        message = f"Added as revision {number} of the minutes of the meeting of {day:%b %d, %Y}."
        status = "attached"
    else:
        message = (
            f"The meeting of {day:%b %d, %Y} already has this text (revision {number}): "
            "nothing new to save."
        )
        status = "attached"
    return Outcome(inspected.name, status, message, day, meeting.id, number)


def _create_meeting(
    session: Session, committee: Committee, file_name: str, *, day: dt.date, by: Viewer
) -> Meeting:
    """A held meeting on `day` at the committee's usual time and place. Unlike a meeting planned
    by hand, nothing is carried onto its agenda: it is history."""
    start = meeting_start(committee, day)
    meeting = Meeting(
        committee_id=committee.id or 0,
        start_at=start,
        end_at=start + dt.timedelta(minutes=committee.meeting_minutes),
        place=committee.default_place,
        status="held",
    )
    session.add(meeting)
    session.flush()
    record(
        session,
        user_id=by.id,
        action="create_meeting",
        entity_type="meeting",
        entity_id=meeting.id,
        city_id=committee.city_id,
        summary=f"Created a held meeting of {committee.name} on {day:%b %d, %Y} for the "
        f"imported minutes {file_name}",
        after={"start_at": meeting.start_at, "status": "held", "imported_from": file_name},
    )
    return meeting


def importer_for_command_line(session: Session, email: str | None) -> User | None:
    """The account a command-line import is recorded under: the one named, or the oldest
    active admin."""
    query = select(User).where(col(User.active).is_(True))
    if email:
        query = query.where(col(User.email) == email.strip().lower())
    else:
        query = query.where(User.role == "admin").order_by(col(User.id))
    return session.exec(query).first()
