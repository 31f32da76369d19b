"""The demo's minutes are analysed while it loads: their pages show proposals to review."""

from __future__ import annotations

from sqlmodel import Session, col, select

from jcpp.analysis.service import stale_meeting_ids
from jcpp.analysis.view import get_review
from jcpp.auth.permissions import load_viewer
from jcpp.models import (
    ActionItem,
    AuditEvent,
    Committee,
    Concern,
    Meeting,
    MeetingTopic,
    Minutes,
    MinutesAnalysis,
    User,
)
from tests.demo.conftest import Loaded


def meetings_with_minutes(session: Session) -> dict[int, list[int]]:
    """Each committee's meetings that have minutes, oldest first, by committee id."""
    rows = session.exec(
        select(Meeting.committee_id, Meeting.id)
        .join(Minutes, col(Minutes.meeting_id) == Meeting.id)
        .where(col(Minutes.current_revision) > 0)
        .order_by(col(Meeting.start_at))
    ).all()
    by_committee: dict[int, list[int]] = {}
    for committee_id, meeting_id in rows:
        by_committee.setdefault(committee_id, []).append(meeting_id or 0)
    return by_committee


def test_every_meeting_s_minutes_are_analysed_and_none_left_stale(demo: Loaded) -> None:
    session = demo.session
    by_committee = meetings_with_minutes(session)
    assert len(by_committee) == len(session.exec(select(Committee)).all()) == 11
    with_minutes = {m for ids in by_committee.values() for m in ids}

    analyses = session.exec(select(MinutesAnalysis)).all()
    assert {a.meeting_id for a in analyses} == with_minutes
    current = dict(session.exec(select(Minutes.meeting_id, Minutes.current_revision)).all())
    assert all(a.revision_number == current[a.meeting_id] for a in analyses)
    # What is analysed is up to date: `jcpp nlp retag --stale` has nothing to do.
    assert stale_meeting_ids(session) == []
    assert demo.summary.analysed == len(with_minutes)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "load_demo")).one()
    assert event.after is not None and event.after["analysed"] == len(with_minutes)
    assert f"({len(with_minutes)} analysed)" in event.summary


def test_every_analysed_meeting_has_proposals_waiting_for_review(demo: Loaded) -> None:
    session = demo.session
    analysed = set(session.exec(select(MinutesAnalysis.meeting_id)).all())
    topics = session.exec(select(MeetingTopic)).all()
    assert {row.meeting_id for row in topics} == analysed, "every analysed meeting has topics"
    assert {(row.state, row.origin) for row in topics} == {("proposed", "nlp")}
    concerns = session.exec(select(Concern.meeting_id, Concern.state)).all()
    actions = session.exec(select(ActionItem.meeting_id, ActionItem.state)).all()
    assert len({m for m, _ in concerns}) > len(analysed) / 2
    assert len({m for m, _ in actions}) > len(analysed) / 2
    # Concerns raised again in other cities were confirmed as recurring (test_followups).
    assert {state for _, state in concerns} == {"proposed", "confirmed"}
    # The action items of older meetings became the demo's follow-ups (tests/demo/test_followups).
    assert {state for _, state in actions} == {"proposed", "converted"}


def test_the_liaison_sees_proposals_on_her_citys_latest_minutes(demo: Loaded) -> None:
    session = demo.session
    user = session.exec(select(User).where(User.email == "liaison@example.org")).one()
    liaison = load_viewer(session, user)
    richfield = session.exec(select(Committee).where(Committee.slug == "richfield-mac")).one()
    newest = meetings_with_minutes(session)[richfield.id or 0][-1]

    review = get_review(session, newest, viewer=liaison)

    assert review.can_edit and not review.outdated
    assert review.topics and all(item.row.state == "proposed" for item in review.topics)
    assert all(item.mentions for item in review.topics), "each topic shows its evidence"
