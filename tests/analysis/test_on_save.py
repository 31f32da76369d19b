"""Saving minutes analyses the new revision in the same request, and a failing analysis
never costs the text."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from jcpp.analysis import service as analysis_service
from jcpp.auth.permissions import load_viewer
from jcpp.minutes import service as minutes_service
from jcpp.models import MeetingTopic, MinutesAnalysis, MinutesRevision, Topic
from tests.analysis.helpers import load_topics
from tests.factories import create_meeting
from tests.meetings.helpers import World, build_world

SPEEDING = (
    "3. Chief's report\n"
    "Residents on Elm Street say drivers are speeding past the school at pickup time.\n"
    "Lt. Okafor will bring stop data to the next meeting.\n"
)


@pytest.fixture
def world(session: Session) -> World:
    load_topics(session)
    return build_world(session)


def test_saving_minutes_proposes_topics_for_the_new_revision(
    session: Session, world: World
) -> None:
    meeting = create_meeting(session, committee=world.committee)
    liaison = load_viewer(session, world.users["liaison"])

    outcome = minutes_service.save_minutes(
        session, meeting.id or 0, text=SPEEDING, base_revision=0, note=None, by=liaison
    )

    analysis = session.exec(
        select(MinutesAnalysis).where(MinutesAnalysis.meeting_id == meeting.id)
    ).one()
    assert analysis.revision_number == outcome.revision.number
    slugs = set(
        session.exec(
            select(Topic.slug)
            .join(MeetingTopic, col(MeetingTopic.topic_id) == Topic.id)
            .where(MeetingTopic.meeting_id == meeting.id)
        ).all()
    )
    assert "traffic-safety" in slugs


def test_a_failing_analysis_still_saves_the_minutes_and_stores_no_findings(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = create_meeting(session, committee=world.committee)
    liaison = load_viewer(session, world.users["liaison"])
    real = analysis_service.store_analysis

    def half_then_fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        real(*args, **kwargs)  # writes everything, then the analysis fails
        raise RuntimeError("pipeline broke")

    monkeypatch.setattr(analysis_service, "store_analysis", half_then_fail)

    outcome = minutes_service.save_minutes(
        session, meeting.id or 0, text=SPEEDING, base_revision=0, note=None, by=liaison
    )

    assert outcome.created
    stored = session.exec(
        select(MinutesRevision).where(MinutesRevision.meeting_id == meeting.id)
    ).one()
    assert stored.text == SPEEDING
    assert (
        session.exec(
            select(MinutesAnalysis).where(MinutesAnalysis.meeting_id == meeting.id)
        ).first()
        is None
    )
    assert (
        session.exec(select(MeetingTopic).where(MeetingTopic.meeting_id == meeting.id)).first()
        is None
    )
