"""Follow-ups, concerns and recurring concerns for the board tests, and a fixed county day."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from sqlmodel import Session, select

from jcpp import clock
from jcpp.models import (
    Concern,
    FollowUp,
    FollowUpTopic,
    Meeting,
    RecurringConcern,
    RecurringConcernMember,
    Topic,
    User,
)
from jcpp.topics.service import ensure_default_topics

# Sunday 15 March 2026 in the county (America/Chicago, UTC-5 then): the day the tests run on.
TODAY = dt.date(2026, 3, 15)
NOON_TODAY = dt.datetime(2026, 3, 15, 17, 0, tzinfo=dt.UTC)
_seq = itertools.count(1)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)  # type: ignore[misc]


def create_follow_up(
    session: Session,
    *,
    meeting: Meeting,
    owner_user: User | None = None,
    topics: tuple[str, ...] = (),
    **kw: Any,
) -> FollowUp:
    """A follow-up of `meeting`; `topics` are topic slugs of the shipped list."""
    follow_up = FollowUp(
        **{
            "meeting_id": meeting.id,
            "title": f"Follow-up {next(_seq)}",
            "owner_user_id": owner_user.id if owner_user else None,
            **kw,
        }
    )
    session.add(follow_up)
    session.flush()
    if topics:
        ensure_default_topics(session)
    for slug in topics:
        topic = session.exec(select(Topic).where(Topic.slug == slug)).one()
        session.add(FollowUpTopic(follow_up_id=follow_up.id or 0, topic_id=topic.id or 0))
    session.flush()
    return follow_up


def create_concern(session: Session, *, meeting: Meeting, text: str = "Speeding") -> Concern:
    concern = Concern(
        meeting_id=meeting.id or 0,
        revision_number=1,
        start=0,
        end=len(text),
        text=text,
        state="confirmed",
    )
    session.add(concern)
    session.flush()
    return concern


def create_recurring(
    session: Session, members: list[tuple[Meeting, str]], title: str = "Recurring"
) -> RecurringConcern:
    """A recurring concern with one concern per (meeting, member state)."""
    recurring = RecurringConcern(title=title)
    session.add(recurring)
    session.flush()
    for meeting, state in members:
        concern = create_concern(session, meeting=meeting)
        session.add(
            RecurringConcernMember(
                recurring_id=recurring.id or 0, concern_id=concern.id or 0, state=state
            )
        )
    session.flush()
    return recurring


@pytest.fixture
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The app's clock stands at noon on TODAY."""
    monkeypatch.setattr(clock, "utcnow", lambda: NOON_TODAY)
    assert clock.today() == TODAY
    return TODAY
