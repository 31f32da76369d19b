"""What each role sees first: upcoming meetings, recent ones, and minutes still missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.auth.permissions import Viewer, visible_committees
from jcpp.committees.service import MeetingActivity, meeting_activity, missing_minutes_condition
from jcpp.models import City, Committee, Meeting, Minutes
from jcpp.models.base import utcnow


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    committee: Committee
    city: City
    minutes_status: str | None


CADENCE_DAYS = 35  # the partnership's promise: a meeting at least monthly


@dataclass(frozen=True)
class CityStatus:
    city: City
    last_held: Meeting | None
    next_scheduled: Meeting | None
    missing_minutes: int
    days_since_held: int | None  # county calendar days: yesterday evening is 1, not 0

    @property
    def behind(self) -> bool:
        """No meeting held within the cadence the partnership promises."""
        return self.days_since_held is None or self.days_since_held > CADENCE_DAYS


@dataclass(frozen=True)
class Summary:
    upcoming_30_days: int
    missing_minutes: int
    committees: int


def _meeting_rows(
    session: Session, viewer: Viewer, *where: object, order: object, limit: int
) -> list[MeetingRow]:
    query = (
        select(Meeting, Committee, City, Minutes.status)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .join(City, col(City.id) == Committee.city_id)
        .join(Minutes, col(Minutes.meeting_id) == Meeting.id, isouter=True)
        .where(visible_committees(viewer), *where)  # type: ignore[arg-type]
        .order_by(order)  # type: ignore[arg-type]
        .limit(limit)
    )
    return [MeetingRow(m, c, city, s) for m, c, city, s in session.exec(query).all()]


def upcoming_meetings(
    session: Session, *, viewer: Viewer, limit: int = 8, now: dt.datetime | None = None
) -> list[MeetingRow]:
    now = now or utcnow()
    return _meeting_rows(
        session,
        viewer,
        col(Meeting.start_at) >= now,
        Meeting.status == "scheduled",
        order=col(Meeting.start_at).asc(),
        limit=limit,
    )


def recent_meetings(
    session: Session, *, viewer: Viewer, limit: int = 8, now: dt.datetime | None = None
) -> list[MeetingRow]:
    now = now or utcnow()
    return _meeting_rows(
        session,
        viewer,
        col(Meeting.start_at) < now,
        Meeting.status != "cancelled",
        order=col(Meeting.start_at).desc(),
        limit=limit,
    )


def meetings_missing_minutes(
    session: Session, *, viewer: Viewer, limit: int = 20, now: dt.datetime | None = None
) -> list[MeetingRow]:
    now = now or utcnow()
    return _meeting_rows(
        session,
        viewer,
        missing_minutes_condition(now),
        order=col(Meeting.start_at).desc(),
        limit=limit,
    )


def city_overview(session: Session, *, now: dt.datetime | None = None) -> list[CityStatus]:
    """For county staff: every city's last held meeting, next one, and meetings missing minutes
    (the committees' figures, from the same grouped queries as the committee list)."""
    now = now or utcnow()
    by_committee = meeting_activity(session, now=now)
    per_city: dict[int, list[MeetingActivity]] = {}
    for committee_id, city_id in session.exec(select(Committee.id, Committee.city_id)).all():
        if committee_id in by_committee:
            per_city.setdefault(city_id, []).append(by_committee[committee_id])
    rows = []
    for city in session.exec(select(City).order_by(City.name)).all():
        seen = MeetingActivity.combine(per_city.get(city.id or 0, []))
        last = seen.last_held
        days = clock.days_between(last.start_at, now) if last else None
        rows.append(CityStatus(city, last, seen.next_scheduled, seen.missing_minutes, days))
    return rows


def summary(session: Session, *, viewer: Viewer, now: dt.datetime | None = None) -> Summary:
    """The figures at the top of the home page, over what the viewer may see."""
    now = now or utcnow()

    def count(*where: object) -> int:
        query = (
            select(func.count())
            .select_from(Meeting)
            .join(Committee, col(Committee.id) == Meeting.committee_id)
            .where(visible_committees(viewer), *where)  # type: ignore[arg-type]
        )
        return session.exec(query).one()

    upcoming = count(
        col(Meeting.start_at) >= now,
        col(Meeting.start_at) < now + dt.timedelta(days=30),
        Meeting.status == "scheduled",
    )
    committees = session.exec(
        select(func.count()).select_from(Committee).where(visible_committees(viewer))
    ).one()
    return Summary(upcoming, count(missing_minutes_condition(now)), committees)
