"""The demo's follow-ups: every state, overdue ones, some assigned to the member, with history."""

from __future__ import annotations

from collections import Counter

from sqlmodel import col, select

from jcpp.models import (
    FOLLOW_UP_STATUSES,
    ActionItem,
    AuditEvent,
    Committee,
    Concern,
    FollowUp,
    FollowUpConcern,
    FollowUpEvent,
    Meeting,
    RecurringConcernMember,
    UserCommittee,
)
from tests.demo.conftest import TODAY, Loaded

CLOSED = ("verified_done", "declined", "reported_done")


def test_the_demo_has_follow_ups_in_every_state_some_overdue(demo: Loaded) -> None:
    rows = demo.session.exec(select(FollowUp)).all()

    states = Counter(f.status for f in rows)
    assert set(states) == set(FOLLOW_UP_STATUSES)
    overdue = [f for f in rows if f.status not in CLOSED and f.due_date and f.due_date < TODAY]
    not_yet = [f for f in rows if f.status not in CLOSED and f.due_date and f.due_date >= TODAY]
    assert overdue and not_yet
    assert all(f.closed_at is not None for f in rows if f.status == "verified_done")
    assert all(f.closed_at is None for f in rows if f.status != "verified_done")
    assert demo.summary.follow_ups == len(rows)
    event = demo.session.exec(select(AuditEvent).where(AuditEvent.action == "load_demo")).one()
    assert f"{len(rows)} follow-ups" in event.summary


def test_each_follow_up_comes_from_an_action_item_and_its_history_ends_at_its_state(
    demo: Loaded,
) -> None:
    session = demo.session
    for follow_up in session.exec(select(FollowUp)).all():
        action = session.get(ActionItem, follow_up.action_item_id)
        assert action is not None and action.follow_up_id == follow_up.id
        assert action.state == "converted"
        events = session.exec(
            select(FollowUpEvent)
            .where(FollowUpEvent.follow_up_id == follow_up.id)
            .order_by(col(FollowUpEvent.at), col(FollowUpEvent.id))
        ).all()
        assert events[0].kind == "created" and events[-1].to_status == follow_up.status
        assert all(a.at <= b.at for a, b in zip(events, events[1:], strict=False))
        meeting = session.get(Meeting, follow_up.meeting_id)
        assert meeting is not None and events[0].at > meeting.start_at
    assert session.exec(select(FollowUpConcern)).first() is not None


def test_follow_ups_assigned_to_the_member_are_her_committees(demo: Loaded) -> None:
    session = demo.session
    assigned = session.exec(select(FollowUp).where(col(FollowUp.owner_user_id).is_not(None))).all()
    assert assigned
    for follow_up in assigned:
        meeting = session.get(Meeting, follow_up.meeting_id)
        assert meeting is not None
        mine = session.exec(
            select(UserCommittee.committee_id).where(
                UserCommittee.user_id == follow_up.owner_user_id
            )
        ).all()
        assert meeting.committee_id in mine


def test_the_demo_has_recurring_concerns_confirmed_across_cities(demo: Loaded) -> None:
    rows = demo.session.exec(
        select(RecurringConcernMember.recurring_id, Committee.city_id)
        .join(Concern, col(Concern.id) == RecurringConcernMember.concern_id)
        .join(Meeting, col(Meeting.id) == Concern.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(RecurringConcernMember.state == "confirmed")
    ).all()
    cities: dict[int, set[int]] = {}
    for recurring_id, city_id in rows:
        cities.setdefault(recurring_id, set()).add(city_id)

    assert len(cities) == demo.summary.recurring > 0
    assert all(len(found) >= 2 for found in cities.values())
