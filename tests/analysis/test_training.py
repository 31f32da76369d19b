"""Training the topic classifier on people's reviews and using it (`jcpp.analysis.training`)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select, update

from jcpp.analysis import service, training
from jcpp.models import AuditEvent, MeetingTopic, NlpModel, Topic
from nlp import classifier as model
from tests.analysis.helpers import add_revision, load_topics
from tests.factories import create_meeting
from tests.meetings.helpers import World, build_world

MINUTES = (
    "2. Community concerns\n"
    "Residents on Elm Street say drivers are speeding past the school at pickup time.\n"
    "A member asked about the youth soccer league schedule.\n"
)


@pytest.fixture
def world(session: Session) -> World:
    load_topics(session)
    return build_world(session)


def review(session: Session, meeting_id: int, slug: str, state: str) -> None:
    topic_id = session.exec(select(Topic.id).where(Topic.slug == slug)).one()
    session.exec(
        update(MeetingTopic)
        .where(col(MeetingTopic.meeting_id) == meeting_id)
        .where(col(MeetingTopic.topic_id) == topic_id)
        .values(state=state)
    )


def test_reviews_become_examples_for_and_against_a_topic(session: Session, world: World) -> None:
    meeting = create_meeting(session, committee=world.committee)
    number = add_revision(session, meeting, MINUTES)
    service.analyse_minutes(
        session, meeting_id=meeting.id or 0, revision_number=number, text=MINUTES
    )
    review(session, meeting.id or 0, "traffic-safety", "confirmed")
    review(session, meeting.id or 0, "youth", "rejected")
    pipeline, _ = service.pipeline_for(session)

    examples = training.reviewed_examples(session, pipeline.language, ["traffic-safety", "youth"])

    verdicts = {
        (" ".join(e.words), slug): value for e in examples for slug, value in e.cats.items()
    }
    speeding = next(words for words, slug in verdicts if slug == "traffic-safety")
    assert "speed" in speeding.split() and verdicts[(speeding, "traffic-safety")] == 1.0
    assert 0.0 in {value for (words, slug), value in verdicts.items() if slug == "youth"}
    assert all(slug in ("traffic-safety", "youth") for _, slug in verdicts)


def test_a_trained_classifier_is_stored_made_active_and_used(
    session: Session, world: World
) -> None:
    meeting = create_meeting(session, committee=world.committee)
    number = add_revision(session, meeting, MINUTES)
    service.analyse_minutes(
        session, meeting_id=meeting.id or 0, revision_number=number, text=MINUTES
    )
    assert meeting.id not in service.stale_meeting_ids(session)
    older = NlpModel(version="m-older", artifact=b"", active=True)
    session.add(older)
    session.flush()

    result = training.train_classifier(session, epochs=1)
    row = training.store_classifier(session, result)

    assert row.active and not older.active
    assert result.project_examples > 1000 and row.trained_on == result.project_examples
    assert result.metrics["project_test"]["documents"] > 0
    assert model.TopicClassifier.from_bytes(row.artifact).version == row.version
    pipeline, _ = service.pipeline_for(session)
    assert pipeline.model_version == row.version == service.current_model_version(session)
    assert meeting.id in service.stale_meeting_ids(session)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "train_model")).one()
    assert event.entity_id == row.id
