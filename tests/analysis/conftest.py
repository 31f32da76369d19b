"""A meeting of the world's committee whose minutes were analysed by a hand-made pipeline
result, so that the review rules are tested independently of the rules' tuning."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from jcpp.analysis.store import store_analysis
from jcpp.models import Meeting
from tests.analysis.helpers import OWNER, TEXT, WORRY, add_revision, fake_analysis, load_topics
from tests.factories import create_meeting
from tests.meetings.helpers import World, build_world


@pytest.fixture
def world(session: Session) -> World:
    load_topics(session)
    return build_world(session)


@pytest.fixture
def meeting(session: Session, world: World) -> Meeting:
    """Proposed: the topics language-access and traffic-safety, one concern (WORRY, about
    language access) and one action item (OWNER, Sgt. Moua's, due March 3)."""
    meeting = create_meeting(session, committee=world.committee)
    number = add_revision(session, meeting, TEXT)
    analysis = fake_analysis(
        TEXT,
        topics={"language-access": ["interpreters"], "traffic-safety": ["stop-arm"]},
        concerns=[(WORRY, ["language-access"])],
        actions=[(OWNER, "Sgt. Moua", dt.date(2026, 3, 3))],
    )
    store_analysis(
        session, meeting_id=meeting.id or 0, revision_number=number, text=TEXT,
        analysis=analysis, topic_list_version="v",
    )  # fmt: skip
    return meeting
