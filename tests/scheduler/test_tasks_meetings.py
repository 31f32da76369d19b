"""The job that plans meetings from each committee's rule, three months ahead, with a controlled
clock (now: Tuesday Nov 24, 2026, 10:00 in the county)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.models import AuditEvent, Committee, Meeting
from scheduler.tasks.meetings import create_upcoming_meetings
from tests.factories import create_committee, create_meeting


def starts(session: Session, committee: Committee) -> list[str]:
    meetings = session.exec(
        select(Meeting).where(Meeting.committee_id == committee.id).order_by(col(Meeting.start_at))
    ).all()
    return [f"{m.start_at.astimezone(clock.zone()):%Y-%m-%d %H:%M} {m.status}" for m in meetings]


def test_meetings_of_the_next_three_months_are_created_once(
    session: Session, at: list[dt.datetime]
) -> None:
    committee = create_committee(session)  # third Wednesday, 6:30 pm
    create_meeting(  # December's, already planned by hand and cancelled: kept, not doubled
        session,
        committee=committee,
        start_at=dt.datetime(2026, 12, 17, 0, 0, tzinfo=dt.UTC),
        status="cancelled",
    )
    idle = create_committee(session, active=False)

    outcome = create_upcoming_meetings(session, now=at[0], period="2026-11-24")

    assert starts(session, committee) == [
        "2026-12-16 18:00 cancelled",
        "2027-01-20 18:30 scheduled",
        "2027-02-17 18:30 scheduled",
    ]
    assert starts(session, idle) == []
    assert outcome.startswith("2 meetings created for 1 committee")
    event = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "schedule_meetings", AuditEvent.entity_id == committee.id
        )
    ).one()
    assert event.user_id is None  # the scheduler, not a person

    again = create_upcoming_meetings(session, now=at[0], period="2026-11-24")

    assert len(starts(session, committee)) == 3
    assert again.startswith("0 meetings created")


def test_a_rule_that_cannot_be_read_is_reported_and_the_others_are_still_planned(
    session: Session, at: list[dt.datetime]
) -> None:
    broken = create_committee(session, name="Broken MAC", meeting_rule="FREQ=SOMETIMES")
    fine = create_committee(session)

    outcome = create_upcoming_meetings(session, now=at[0], period="2026-11-24")

    assert starts(session, broken) == []
    assert len(starts(session, fine)) == 3
    assert "rule unreadable: Broken MAC" in outcome
