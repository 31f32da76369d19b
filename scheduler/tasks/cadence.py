"""The "at least monthly" promise: a city whose committees have held no meeting in 35 days is
reported to county staff, once per city per lapse (a lapse ends when a meeting is held)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.committees.service import meeting_activity
from jcpp.mail.preferences import CADENCE_ALERT
from jcpp.models import City, Committee, Meeting
from jcpp.wording import plural
from scheduler.tasks.common import county_staff, email

LAPSE_DAYS = 35


@dataclass(frozen=True)
class Lapse:
    city: City
    last_held: Meeting | None  # None: no meeting held since the city joined
    since: dt.datetime

    def days(self, now: dt.datetime) -> int:
        """County calendar days since the last held meeting (or the joining)."""
        return clock.days_between(self.since, now)


def lapsed_cities(session: Session, *, now: dt.datetime) -> list[Lapse]:
    """Cities with an active committee whose last held meeting (or, if none, their joining)
    is more than LAPSE_DAYS county days ago, longest lapse first."""
    committees = session.exec(select(Committee).where(col(Committee.active).is_(True))).all()
    activity = meeting_activity(session, committee_ids=[c.id or 0 for c in committees], now=now)
    last_held: dict[int, Meeting] = {}
    for committee in committees:
        held = activity.get(committee.id or 0)
        meeting = held.last_held if held else None
        known = last_held.get(committee.city_id)
        if meeting is not None and (known is None or meeting.start_at > known.start_at):
            last_held[committee.city_id] = meeting
    city_ids = sorted({c.city_id for c in committees})
    cities = session.exec(select(City).where(col(City.id).in_(city_ids or [-1]))).all()
    lapses = []
    for city in cities:
        meeting = last_held.get(city.id or 0)
        since = meeting.start_at if meeting else city.created_at
        if clock.days_between(since, now) > LAPSE_DAYS:
            lapses.append(Lapse(city, meeting, since))
    return sorted(lapses, key=lambda lapse: (lapse.since, lapse.city.name))


def alert_lapsed_cities(session: Session, *, now: dt.datetime, period: str) -> str:
    """E-mail county staff and administrators about each city without a meeting held in 35
    days; the same lapse (same last held meeting) is reported once."""
    lapses = lapsed_cities(session, now=now)
    staff = county_staff(session)
    emails = 0
    for lapse in lapses:
        mark = lapse.last_held.id if lapse.last_held else "none"
        for user in staff:
            emails += email(
                session,
                user=user,
                kind=CADENCE_ALERT,
                key=f"cadence:{lapse.city.id}:{mark}:{user.id}",
                subject=f"{lapse.city.name}: no meeting held in {lapse.days(now)} days",
                name="notice_cadence_alert",
                lapse=lapse,
                days=lapse.days(now),
                limit=LAPSE_DAYS,
                committees_url="/committees",
            )
    return f"{plural(len(lapses), 'city', 'cities')} without a meeting in {LAPSE_DAYS} days: " + (
        f"{plural(emails, 'e-mail')} queued"
    )
