"""Committees: who may see them, rosters, meeting lists, and scheduling from the rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr
from sqlalchemy import ColumnElement, Exists, and_, exists, func, or_
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.admin.service import describe_rule
from jcpp.audit import service as audit
from jcpp.auth.permissions import Viewer, require_edit, require_view, visible_committees
from jcpp.errors import InvalidInput, NotFound
from jcpp.models import (
    MEETING_STATUSES,
    Attendance,
    City,
    Committee,
    Meeting,
    Membership,
    Minutes,
    MinutesRevision,
    Person,
)
from jcpp.models.base import utcnow
from jcpp.wording import plural

__all__ = [
    "CityCommittees",
    "CommitteeSummary",
    "MeetingActivity",
    "MeetingFilters",
    "MeetingListRow",
    "RosterEntry",
    "rule_in_words",
    "get_committee",
    "list_committees_for",
    "list_meetings",
    "meeting_activity",
    "meeting_years",
    "missing_minutes_condition",
    "roster_on",
    "create_meetings_from_rule",
    "schedule_next_meetings",
]

# Roster order everywhere (committee pages and the admin roster): chair first.
ROLE_ORDER = {"chair": 0, "member": 1, "police": 2, "liaison": 3}
MAX_SCHEDULE_MONTHS = 12
# "Schedule the next months" never creates more than this many meetings per month asked for
# (a rule gives at most one meeting a day; see admin.rules.rule_problem).
MAX_MEETINGS_PER_MONTH = 31
MEETINGS_PER_PAGE = 20

# County time lives in jcpp.clock; these names stay for the modules that import them from here.
county_zone = clock.zone
local_date = clock.local_date


# --- the meeting rule in words -------------------------------------------------------------


def rule_in_words(rule: str | None) -> str:
    """The committee's meeting rule as a person would say it (the admin pages' wording)."""
    return describe_rule(rule) if rule and rule.strip() else "No regular meetings"


# --- reading committees -------------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeSummary:
    committee: Committee
    city: City
    rule_text: str
    next_meeting: Meeting | None
    last_held: Meeting | None
    missing_minutes: int


@dataclass(frozen=True)
class CityCommittees:
    city: City
    committees: list[CommitteeSummary]


def get_committee(
    session: Session, committee_id: int, *, viewer: Viewer, edit: bool = False
) -> Committee:
    """The committee if the viewer may see it (NotFound otherwise), or change it when `edit`."""
    committee = session.get(Committee, committee_id)
    return require_edit(viewer, committee) if edit else require_view(viewer, committee)


def get_city(session: Session, committee: Committee) -> City:
    city = session.get(City, committee.city_id)
    if city is None:  # pragma: no cover - foreign key guarantees it
        raise NotFound("There is no such city.")
    return city


def list_committees_for(
    session: Session, *, viewer: Viewer, now: dt.datetime | None = None
) -> list[CityCommittees]:
    """The committees the viewer may see, grouped by city (cities and committees by name)."""
    now = now or utcnow()
    rows = session.exec(
        select(Committee, City)
        .join(City, col(City.id) == Committee.city_id)
        .where(visible_committees(viewer))
        .order_by(col(City.name), col(Committee.active).desc(), col(Committee.name))
    ).all()
    activity = meeting_activity(session, committee_ids=[c.id for c, _ in rows if c.id], now=now)
    groups: dict[int, CityCommittees] = {}
    for committee, city in rows:
        assert city.id is not None and committee.id is not None
        group = groups.setdefault(city.id, CityCommittees(city=city, committees=[]))
        seen = activity.get(committee.id, MeetingActivity())
        group.committees.append(
            CommitteeSummary(
                committee=committee,
                city=city,
                rule_text=rule_in_words(committee.meeting_rule),
                next_meeting=seen.next_scheduled,
                last_held=seen.last_held,
                missing_minutes=seen.missing_minutes,
            )
        )
    return list(groups.values())


# --- meetings at a glance (the committee list and the home page) ---------------------------


@dataclass(frozen=True)
class MeetingActivity:
    """A committee's (or a city's) last held meeting, next scheduled one, and how many past
    meetings still have no minutes."""

    last_held: Meeting | None = None
    next_scheduled: Meeting | None = None
    missing_minutes: int = 0

    @classmethod
    def combine(cls, parts: Collection[MeetingActivity]) -> MeetingActivity:
        """Several committees together (a city): the latest held, the soonest next, the sum."""
        held = [p.last_held for p in parts if p.last_held is not None]
        upcoming = [p.next_scheduled for p in parts if p.next_scheduled is not None]
        return cls(
            last_held=max(held, key=lambda m: m.start_at, default=None),
            next_scheduled=min(upcoming, key=lambda m: m.start_at, default=None),
            missing_minutes=sum(p.missing_minutes for p in parts),
        )


def _has_minutes() -> Exists:
    return exists().where(col(MinutesRevision.meeting_id) == col(Meeting.id))


def meeting_is_over(now: dt.datetime) -> ColumnElement[bool]:
    """The meeting has ended: its end has passed, or a day has passed since its start when no
    end is known. A meeting still in progress does not need minutes yet."""
    return or_(
        and_(col(Meeting.end_at).is_not(None), col(Meeting.end_at) < now),
        and_(col(Meeting.end_at).is_(None), col(Meeting.start_at) < now - dt.timedelta(days=1)),
    )


def missing_minutes_condition(now: dt.datetime) -> ColumnElement[bool]:
    """A past meeting (not cancelled, held or never marked so) that has no minutes yet."""
    return and_(meeting_is_over(now), col(Meeting.status) != "cancelled", ~_has_minutes())


def meeting_activity(
    session: Session, *, committee_ids: Collection[int] | None = None, now: dt.datetime
) -> dict[int, MeetingActivity]:
    """Per committee id: last held meeting, next scheduled one and the count of meetings missing
    minutes, in three grouped queries (not three per committee). `committee_ids` None means
    every committee; committees without any such meeting are left out of the answer."""
    if committee_ids is not None and not committee_ids:
        return {}
    scope: list[ColumnElement[bool]] = []
    if committee_ids is not None:
        scope.append(col(Meeting.committee_id).in_(committee_ids))
    last_held = _one_meeting_per_committee(
        session, func.max(Meeting.start_at), [col(Meeting.status) == "held", *scope]
    )
    next_scheduled = _one_meeting_per_committee(
        session,
        func.min(Meeting.start_at),
        [col(Meeting.status) == "scheduled", col(Meeting.start_at) >= now, *scope],
    )
    missing: dict[int, int] = dict(
        session.exec(
            select(Meeting.committee_id, func.count())
            .where(missing_minutes_condition(now), *scope)
            .group_by(col(Meeting.committee_id))
        ).all()
    )
    return {
        committee_id: MeetingActivity(
            last_held=last_held.get(committee_id),
            next_scheduled=next_scheduled.get(committee_id),
            missing_minutes=missing.get(committee_id, 0),
        )
        for committee_id in last_held.keys() | next_scheduled.keys() | missing.keys()
    }


def _one_meeting_per_committee(
    session: Session, start: ColumnElement[dt.datetime], where: list[ColumnElement[bool]]
) -> dict[int, Meeting]:
    """The meeting whose start is `start` (max or min) among those matching `where`, per
    committee. A committee has one meeting per start time (unique constraint)."""
    chosen = (
        select(col(Meeting.committee_id).label("committee_id"), start.label("start_at"))
        .where(*where)
        .group_by(col(Meeting.committee_id))
        .subquery()
    )
    meetings = session.exec(
        select(Meeting).join(
            chosen,
            and_(
                col(Meeting.committee_id) == chosen.c.committee_id,
                col(Meeting.start_at) == chosen.c.start_at,
            ),
        )
    ).all()
    return {meeting.committee_id: meeting for meeting in meetings}


# --- rosters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterEntry:
    person: Person
    membership: Membership


def roster_on(session: Session, committee_id: int, day: dt.date) -> list[RosterEntry]:
    """Who was on the committee on `day` (a local date): chair first, then by role and name.

    A person with two overlapping memberships (a role change) is listed once, in the
    higher-ranked role.
    """
    rows = session.exec(
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(Membership.committee_id == committee_id)
    ).all()
    active = [(m, p) for m, p in rows if m.active_on(day)]
    active.sort(key=lambda mp: (ROLE_ORDER.get(mp[0].role, 9), mp[1].name.casefold(), mp[1].id))
    seen: set[int | None] = set()
    roster = []
    for membership, person in active:
        if person.id in seen:
            continue
        seen.add(person.id)
        roster.append(RosterEntry(person=person, membership=membership))
    return roster


# --- the meeting list -----------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFilters:
    status: str | None = None
    year: int | None = None
    missing_only: bool = False

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in MEETING_STATUSES:
            raise ValueError(f"unknown meeting status {self.status!r}")


@dataclass(frozen=True)
class MeetingListRow:
    meeting: Meeting
    minutes_status: str | None
    present: int
    is_past: bool


def _year_bounds(year: int, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, 1, 1, tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone).astimezone(dt.UTC)
    return start, end


def _meeting_conditions(
    committee_id: int, filters: MeetingFilters, now: dt.datetime
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Meeting.committee_id == committee_id]  # type: ignore[list-item]
    if filters.status:
        conditions.append(Meeting.status == filters.status)  # type: ignore[arg-type]
    if filters.year:
        start, end = _year_bounds(filters.year, county_zone())
        conditions.append(and_(col(Meeting.start_at) >= start, col(Meeting.start_at) < end))
    if filters.missing_only:
        conditions.append(missing_minutes_condition(now))
    return conditions


def list_meetings(
    session: Session,
    committee_id: int,
    *,
    filters: MeetingFilters,
    page: int,
    per_page: int = MEETINGS_PER_PAGE,
    now: dt.datetime | None = None,
) -> tuple[list[MeetingListRow], int]:
    """One page of a committee's meetings, newest first, with the total count for paging."""
    now = now or utcnow()
    conditions = _meeting_conditions(committee_id, filters, now)
    total = session.exec(select(func.count()).select_from(Meeting).where(*conditions)).one()
    has_revision = exists().where(col(MinutesRevision.meeting_id) == col(Meeting.id))
    present = (
        select(func.count())
        .select_from(Attendance)
        .where(Attendance.meeting_id == Meeting.id, Attendance.status == "present")
        .scalar_subquery()
    )
    query = (
        select(Meeting, Minutes.status, has_revision, present)
        .join(Minutes, col(Minutes.meeting_id) == Meeting.id, isouter=True)
        .where(*conditions)
        .order_by(col(Meeting.start_at).desc(), col(Meeting.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    rows = [
        MeetingListRow(
            meeting=meeting,
            minutes_status=(minutes_status or "draft") if has_text else None,
            present=present_count or 0,
            is_past=meeting.start_at < now,
        )
        for meeting, minutes_status, has_text, present_count in session.exec(query).all()
    ]
    return rows, total


def meeting_years(session: Session, committee_id: int) -> list[int]:
    """The local years in which the committee has meetings, newest first (for the filter)."""
    starts = session.exec(select(Meeting.start_at).where(Meeting.committee_id == committee_id))
    zone = county_zone()
    return sorted({start.astimezone(zone).year for start in starts}, reverse=True)


def missing_minutes_count(session: Session, committee_id: int, *, now: dt.datetime) -> int:
    return session.exec(
        select(func.count())
        .select_from(Meeting)
        .where(Meeting.committee_id == committee_id, missing_minutes_condition(now))
    ).one()


# --- scheduling from the rule ---------------------------------------------------------------


def parse_rule(rule_text: str, *, dtstart: dt.datetime) -> rrule:
    """The committee's RRULE, anchored at `dtstart` (naive county-local wall-clock time).

    Times in the rule (BYHOUR, BYMINUTE) are county wall-clock times; the caller converts each
    occurrence to UTC with the zone, so 6:30 pm stays 6:30 pm on both sides of a DST change.
    """
    lines = [line.strip() for line in rule_text.strip().splitlines() if line.strip()]
    rule_lines = [line for line in lines if not line.upper().startswith(("DTSTART", "TZID"))]
    if len(rule_lines) != 1:
        raise ValueError("expected exactly one RRULE")
    body = rule_lines[0]
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    if "BYHOUR=" not in body.upper():
        dtstart = dtstart.replace(hour=18, minute=0)
    parsed = rrulestr(body, dtstart=dtstart, ignoretz=True)
    if not isinstance(parsed, rrule):  # pragma: no cover - one line gives one rrule
        raise ValueError("expected a single recurrence rule")
    return parsed


def planned_starts(
    rule_text: str, *, months: int, now: dt.datetime, zone: ZoneInfo
) -> list[dt.datetime]:
    """UTC start times the rule gives from `now` until the same local day `months` later."""
    local_now = now.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
    window_start = local_now.replace(hour=0, minute=0)
    window_end = window_start + relativedelta(months=months, days=1)
    rule = parse_rule(rule_text, dtstart=window_start)
    limit = MAX_MEETINGS_PER_MONTH * months
    # Walk the rule lazily and stop past the limit: a rule saved before rules were checked could
    # give a meeting every minute, and `between` would build the whole list first.
    occurrences = list(islice(rule.xafter(window_start, inc=True), limit + 1))
    in_window = [o for o in occurrences if o < window_end]
    if len(in_window) > limit:
        raise ValueError(
            f"it gives more than {limit} meetings in {months} month(s); "
            "an administrator can correct it on the committee's admin page"
        )
    starts = []
    for occurrence in in_window:
        start = occurrence.replace(tzinfo=zone).astimezone(dt.UTC)
        if start >= now:
            starts.append(start)
    return starts


def schedule_next_meetings(
    session: Session,
    committee_id: int,
    *,
    months: int,
    viewer: Viewer,
    now: dt.datetime | None = None,
) -> tuple[int, int]:
    """Create the committee's meetings from its rule for the next `months` months, if the
    viewer may change the committee (see `create_meetings_from_rule`)."""
    committee = get_committee(session, committee_id, viewer=viewer, edit=True)
    return create_meetings_from_rule(session, committee, months=months, now=now, user_id=viewer.id)


def create_meetings_from_rule(
    session: Session,
    committee: Committee,
    *,
    months: int,
    now: dt.datetime | None = None,
    user_id: int | None,
) -> tuple[int, int]:
    """Create the committee's meetings from its rule for the next `months` months (no
    permission check: the caller made it, or is the scheduler); `user_id` None is the scheduler.

    Idempotent: a local date that already has a meeting of this committee (at any hour, in any
    status, cancelled too) gets no second one. Returns (created, already existing).
    """
    assert committee.id is not None
    committee_id = committee.id
    if not 1 <= months <= MAX_SCHEDULE_MONTHS:
        raise InvalidInput({"months": f"Choose between 1 and {MAX_SCHEDULE_MONTHS} months."})
    if not committee.active:
        raise InvalidInput({"months": "This committee is inactive; it has no meetings to plan."})
    if not committee.meeting_rule:
        raise InvalidInput(
            {"months": "This committee has no meeting rule. Create meetings by hand instead."}
        )
    now = now or utcnow()
    zone = county_zone()
    try:
        starts = planned_starts(committee.meeting_rule, months=months, now=now, zone=zone)
    except (ValueError, TypeError) as error:
        raise InvalidInput(
            {"months": f"The committee's meeting rule cannot be read ({error})."}
        ) from error
    taken = _local_dates_with_meetings(session, committee_id, starts, zone)
    created: list[Meeting] = []
    for start in starts:
        day = local_date(start, zone)
        if day in taken:
            continue
        taken.add(day)
        meeting = Meeting(
            committee_id=committee_id,
            start_at=start,
            end_at=start + dt.timedelta(minutes=committee.meeting_minutes),
            place=committee.default_place,
            status="scheduled",
            from_rule=True,
        )
        session.add(meeting)
        created.append(meeting)
    session.flush()
    existing = len(starts) - len(created)
    audit.record(
        session,
        user_id=user_id,
        action="schedule_meetings",
        entity_type="committee",
        entity_id=committee.id,
        city_id=committee.city_id,
        summary=f"Scheduled {plural(len(created), 'meeting')} of {committee.name} for the next "
        f"{plural(months, 'month')}; {plural(existing, 'date')} already had one",
        after={
            "months": months,
            "created": [m.start_at.isoformat() for m in created],
            "already_existing": existing,
        },
    )
    return len(created), existing


def _local_dates_with_meetings(
    session: Session, committee_id: int, starts: list[dt.datetime], zone: ZoneInfo
) -> set[dt.date]:
    if not starts:
        return set()
    # A local day spans at most 25 hours of UTC; a day of margin either side is plenty.
    lower = min(starts) - dt.timedelta(days=1)
    upper = max(starts) + dt.timedelta(days=1)
    existing = session.exec(
        select(Meeting.start_at).where(
            Meeting.committee_id == committee_id,
            col(Meeting.start_at) >= lower,
            col(Meeting.start_at) <= upper,
        )
    ).all()
    return {local_date(start, zone) for start in existing}
