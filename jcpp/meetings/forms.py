"""Meeting forms: the raw text a person typed (kept for re-rendering) and its validation.

Each form's `parse()` returns the validated values or raises InvalidInput with one message per
field; the raw values stay on the form so that nothing typed is lost when it is shown again.
Every change form also carries what it was loaded with (`version`, `fingerprint`; see
`meetings.service.Seen`), kept as sent when the form is shown again after a 422.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from jcpp.errors import InvalidInput
from jcpp.meetings.service import AgendaItemInput, MeetingDetails, Seen
from jcpp.models import ATTENDANCE_STATUSES, AgendaItem, Committee, Meeting
from jcpp.web.forms import text as _text

MAX_PLACE = 300
MAX_TITLE = 300
MAX_PRESENTER = 200
MAX_NOTES = 5000
MAX_GUEST_ORGANISATIONS = 1000
MAX_GUESTS = 10_000


def parse_date(value: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if 1990 <= day.year <= 2100 else None


def parse_time(value: str) -> dt.time | None:
    try:
        parsed = dt.time.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(second=0, microsecond=0, tzinfo=None)


def local_to_utc(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime | None:
    """A county wall-clock time as UTC, or None when that time does not exist (the hour the
    clocks skip in spring)."""
    local = dt.datetime.combine(day, time, tzinfo=zone)
    moment = local.astimezone(dt.UTC)
    back = moment.astimezone(zone)
    if (back.date(), back.time()) != (day, time):
        return None
    return moment


def _clock(value: str) -> str:
    time = parse_time(value) if value else None
    if time is None:
        return value
    shown = (
        f"{time.hour % 12 or 12}:{time.minute:02d}" if time.minute else str(time.hour % 12 or 12)
    )
    return f"{shown} {'am' if time.hour < 12 else 'pm'}"


def _rule_time(rule: str) -> dt.time | None:
    parts = dict(item.partition("=")[::2] for item in rule.upper().replace("RRULE:", "").split(";"))
    try:
        return dt.time(int(parts["BYHOUR"]), int(parts.get("BYMINUTE") or 0))
    except (KeyError, ValueError):
        return None


@dataclass(kw_only=True)
class ChangeForm:
    """What every change form sends besides its fields: the meeting version and the
    fingerprint of its part of the meeting when it was loaded (both empty: not known, and the
    template fills in what is stored now)."""

    version: str = ""
    fingerprint: str = ""

    def read_basis(self, data: Mapping[str, Any]) -> None:
        self.version = _text(data, "version")
        self.fingerprint = _text(data, "fingerprint")[:64]

    def seen(self) -> Seen:
        """What the form was loaded with; InvalidInput when it did not say."""
        try:
            return Seen(version=int(self.version), fingerprint=self.fingerprint)
        except ValueError:
            raise InvalidInput(
                {"version": "The form is missing its version. Reload the page and try again."}
            ) from None

    def rebased(self) -> None:
        """Forget what the form was loaded with: shown again, it carries what is stored now
        (after a conflict the person has seen both, and saving again keeps theirs)."""
        self.version = self.fingerprint = ""


@dataclass
class MeetingForm(ChangeForm):
    """Date, start and end time (county wall-clock), place."""

    date: str = ""
    start: str = ""
    end: str = ""
    place: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> MeetingForm:
        form = cls(
            date=_text(data, "date"),
            start=_text(data, "start"),
            end=_text(data, "end"),
            place=_text(data, "place"),
        )
        form.read_basis(data)
        return form

    @classmethod
    def from_meeting(cls, meeting: Meeting, zone: ZoneInfo) -> MeetingForm:
        start = meeting.start_at.astimezone(zone)
        end = meeting.end_at.astimezone(zone) if meeting.end_at else None
        return cls(
            date=start.date().isoformat(),
            start=f"{start:%H:%M}",
            end=f"{end:%H:%M}" if end else "",
            place=meeting.place or "",
        )

    @classmethod
    def for_committee(cls, committee: Committee) -> MeetingForm:
        """A blank meeting with the committee's usual place and, from its rule, usual hours."""
        start = _rule_time(committee.meeting_rule or "")
        if start is None:
            return cls(place=committee.default_place or "")
        end = dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(
            minutes=committee.meeting_minutes
        )
        return cls(
            start=f"{start:%H:%M}",
            end=f"{end:%H:%M}" if end.date() == dt.date(2000, 1, 1) else "",
            place=committee.default_place or "",
        )

    def parse(self, zone: ZoneInfo) -> MeetingDetails:
        errors: dict[str, str] = {}
        day = parse_date(self.date)
        start = parse_time(self.start)
        end = parse_time(self.end) if self.end else None
        if day is None:
            errors["date"] = "Enter the date of the meeting (year, month and day)."
        if start is None:
            errors["start"] = "Enter the time the meeting starts, like 6:30 PM."
        if self.end and end is None:
            errors["end"] = "Enter the time the meeting ends, or leave it empty."
        elif end is not None and start is not None and end <= start:
            errors["end"] = "The meeting must end after it starts."
        if len(self.place) > MAX_PLACE:
            errors["place"] = f"Keep the place under {MAX_PLACE} characters."
        start_at = end_at = None
        if day is not None and start is not None:
            start_at = local_to_utc(day, start, zone)
            if start_at is None:
                errors["start"] = "That time does not exist on this date (the clocks change)."
            if end is not None and "end" not in errors:
                end_at = local_to_utc(day, end, zone)
                if end_at is None:
                    errors["end"] = "That time does not exist on this date (the clocks change)."
        if errors:
            raise InvalidInput(errors)
        assert start_at is not None
        return MeetingDetails(start_at=start_at, end_at=end_at, place=self.place or None)

    def shown(self) -> dict[str, str]:
        """The values as a person reads them ("Thu May 6, 2027", "6:30 pm"); what cannot be
        read is shown as typed."""
        day = parse_date(self.date)
        return {
            "date": f"{day:%a %b} {day.day}, {day:%Y}" if day else self.date,
            "start": _clock(self.start),
            "end": _clock(self.end),
            "place": self.place,
        }


@dataclass
class AttendanceForm(ChangeForm):
    """One `person-<id>` radio group per person, plus the guests."""

    statuses: dict[int, str] = field(default_factory=dict)
    guest_count: str = "0"
    guest_organisations: str = ""
    bad_keys: list[str] = field(default_factory=list)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> AttendanceForm:
        form = cls(
            guest_count=_text(data, "guest_count") or "0",
            guest_organisations=_text(data, "guest_organisations"),
        )
        form.read_basis(data)
        for key, value in data.items():
            if not key.startswith("person-"):
                continue
            person = key.removeprefix("person-")
            if not person.isdigit() or not isinstance(value, str):
                form.bad_keys.append(key)
            elif value:
                form.statuses[int(person)] = value
        return form

    def parse(self) -> tuple[dict[int, str], int, str | None]:
        errors: dict[str, str] = {key: "This is not a person on the list." for key in self.bad_keys}
        for person_id, status in self.statuses.items():
            if status not in ATTENDANCE_STATUSES:
                errors[f"person-{person_id}"] = "Choose present, absent or excused."
        guests = None
        try:
            guests = int(self.guest_count)
        except ValueError:
            errors["guest_count"] = "Enter the number of guests as a whole number, like 3."
        if guests is not None and not 0 <= guests <= MAX_GUESTS:
            errors["guest_count"] = f"Enter a number from 0 to {MAX_GUESTS:,}."
        if len(self.guest_organisations) > MAX_GUEST_ORGANISATIONS:
            errors["guest_organisations"] = (
                f"Keep the organisations under {MAX_GUEST_ORGANISATIONS:,} characters."
            )
        if errors:
            raise InvalidInput(errors)
        assert guests is not None
        return dict(self.statuses), guests, self.guest_organisations or None


@dataclass
class AgendaItemForm(ChangeForm):
    title: str = ""
    presenter: str = ""
    notes: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> AgendaItemForm:
        notes = data.get("notes", "")
        form = cls(
            title=_text(data, "title"),
            presenter=_text(data, "presenter"),
            notes=notes.strip() if isinstance(notes, str) else "",
        )
        form.read_basis(data)
        return form

    @classmethod
    def from_item(cls, item: AgendaItem) -> AgendaItemForm:
        return cls(title=item.title, presenter=item.presenter or "", notes=item.notes or "")

    def parse(self) -> AgendaItemInput:
        errors: dict[str, str] = {}
        if not self.title:
            errors["title"] = "Enter a title for the agenda item."
        elif len(self.title) > MAX_TITLE:
            errors["title"] = f"Keep the title under {MAX_TITLE} characters."
        if len(self.presenter) > MAX_PRESENTER:
            errors["presenter"] = f"Keep the presenter under {MAX_PRESENTER} characters."
        if len(self.notes) > MAX_NOTES:
            errors["notes"] = f"Keep the notes under {MAX_NOTES:,} characters."
        if errors:
            raise InvalidInput(errors)
        return AgendaItemInput(
            title=self.title, presenter=self.presenter or None, notes=self.notes or None
        )
