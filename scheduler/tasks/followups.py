"""Chasing what a meeting left to do: minutes still missing 3 and 7 days after a meeting (to the
city's liaisons), and follow-ups due in 3 days or overdue (to the owner and the city's
liaisons). Each notice goes once per meeting (or follow-up and due date), day and person."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.boards.service import OUTSTANDING_STATUSES
from jcpp.committees.service import missing_minutes_condition
from jcpp.mail.preferences import FOLLOW_UP_DUE, MINUTES_MISSING
from jcpp.models import City, Committee, FollowUp, Meeting, User
from jcpp.wording import plural
from scheduler.tasks.common import email, liaisons_of, local_day, notify_once

MINUTES_DAYS = (3, 7)
# A run missed (the scheduler down) still sends a notice up to this many days late; older
# meetings and follow-ups are left to the weekly digest, not sent one e-mail each.
CATCH_UP_DAYS = 3
DUE_SOON_DAYS = 3
OVERDUE_CATCH_UP_DAYS = 7


def _meetings_of_day(
    session: Session, now: dt.datetime, days: int
) -> list[tuple[Meeting, Committee, City]]:
    """Meetings without minutes held `days` (to `days` + CATCH_UP_DAYS) county days ago."""
    today = clock.local_date(now)
    start = clock.day_start(today - dt.timedelta(days=days + CATCH_UP_DAYS))
    end = clock.day_start(today - dt.timedelta(days=days - 1))
    rows = session.exec(
        select(Meeting, Committee, City)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .join(City, col(City.id) == Committee.city_id)
        .where(missing_minutes_condition(now), col(Meeting.start_at) >= start)
        .where(col(Meeting.start_at) < end)
        .order_by(col(Meeting.start_at), col(Meeting.id))
    ).all()
    return [(meeting, committee, city) for meeting, committee, city in rows]


def remind_missing_minutes(session: Session, *, now: dt.datetime, period: str) -> str:
    """Tell each city's liaisons of its meetings whose minutes are still missing 3 and 7 days
    after (an e-mail and an in-app notice each time)."""
    emails = notices = meetings = 0
    for days in MINUTES_DAYS:
        found = _meetings_of_day(session, now, days)
        liaisons = liaisons_of(session, [city.id or 0 for _m, _c, city in found])
        for meeting, committee, city in found:
            meetings += 1
            held = local_day(meeting.start_at)
            for user in liaisons.get(city.id or 0, []):
                emails += email(
                    session,
                    user=user,
                    kind=MINUTES_MISSING,
                    key=f"minutes-missing:{days}:{meeting.id}:{user.id}",
                    subject=f"Minutes still missing: {committee.name}, {held}",
                    name="notice_minutes_missing",
                    meeting=meeting,
                    committee=committee,
                    city=city,
                    days=days,
                    meeting_url=f"/meetings/{meeting.id}",
                )
                notices += notify_once(
                    session,
                    user=user,
                    kind=MINUTES_MISSING,
                    message=f"The minutes of {committee.name}'s meeting of {held} are still "
                    f"missing ({days} days after).",
                )
    return (
        f"{plural(meetings, 'meeting')} still without minutes: {plural(emails, 'e-mail')} "
        f"queued, {plural(notices, 'in-app notice')}"
    )


# ---------------------------------------------------------------- follow-ups


def _follow_ups_due(
    session: Session, first: dt.date, last: dt.date
) -> list[tuple[FollowUp, Committee, City]]:
    """Outstanding follow-ups due from `first` to `last` (county dates), soonest first."""
    rows = session.exec(
        select(FollowUp, Committee, City)
        .join(Meeting, col(Meeting.id) == FollowUp.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .join(City, col(City.id) == Committee.city_id)
        .where(col(FollowUp.status).in_(OUTSTANDING_STATUSES))
        .where(col(FollowUp.due_date) >= first, col(FollowUp.due_date) <= last)
        .order_by(col(FollowUp.due_date), col(FollowUp.id))
    ).all()
    return [(follow_up, committee, city) for follow_up, committee, city in rows]


def _told(session: Session, follow_up: FollowUp, liaisons: list[User]) -> list[User]:
    """The owner (an active account) and the city's liaisons, each once."""
    people = list(liaisons)
    if follow_up.owner_user_id is not None:
        owner = session.get(User, follow_up.owner_user_id)
        if owner is not None and owner.active:
            people.insert(0, owner)
    return list({user.id: user for user in people}.values())


def remind_follow_ups(session: Session, *, now: dt.datetime, period: str) -> str:
    """Tell the owner and the city's liaisons of each follow-up due within 3 days, and again
    once it is overdue (once per due date: a new due date is a new reminder)."""
    today = clock.local_date(now)
    groups = {
        "due": _follow_ups_due(session, today, today + dt.timedelta(days=DUE_SOON_DAYS)),
        "overdue": _follow_ups_due(
            session, today - dt.timedelta(days=OVERDUE_CATCH_UP_DAYS), today - dt.timedelta(days=1)
        ),
    }
    cities = [city.id or 0 for rows in groups.values() for _f, _c, city in rows]
    liaisons = liaisons_of(session, cities)
    emails = notices = 0
    for state, rows in groups.items():
        for follow_up, committee, city in rows:
            due = local_day(follow_up.due_date or today)
            words = f"is due {due}" if state == "due" else f"was due {due} and is overdue"
            for user in _told(session, follow_up, liaisons.get(city.id or 0, [])):
                emails += email(
                    session,
                    user=user,
                    kind=FOLLOW_UP_DUE,
                    key=f"follow-up-{state}:{follow_up.id}:{follow_up.due_date}:{user.id}",
                    subject=f"Follow-up {'due soon' if state == 'due' else 'overdue'}: "
                    f"{follow_up.title}",
                    name="notice_follow_up_due",
                    follow_up=follow_up,
                    committee=committee,
                    city=city,
                    overdue=state == "overdue",
                    owner=user.id == follow_up.owner_user_id,
                    follow_up_url=f"/follow-ups/{follow_up.id}",
                )
                notices += notify_once(
                    session,
                    user=user,
                    kind=FOLLOW_UP_DUE,
                    message=f"The follow-up “{follow_up.title}” {words}.",
                    follow_up_id=follow_up.id,
                )
    return (
        f"{plural(len(groups['due']), 'follow-up')} due soon, {len(groups['overdue'])} newly "
        f"overdue: {plural(emails, 'e-mail')} queued, {plural(notices, 'in-app notice')}"
    )
