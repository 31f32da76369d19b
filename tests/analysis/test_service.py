"""Running the real pipeline over stored minutes: analyse_minutes, retag, stale analyses."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, delete, select, update

import nlp
from jcpp.analysis import service
from jcpp.auth.permissions import load_viewer
from jcpp.models import (
    AuditEvent,
    ConcernTopic,
    Meeting,
    MeetingTopic,
    MinutesAnalysis,
    Topic,
    TopicMention,
)
from jcpp.topics import service as topics
from tests.analysis.helpers import add_revision, load_topics
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


def analysis_of(session: Session, meeting: Meeting) -> MinutesAnalysis | None:
    return session.exec(
        select(MinutesAnalysis).where(MinutesAnalysis.meeting_id == meeting.id)
    ).first()


def proposed_slugs(session: Session, meeting: Meeting) -> set[str]:
    return set(
        session.exec(
            select(Topic.slug)
            .join(MeetingTopic, col(MeetingTopic.topic_id) == Topic.id)
            .where(MeetingTopic.meeting_id == meeting.id)
        ).all()
    )


def test_analyse_minutes_stores_the_pipelines_findings(session: Session, world: World) -> None:
    meeting = create_meeting(session, committee=world.committee)
    number = add_revision(session, meeting, SPEEDING)

    result = service.analyse_minutes(
        session, meeting_id=meeting.id or 0, revision_number=number, text=SPEEDING
    )

    assert "traffic-safety" in proposed_slugs(session, meeting)
    assert result.topics_proposed == len(proposed_slugs(session, meeting))
    mentions = session.exec(select(TopicMention).where(TopicMention.meeting_id == meeting.id)).all()
    assert mentions and all(SPEEDING[m.start : m.end] == m.text for m in mentions)
    record = analysis_of(session, meeting)
    assert record is not None
    assert (record.revision_number, record.pipeline_version) == (1, nlp.PIPELINE_VERSION)
    assert record.topic_list_version == topics.topic_list_version(session)


def test_analysis_loads_the_shipped_topic_list_into_an_empty_table(
    session: Session, world: World
) -> None:
    session.exec(delete(ConcernTopic))
    session.exec(delete(TopicMention))
    session.exec(delete(MeetingTopic))
    session.exec(update(Topic).values(merged_into_id=None))
    session.exec(delete(Topic))
    meeting = create_meeting(session, committee=world.committee)
    number = add_revision(session, meeting, SPEEDING)

    service.analyse_minutes(
        session, meeting_id=meeting.id or 0, revision_number=number, text=SPEEDING
    )

    assert len(session.exec(select(Topic)).all()) == 26
    assert "traffic-safety" in proposed_slugs(session, meeting)


def test_retag_reanalyses_newest_minutes_and_clears_staleness(
    session: Session, world: World
) -> None:
    first = create_meeting(session, committee=world.committee)
    second = create_meeting(session, committee=world.other_committee)
    without_minutes = create_meeting(session, committee=world.committee)
    add_revision(session, first, "Old text about parking.")
    add_revision(session, first, SPEEDING)
    add_revision(session, second, SPEEDING)
    assert {first.id, second.id} <= set(service.stale_meeting_ids(session))

    calls: list[tuple[int, int]] = []
    summary = service.retag(
        session,
        meeting_ids=[first.id or 0, second.id or 0, without_minutes.id or 0],
        progress=lambda done, total: calls.append((done, total)),
    )

    assert summary.meetings == 2 and calls == [(1, 2), (2, 2)]
    assert summary.skipped == [without_minutes.id]
    assert analysis_of(session, first).revision_number == 2  # type: ignore[union-attr]
    assert "traffic-safety" in proposed_slugs(session, second)
    stale = set(service.stale_meeting_ids(session))
    assert first.id not in stale and second.id not in stale
    event = session.exec(
        select(AuditEvent)
        .where(AuditEvent.action == "retag_minutes")
        .order_by(col(AuditEvent.id).desc())
    ).first()
    assert event is not None and event.after["meetings"] == 2  # type: ignore[index]


def test_topic_list_change_that_matters_makes_analyses_stale(
    session: Session, world: World
) -> None:
    meeting = create_meeting(session, committee=world.committee)
    add_revision(session, meeting, SPEEDING)
    service.retag(session, meeting_ids=[meeting.id or 0])
    assert meeting.id not in service.stale_meeting_ids(session)
    staff = load_viewer(session, world.users["county_staff"])
    youth = topics.get_topic(session, "youth")

    # A new description changes nothing the pipeline matches.
    changes = topics.TopicChanges(
        name=youth.name, description="Young people", terms=tuple(youth.terms),
        exclusions=tuple(youth.exclusions),
    )  # fmt: skip
    topics.update_topic(session, "youth", changes=changes, version=youth.version, by=staff)
    assert meeting.id not in service.stale_meeting_ids(session)

    topics.set_topic_active(session, "youth", active=False, by=staff)
    assert meeting.id in service.stale_meeting_ids(session)


def test_new_revision_makes_its_meeting_stale(session: Session, world: World) -> None:
    meeting = create_meeting(session, committee=world.committee)
    add_revision(session, meeting, SPEEDING)
    service.retag(session, meeting_ids=[meeting.id or 0])
    add_revision(session, meeting, SPEEDING + "Adjourned at 8 pm.\n")
    assert meeting.id in service.stale_meeting_ids(session)


def test_retag_commits_in_batches_through_the_checkpoint(session: Session, world: World) -> None:
    meetings = [create_meeting(session, committee=world.committee) for _ in range(5)]
    for meeting in meetings:
        add_revision(session, meeting, SPEEDING)
    checkpoints: list[int] = []
    summary = service.retag(
        session,
        meeting_ids=[m.id or 0 for m in meetings],
        checkpoint=lambda: checkpoints.append(1),
        batch_size=2,
    )
    assert summary.meetings == 5 and len(checkpoints) == 2
