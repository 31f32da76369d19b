"""The reminder to a committee's roster two days before its meeting: an e-mail and an in-app
notice to each roster person with an account (linked to the person, or with the person's
address). A roster person without an account gets nothing: the outbox sends only to accounts,
which can turn the e-mails off."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.committees.service import roster_on
from jcpp.mail.preferences import MEETING_REMINDER
from jcpp.models import City, Committee, Meeting, Person, User
from jcpp.wording import plural
from scheduler.tasks.common import email, local_time, notify_once

DAYS_BEFORE = 2


def _upcoming(session: Session, now: dt.datetime) -> list[tuple[Meeting, Committee, City]]:
    """Scheduled meetings from now to the end of the county day two days ahead (a run missed
    yesterday still reminds of tomorrow's meetings)."""
    until = clock.day_start(clock.local_date(now) + dt.timedelta(days=DAYS_BEFORE + 1))
    rows = session.exec(
        select(Meeting, Committee, City)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .join(City, col(City.id) == Committee.city_id)
        .where(Meeting.status == "scheduled", col(Meeting.start_at) >= now)
        .where(col(Meeting.start_at) < until, col(Committee.active).is_(True))
        .order_by(col(Meeting.start_at), col(Meeting.id))
    ).all()
    return [(meeting, committee, city) for meeting, committee, city in rows]


def roster_accounts(session: Session, people: list[Person]) -> list[User]:
    """The active accounts of these people: linked to the person, else with the person's
    address (each account once)."""
    ids = [p.id for p in people if p.id is not None]
    linked = session.exec(select(User).where(col(User.person_id).in_(ids or [-1]))).all()
    by_person = {user.person_id: user for user in linked}
    addresses = {
        person.email.strip().lower()
        for person in people
        if person.id not in by_person and person.email and person.email.strip()
    }
    by_address = session.exec(
        select(User).where(func.lower(User.email).in_(sorted(addresses) or [""]))
    ).all()
    accounts = {user.id: user for user in [*linked, *by_address] if user.active}
    return sorted(accounts.values(), key=lambda user: user.id or 0)


def send_meeting_reminders(session: Session, *, now: dt.datetime, period: str) -> str:
    """Remind the roster of each meeting of the next two days, once per meeting and person."""
    emails = notices = 0
    meetings = _upcoming(session, now)
    for meeting, committee, city in meetings:
        day = clock.local_date(meeting.start_at)
        people = [entry.person for entry in roster_on(session, committee.id or 0, day)]
        when = local_time(meeting.start_at)
        where = f" at {meeting.place}" if meeting.place else ""
        for user in roster_accounts(session, people):
            emails += email(
                session,
                user=user,
                kind=MEETING_REMINDER,
                key=f"reminder:{meeting.id}:{user.id}",
                subject=f"Reminder: {committee.name} meets {when}",
                name="notice_meeting_reminder",
                meeting=meeting,
                committee=committee,
                city=city,
                meeting_url=f"/meetings/{meeting.id}",
            )
            notices += notify_once(
                session,
                user=user,
                kind=MEETING_REMINDER,
                message=f"Reminder: {committee.name} meets {when}{where}.",
            )
    return (
        f"{plural(len(meetings), 'meeting')} in the next {DAYS_BEFORE} days: "
        f"{plural(emails, 'e-mail')} queued, {plural(notices, 'in-app notice')}"
    )
