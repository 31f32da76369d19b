"""Proposing recurring concerns from stored concerns, and people confirming or splitting them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from jcpp.auth.permissions import load_viewer
from jcpp.errors import Conflict, NotFound, NotPermitted
from jcpp.models import AuditEvent, Concern, RecurringConcern, RecurringConcernMember
from jcpp.recurring import service
from jcpp.recurring.match import THRESHOLD
from tests.analysis.helpers import load_topics
from tests.factories import create_committee, create_user
from tests.meetings.helpers import World, build_world
from tests.recurring.helpers import (
    INTERPRETERS,
    SPEEDING,
    SPEEDING_AGAIN,
    SPEEDING_ELSEWHERE,
    concern_ids_of,
    meeting_on,
    members,
    raise_concern,
    recurring_of,
)

# Far from the dates other tests use: the rules look a year around each meeting.
JAN = dt.date(2031, 1, 15)
FEB = dt.date(2031, 2, 19)
MAR = dt.date(2031, 3, 19)


@pytest.fixture
def world(session: Session) -> World:
    load_topics(session)
    return build_world(session)


def propose(session: Session, concern: Concern) -> service.ProposalResult:
    return service.propose_recurrences(session, meeting_id=concern.meeting_id)


def test_a_concern_raised_again_next_month_is_proposed_with_the_first(
    session: Session, world: World
) -> None:
    first = raise_concern(session, meeting_on(session, world.committee, JAN), SPEEDING)
    again = raise_concern(session, meeting_on(session, world.committee, FEB), SPEEDING_AGAIN)

    result = propose(session, again)

    recurring = recurring_of(session, again)
    assert recurring is not None
    assert result.created == [recurring.id]
    assert recurring_of(session, first) == recurring
    assert concern_ids_of(session, recurring) == {first.id: "proposed", again.id: "proposed"}
    assert recurring.title == "Drivers are speeding past Lincoln Elementary on Elm Street at pickup"
    (row,) = members(session, again)
    assert row.similarity is not None and row.similarity >= THRESHOLD


def test_proposing_twice_changes_nothing(session: Session, world: World) -> None:
    first = raise_concern(session, meeting_on(session, world.committee, JAN), SPEEDING)
    again = raise_concern(session, meeting_on(session, world.committee, FEB), SPEEDING_AGAIN)
    propose(session, again)
    recurring = recurring_of(session, again)
    assert recurring is not None
    before = concern_ids_of(session, recurring)
    count = len(session.exec(select(RecurringConcern.id)).all())

    second = propose(session, again)
    from_the_first_meeting = propose(session, first)  # re-analysing the older meeting

    assert second.created == from_the_first_meeting.created == []
    assert recurring_of(session, again) == recurring_of(session, first) == recurring
    assert concern_ids_of(session, recurring) == before
    assert len(session.exec(select(RecurringConcern.id)).all()) == count


def test_a_third_meeting_joins_the_recurring_concern(session: Session, world: World) -> None:
    first = raise_concern(session, meeting_on(session, world.committee, JAN), SPEEDING)
    again = raise_concern(session, meeting_on(session, world.committee, FEB), SPEEDING_AGAIN)
    propose(session, again)
    third = raise_concern(session, meeting_on(session, world.committee, MAR), SPEEDING_ELSEWHERE)

    result = propose(session, third)

    recurring = recurring_of(session, first)
    assert result.created == []
    assert recurring is not None and recurring_of(session, third) == recurring
    assert set(concern_ids_of(session, recurring)) == {first.id, again.id, third.id}


def test_a_concern_like_the_last_one_but_not_the_whole_is_left_out(
    session: Session, world: World
) -> None:
    a = raise_concern(
        session, meeting_on(session, world.committee, JAN),
        "Drivers speeding past Lincoln Elementary on Elm Street at pickup.",
    )  # fmt: skip
    b = raise_concern(
        session, meeting_on(session, world.committee, FEB),
        "Speeding on Elm Street at pickup; parents want a crossing guard at Lincoln.",
    )  # fmt: skip
    propose(session, b)
    recurring = recurring_of(session, a)
    assert recurring is not None and recurring_of(session, b) == recurring
    c = raise_concern(
        session, meeting_on(session, world.committee, MAR),
        "Parents asked again for a crossing guard; the library crossing is bad.",
    )  # fmt: skip

    result = propose(session, c)

    assert (result.proposed, result.created) == (0, [])
    assert members(session, c) == []


def test_another_concern_of_the_same_meeting_or_topic_is_left_alone(
    session: Session, world: World
) -> None:
    january = meeting_on(session, world.committee, JAN)
    first = raise_concern(session, january, SPEEDING)
    same_day = raise_concern(session, january, SPEEDING_AGAIN)
    other = raise_concern(
        session, meeting_on(session, world.committee, FEB), INTERPRETERS,
        topics=("language-access", "traffic-safety"),
    )  # fmt: skip

    propose(session, first)
    propose(session, other)

    assert members(session, first) == members(session, same_day) == members(session, other) == []


def test_another_city_within_a_year_counts_the_same_citys_other_committee_does_not(
    session: Session, world: World
) -> None:
    pac = create_committee(session, city=world.city, name="Richfield PAC", kind="pac")
    first = raise_concern(session, meeting_on(session, world.committee, JAN), SPEEDING)
    next_door = raise_concern(session, meeting_on(session, pac, FEB), SPEEDING_AGAIN)

    propose(session, next_door)
    assert members(session, first) == members(session, next_door) == []

    november = meeting_on(session, world.other_committee, dt.date(2031, 11, 12))
    elsewhere = raise_concern(session, november, SPEEDING_AGAIN)
    propose(session, elsewhere)
    recurring = recurring_of(session, elsewhere)
    assert recurring is not None
    # Crystal's concern is Richfield's raised again, at both committees.
    assert set(concern_ids_of(session, recurring)) == {first.id, next_door.id, elsewhere.id}


def test_another_city_after_a_year_does_not_count(session: Session, world: World) -> None:
    first = raise_concern(session, meeting_on(session, world.committee, JAN), SPEEDING)
    a_year_on = meeting_on(session, world.other_committee, JAN + dt.timedelta(days=370))
    late = raise_concern(session, a_year_on, SPEEDING)
    propose(session, late)
    assert members(session, first) == members(session, late) == []


def test_the_same_committee_after_its_window_does_not_count(session: Session, world: World) -> None:
    first = raise_concern(session, meeting_on(session, world.committee, JAN), SPEEDING)
    late = raise_concern(
        session, meeting_on(session, world.committee, JAN + dt.timedelta(days=200)), SPEEDING
    )
    propose(session, late)
    assert members(session, first) == members(session, late) == []


def test_rejected_concerns_never_count(session: Session, world: World) -> None:
    first = raise_concern(
        session, meeting_on(session, world.committee, JAN), SPEEDING, state="rejected"
    )
    again = raise_concern(session, meeting_on(session, world.committee, FEB), SPEEDING_AGAIN)
    propose(session, again)
    assert members(session, first) == members(session, again) == []


def test_a_concern_rejected_later_dissolves_its_proposal(session: Session, world: World) -> None:
    first = raise_concern(session, meeting_on(session, world.committee, JAN), SPEEDING)
    again = raise_concern(session, meeting_on(session, world.committee, FEB), SPEEDING_AGAIN)
    propose(session, again)
    recurring = recurring_of(session, again)
    assert recurring is not None
    first.state = "rejected"
    session.add(first)
    session.flush()

    result = propose(session, again)

    assert recurring.id in result.removed
    assert session.get(RecurringConcern, recurring.id) is None
    assert members(session, again) == []


# ---------------------------------------------------------------- people's decisions


def _pair(session: Session, world: World) -> tuple[Concern, Concern, RecurringConcern]:
    first = raise_concern(session, meeting_on(session, world.committee, JAN), SPEEDING)
    again = raise_concern(
        session, meeting_on(session, world.other_committee, FEB), SPEEDING_ELSEWHERE
    )
    propose(session, again)
    recurring = recurring_of(session, again)
    assert recurring is not None
    return first, again, recurring


def _viewer(session: Session, world: World, role: str):  # type: ignore[no-untyped-def]
    return load_viewer(session, world.users[role])


def _last_event(session: Session) -> AuditEvent:
    event = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert event is not None
    return event


def test_the_citys_liaison_confirms_and_the_concern_is_confirmed_too(
    session: Session, world: World
) -> None:
    first, _, recurring = _pair(session, world)
    liaison = _viewer(session, world, "liaison")

    row = service.confirm_member(
        session, recurring.id or 0, first.id or 0, by=liaison, seen="proposed"
    )

    assert (row.state, row.reviewed_by_id) == ("confirmed", liaison.id)
    assert row.reviewed_at is not None
    session.refresh(first)
    assert first.state == "confirmed"
    event = _last_event(session)
    assert (event.action, event.entity_type, event.entity_id) == (
        "confirm_recurrence", "recurring_concern", recurring.id,
    )  # fmt: skip
    assert event.city_id == world.city.id
    assert event.before == {"state": "proposed", "concern_id": first.id}
    assert event.after == {"state": "confirmed", "concern_id": first.id}
    # A confirmed membership stays through later proposals.
    propose(session, first)
    assert concern_ids_of(session, recurring)[first.id or 0] == "confirmed"


def test_a_split_concern_is_never_proposed_with_those_concerns_again(
    session: Session, world: World
) -> None:
    first, again, recurring = _pair(session, world)
    other_liaison = _viewer(session, world, "liaison_other")

    row = service.split_member(session, recurring.id or 0, again.id or 0, by=other_liaison)

    assert row.state == "split"
    session.refresh(again)
    assert again.state == "confirmed"  # split off, it stays a concern of its own
    assert _last_event(session).action == "split_recurrence"
    for concern in (again, first):
        propose(session, concern)
    assert concern_ids_of(session, recurring) == {first.id: "proposed", again.id: "split"}
    assert recurring_of(session, again) is None
    # The recurring concern is kept (it holds a person's decision), though one concern is left.
    assert session.get(RecurringConcern, recurring.id) is not None


def test_deciding_what_is_already_so_changes_nothing(session: Session, world: World) -> None:
    first, _, recurring = _pair(session, world)
    admin = _viewer(session, world, "admin")
    service.confirm_member(session, recurring.id or 0, first.id or 0, by=admin)
    events = len(session.exec(select(AuditEvent.id)).all())

    service.confirm_member(session, recurring.id or 0, first.id or 0, by=admin, seen="proposed")

    assert len(session.exec(select(AuditEvent.id)).all()) == events


def test_a_decision_against_one_made_since_the_page_was_loaded_is_refused(
    session: Session, world: World
) -> None:
    first, _, recurring = _pair(session, world)
    service.split_member(
        session, recurring.id or 0, first.id or 0, by=_viewer(session, world, "admin")
    )

    with pytest.raises(Conflict, match="Someone else marked this concern “split off”"):
        service.confirm_member(
            session, recurring.id or 0, first.id or 0,
            by=_viewer(session, world, "liaison"), seen="proposed",
        )  # fmt: skip
    assert concern_ids_of(session, recurring)[first.id or 0] == "split"


@pytest.mark.parametrize("role", ["county_staff", "member", "liaison_other", "member_other"])
def test_only_the_concerns_city_liaison_or_an_admin_decides(
    session: Session, world: World, role: str
) -> None:
    first, _, recurring = _pair(session, world)
    events = len(session.exec(select(AuditEvent.id)).all())
    # Everyone here can see the recurring concern (it touches both cities): 403, not 404.
    with pytest.raises(NotPermitted, match="liaison or an administrator"):
        service.confirm_member(
            session, recurring.id or 0, first.id or 0, by=_viewer(session, world, role)
        )
    assert concern_ids_of(session, recurring)[first.id or 0] == "proposed"
    assert len(session.exec(select(AuditEvent.id)).all()) == events


def test_a_recurring_concern_out_of_scope_is_not_found(session: Session, world: World) -> None:
    first = raise_concern(session, meeting_on(session, world.committee, JAN), SPEEDING)
    again = raise_concern(session, meeting_on(session, world.committee, FEB), SPEEDING_AGAIN)
    propose(session, again)
    recurring = recurring_of(session, again)
    assert recurring is not None
    outsider = load_viewer(session, create_user(session, role="liaison", cities=[]))
    for viewer in (outsider, _viewer(session, world, "liaison_other")):
        with pytest.raises(NotFound):
            service.confirm_member(session, recurring.id or 0, first.id or 0, by=viewer)
    with pytest.raises(NotFound):
        service.visible_recurring(session, recurring.id or 0, viewer=outsider)


def test_a_concern_not_in_the_recurring_concern_is_not_found(
    session: Session, world: World
) -> None:
    _, _, recurring = _pair(session, world)
    stray = raise_concern(session, meeting_on(session, world.committee, MAR), INTERPRETERS)
    with pytest.raises(NotFound, match="no longer"):
        service.split_member(
            session, recurring.id or 0, stray.id or 0, by=_viewer(session, world, "admin")
        )


def test_splitting_the_first_concern_retitles_from_the_next(session: Session, world: World) -> None:
    first, again, recurring = _pair(session, world)
    third = raise_concern(session, meeting_on(session, world.committee, MAR), SPEEDING_AGAIN)
    propose(session, third)
    assert recurring_of(session, third) == recurring

    service.split_member(
        session, recurring.id or 0, first.id or 0, by=_viewer(session, world, "admin")
    )

    assert recurring.title == "Drivers speed past Lincoln Elementary on Elm Street at pickup"
    assert {r.state for r in members(session, again)} == {"proposed"}


def test_membership_rows_are_unique(session: Session, world: World) -> None:
    first, again, recurring = _pair(session, world)
    for _ in range(3):
        propose(session, again)
    rows = session.exec(
        select(RecurringConcernMember).where(RecurringConcernMember.recurring_id == recurring.id)
    ).all()
    assert sorted(r.concern_id for r in rows) == sorted([first.id or 0, again.id or 0])
