"""What each role sees first: upcoming meetings, recent ones, and minutes still missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Exists, and_, exists, func
from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer, visible_committees
from jcpp.models import City, Committee, Meeting, Minutes, MinutesRevision
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
    days_since_held: int | None

    @property
    def behind(self) -> bool:
        """No meeting held within the cadence the partnership promises."""
        return self.days_since_held is None or self.days_since_held > CADENCE_DAYS


@dataclass(frozen=True)
class Summary:
    upcoming_30_days: int
    missing_minutes: int
    committees: int


def _has_minutes() -> Exists:
    return exists().where(col(MinutesRevision.meeting_id) == col(Meeting.id))


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


def missing_minutes_condition(now: dt.datetime) -> ColumnElement[bool]:
    """A meeting that has taken place (not cancelled) and has no minutes yet."""
    return and_(col(Meeting.start_at) < now, col(Meeting.status) != "cancelled", ~_has_minutes())


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
    """For county staff: every city's last held meeting, next one, and meetings missing minutes."""
    now = now or utcnow()
    rows = []
    for city in session.exec(select(City).order_by(City.name)).all():
        in_city = and_(col(Committee.city_id) == city.id, col(Committee.id) == Meeting.committee_id)
        last_held = session.exec(
            select(Meeting)
            .join(Committee, in_city)
            .where(Meeting.status == "held")
            .order_by(col(Meeting.start_at).desc())
            .limit(1)
        ).first()
        next_scheduled = session.exec(
            select(Meeting)
            .join(Committee, in_city)
            .where(Meeting.status == "scheduled", col(Meeting.start_at) >= now)
            .order_by(col(Meeting.start_at).asc())
            .limit(1)
        ).first()
        missing = session.exec(
            select(func.count())
            .select_from(Meeting)
            .join(Committee, in_city)
            .where(missing_minutes_condition(now))
        ).one()
        days = (now - last_held.start_at).days if last_held else None
        rows.append(CityStatus(city, last_held, next_scheduled, missing, days))
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
