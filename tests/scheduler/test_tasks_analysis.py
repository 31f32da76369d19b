"""The analysis jobs: stale analyses re-run in batches, and the classifier retrained once enough
reviews accumulated, kept in use only if it scores at least as well as the one in use."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from jcpp.analysis import service
from jcpp.models import MeetingTopic, MinutesAnalysis, NlpModel
from nlp import classifier as model
from scheduler.tasks import analysis
from tests.analysis.helpers import add_revision, load_topics, slug_id
from tests.factories import create_committee, create_meeting

MINUTES = (
    "2. Community concerns\n"
    "Residents on Elm Street say drivers are speeding past the school at pickup time.\n"
)


@pytest.fixture
def topics(session: Session) -> None:
    load_topics(session)


def test_stale_minutes_are_reanalysed_a_few_seconds_per_run(
    session: Session, at: list[dt.datetime], topics: None
) -> None:
    committee = create_committee(session)
    meetings = [create_meeting(session, committee=committee) for _ in range(3)]
    for meeting in meetings:
        add_revision(session, meeting, MINUTES)
    ours = {m.id for m in meetings}
    assert ours <= set(service.stale_meeting_ids(session))

    # No time to spare: the two meetings timed first, and no more.
    first = analysis.reanalyse_stale_minutes(session, now=at[0], period="p1", seconds=0)

    assert first.startswith("2 meetings re-analysed in ")
    assert first.endswith("; 1 left for the next runs")
    analysed = session.exec(
        select(MinutesAnalysis.meeting_id).where(col(MinutesAnalysis.meeting_id).in_(ours))
    ).all()
    assert sorted(analysed) == [meetings[0].id, meetings[1].id]
    traffic = slug_id(session, "traffic-safety")
    proposed = session.exec(
        select(MeetingTopic.topic_id).where(MeetingTopic.meeting_id == meetings[0].id)
    ).all()
    assert traffic in proposed

    second = analysis.reanalyse_stale_minutes(session, now=at[0], period="p2")
    assert second.startswith("1 meeting re-analysed in ") and "left" not in second
    assert analysis.reanalyse_stale_minutes(session, now=at[0], period="p3") == (
        "every analysis is current"
    )
    assert not ours & set(service.stale_meeting_ids(session))


def review(session: Session, count: int, *, at: dt.datetime) -> None:
    """`count` topics of meetings confirmed at `at`."""
    committee = create_committee(session)
    topic = slug_id(session, "youth")
    for _ in range(count):
        meeting = create_meeting(session, committee=committee)
        session.add(
            MeetingTopic(
                meeting_id=meeting.id or 0, topic_id=topic, state="confirmed", reviewed_at=at
            )
        )
    session.flush()


def poor_classifier(version: str) -> model.TopicClassifier:
    """A classifier trained on three sentences for one epoch: it knows next to nothing."""
    examples = [
        model.TrainingExample(("speed", "car", "school"), {"youth": 1.0, "traffic-safety": 0.0}),
        model.TrainingExample(("officer", "hire", "cadet"), {"traffic-safety": 1.0}),
        model.TrainingExample(("interpreter", "language", "help"), {"youth": 1.0}),
    ]
    return model.train(examples, ["youth", "traffic-safety"], version=version, epochs=1)


def test_retraining_waits_for_enough_new_reviews(
    session: Session, at: list[dt.datetime], topics: None
) -> None:
    session.add(NlpModel(version="m-before", artifact=b"", active=False, created_at=at[0]))
    review(session, 2, at=at[0] - dt.timedelta(days=1))  # before the last training: not new
    review(session, 2, at=at[0] + dt.timedelta(hours=1))

    outcome = analysis.retrain_classifier(
        session, now=at[0] + dt.timedelta(hours=2), period="p", min_reviews=3
    )

    assert outcome == "2 new reviews; retraining waits for 3"
    assert session.exec(select(NlpModel).where(NlpModel.version != "m-before")).all() == []


def test_a_better_model_is_put_in_use_and_a_worse_one_kept_aside(
    session: Session, at: list[dt.datetime], topics: None
) -> None:
    poor = poor_classifier("m-poor")
    session.add(NlpModel(version="m-poor", artifact=poor.to_bytes(), active=True, created_at=at[0]))
    review(session, 3, at=at[0] + dt.timedelta(hours=1))
    now = at[0] + dt.timedelta(hours=2)

    outcome = analysis.retrain_classifier(session, now=now, period="p1", epochs=3, min_reviews=3)

    new = session.exec(select(NlpModel).where(col(NlpModel.active).is_(True))).one()
    assert new.version != "m-poor" and new.created_at == now
    assert "on 3 new reviews" in outcome and outcome.endswith("now in use")
    assert service.current_model_version(session) == new.version

    # Not trained at all (no epoch), a model scores far worse on the project's test minutes
    # (topic F1 0.386 against 0.779 when measured; one epoch against three was too close to
    # call): it is kept aside, inactive, and the one in use stays.
    review(session, 3, at=now + dt.timedelta(hours=1))
    later = now + dt.timedelta(days=1)

    kept = analysis.retrain_classifier(session, now=later, period="p2", epochs=0, min_reviews=3)

    assert kept.endswith(f"not used: {new.version} stays in use"), kept
    aside = session.exec(select(NlpModel).where(NlpModel.created_at == later)).one()
    assert not aside.active and service.current_model_version(session) == new.version
    # Its training counts as the last one: the same reviews do not train again.
    assert analysis.retrain_classifier(session, now=later, period="p3", min_reviews=3) == (
        "0 new reviews; retraining waits for 3"
    )
