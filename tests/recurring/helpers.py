"""Concerns raised at meetings on given days, without the pipeline: the recurrence rules are
tested apart from the pipeline's tuning (one test goes through it, test_on_analysis.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session, col, select

from jcpp.models import (
    Committee,
    Concern,
    ConcernTopic,
    FollowUp,
    FollowUpConcern,
    FollowUpEvent,
    Meeting,
    RecurringConcern,
    RecurringConcernMember,
    Topic,
)
from tests.meetings.helpers import local_start

SPEEDING = "Residents said drivers are speeding past Lincoln Elementary on Elm Street at pickup."
SPEEDING_AGAIN = "Parents again raised speeding past Lincoln Elementary on Elm Street at pickup."
SPEEDING_ELSEWHERE = "Ms. Farah said drivers speed past Lincoln Elementary on Elm Street at pickup."
INTERPRETERS = "A member asked why interpreters are not available at the front desk."


def topic_id(session: Session, slug: str) -> int:
    return session.exec(select(Topic.id).where(Topic.slug == slug)).one() or 0


def meeting_on(session: Session, committee: Committee, day: dt.date) -> Meeting:
    """A meeting at 6:30 pm county time on `day`."""
    return local_start(session, committee, day)


def raise_concern(
    session: Session,
    meeting: Meeting,
    text: str,
    *,
    topics: Sequence[str] = ("traffic-safety",),
    state: str = "proposed",
) -> Concern:
    concern = Concern(
        meeting_id=meeting.id or 0, revision_number=1, start=0, end=len(text), text=text,
        state=state,
    )  # fmt: skip
    session.add(concern)
    session.flush()
    for slug in topics:
        session.add(ConcernTopic(concern_id=concern.id or 0, topic_id=topic_id(session, slug)))
    session.flush()
    return concern


def members(session: Session, concern: Concern) -> list[RecurringConcernMember]:
    return list(
        session.exec(
            select(RecurringConcernMember).where(RecurringConcernMember.concern_id == concern.id)
        ).all()
    )


def recurring_of(session: Session, concern: Concern) -> RecurringConcern | None:
    """The recurring concern the concern counts in (proposed or confirmed)."""
    rows = [m for m in members(session, concern) if m.state != "split"]
    assert len(rows) <= 1
    return session.get(RecurringConcern, rows[0].recurring_id) if rows else None


def concern_ids_of(session: Session, recurring: RecurringConcern) -> dict[int, str]:
    """Concern id → state of every member of the recurring concern."""
    rows = session.exec(
        select(RecurringConcernMember).where(RecurringConcernMember.recurring_id == recurring.id)
    ).all()
    return {row.concern_id: row.state for row in rows}


def follow_up_for(
    session: Session,
    concern: Concern,
    *,
    title: str = "Speed study on Elm Street",
    history: Sequence[tuple[dt.datetime, str]] = (),
) -> FollowUp:
    """A follow-up made at the concern's meeting, moved through `history` ((when, to status))."""
    follow_up = FollowUp(meeting_id=concern.meeting_id, title=title, owner_text="Public Works")
    session.add(follow_up)
    session.flush()
    session.add(FollowUpConcern(follow_up_id=follow_up.id or 0, concern_id=concern.id or 0))
    status = "open"
    for at, to in history:
        session.add(
            FollowUpEvent(
                follow_up_id=follow_up.id or 0, kind="status", from_status=status, to_status=to,
                at=at,
            )
        )  # fmt: skip
        status = to
        if to == "verified_done":
            follow_up.closed_at = at
    follow_up.status = status
    session.add(follow_up)
    session.flush()
    return follow_up


def all_recurring_ids(session: Session) -> set[int]:
    return set(session.exec(select(RecurringConcern.id)).all()) - {None}  # type: ignore[arg-type]


def newest_members(session: Session, since_id: int) -> list[RecurringConcernMember]:
    return list(
        session.exec(
            select(RecurringConcernMember).where(col(RecurringConcernMember.id) > since_id)
        ).all()
    )
