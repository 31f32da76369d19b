"""Seeded data for the API tests: two cities' committees with meetings, minutes, topics with
evidence, concerns and follow-ups (the trend counts follow from them when the seed is committed,
as the app keeps them); and tokens to call the API with."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from sqlmodel import Session

from jcpp.models import (
    Committee,
    Concern,
    ConcernTopic,
    FollowUp,
    Meeting,
    MeetingTopic,
    Topic,
    TopicMention,
    User,
)
from jcpp.tokens.service import create_token
from tests.factories import create_meeting, create_minutes
from tests.meetings.helpers import World, build_world


@dataclass
class Side:
    """What one committee has."""

    committee: Committee
    meetings: list[Meeting] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    mentions: list[TopicMention] = field(default_factory=list)


@dataclass
class ApiWorld:
    world: World
    topic: Topic
    own: Side
    other: Side


def bearer(session: Session, user: User, **kw: object) -> dict[str, str]:
    _, raw = create_token(session, user=user, name="test", **kw)  # type: ignore[arg-type]
    session.commit()  # a savepoint: an error answer's rollback keeps the token
    return {"Authorization": f"Bearer {raw}"}


def _side(session: Session, committee: Committee, topic: Topic, meetings: int) -> Side:
    side = Side(committee)
    for n in range(meetings):
        start = dt.datetime(2026, 1 + n % 12, 15, 0, 30, tzinfo=dt.UTC) + dt.timedelta(
            days=40 * (n // 12)
        )
        meeting = create_meeting(session, committee=committee, start_at=start, status="held")
        create_minutes(session, meeting=meeting, texts=["Draft.", "Speeding on Elm Street."])
        session.add(MeetingTopic(meeting_id=meeting.id or 0, topic_id=topic.id or 0))
        mention = TopicMention(
            meeting_id=meeting.id or 0,
            revision_number=2,
            topic_id=topic.id or 0,
            start=0,
            end=8,
            text="Speeding",
            sentence_start=0,
            sentence_end=24,
            sentence="Speeding on Elm Street.",
            score=1.0,
            matched="speeding",
            pipeline_version="test",
        )
        concern = Concern(
            meeting_id=meeting.id or 0, revision_number=2, start=0, end=23, text="Speeding on Elm"
        )
        follow_up = FollowUp(
            meeting_id=meeting.id or 0,
            title="Radar trailer on Elm",
            owner_text="Sgt. Lee",
            due_date=dt.date(2026, 2 + n % 10, 1),
        )
        session.add_all([mention, concern, follow_up])
        session.flush()
        session.add(ConcernTopic(concern_id=concern.id or 0, topic_id=topic.id or 0))
        side.meetings.append(meeting)
        side.mentions.append(mention)
        side.concerns.append(concern)
        side.follow_ups.append(follow_up)
    session.flush()
    return side


def seed(session: Session, *, meetings: int = 3) -> ApiWorld:
    world = build_world(session)
    n = secrets.token_hex(3)
    topic = Topic(slug=f"traffic-{n}", name=f"Traffic {n}", terms=["speeding"])
    session.add(topic)
    session.flush()
    own = _side(session, world.committee, topic, meetings)
    other = _side(session, world.other_committee, topic, meetings)
    session.commit()  # a savepoint (tests/conftest.py): error answers roll back to here
    return ApiWorld(world, topic, own, other)
