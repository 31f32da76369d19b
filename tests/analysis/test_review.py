"""People reviewing proposals: who may, what it changes, and the audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, select

from jcpp.analysis import actions, review, view
from jcpp.auth.permissions import load_viewer
from jcpp.errors import InvalidInput, NotFound, NotPermitted
from jcpp.models import ActionItem, FollowUp, Meeting, MeetingTopic, Topic
from tests.analysis.helpers import (
    OWNER,
    TEXT,
    WORRY,
    add_revision,
    last_event,
    slug_id,
    the_action,
    the_concern,
)
from tests.factories import create_meeting
from tests.meetings.helpers import World

Change = Callable[[Session, Meeting, Any], object]

CHANGES: dict[str, Change] = {
    "confirm_topic": lambda s, m, v: review.confirm_topic(
        s, m.id, slug_id(s, "language-access"), by=v
    ),
    "reject_topic": lambda s, m, v: review.reject_topic(
        s, m.id, slug_id(s, "traffic-safety"), by=v
    ),
    "add_topic": lambda s, m, v: review.add_topic(s, m.id, slug_id(s, "youth"), by=v),
    "edit_concern": lambda s, m, v: review.edit_concern(
        s, m.id, the_concern(s, m).id, text="No interpreter at the desk", topic_ids=[], by=v
    ),
    "confirm_concern": lambda s, m, v: review.confirm_concern(s, m.id, the_concern(s, m).id, by=v),
    "reject_concern": lambda s, m, v: review.reject_concern(s, m.id, the_concern(s, m).id, by=v),
    "add_concern": lambda s, m, v: review.add_concern(s, m.id, text="Parking at the park", by=v),
    "confirm_action": lambda s, m, v: actions.confirm_action(s, m.id, the_action(s, m).id, by=v),
    "reject_action": lambda s, m, v: actions.reject_action(s, m.id, the_action(s, m).id, by=v),
    "convert_action": lambda s, m, v: actions.convert_action_to_follow_up(
        s, m.id, the_action(s, m).id, by=v
    ),
}
EXPECTED = {
    "admin": None,
    "liaison": None,
    "county_staff": NotPermitted,
    "member": NotPermitted,
    "liaison_other": NotFound,
    "member_other": NotFound,
}


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_only_the_citys_liaison_or_an_admin_reviews(
    session: Session, world: World, meeting: Meeting, change: str, role: str
) -> None:
    viewer = load_viewer(session, world.users[role])
    before = last_event(session).id
    error = EXPECTED[role]
    if error is None:
        CHANGES[change](session, meeting, viewer)
        event = last_event(session)
        assert event.id != before and event.user_id == viewer.id
        assert event.city_id == world.city.id
    else:
        with pytest.raises(error):
            CHANGES[change](session, meeting, viewer)
        assert last_event(session).id == before, "a refusal leaves no trace of a change"


def test_review_of_an_unknown_meeting_is_not_found(session: Session, world: World) -> None:
    admin = load_viewer(session, world.users["admin"])
    with pytest.raises(NotFound):
        review.confirm_topic(session, 10**9, slug_id(session, "youth"), by=admin)


def test_items_of_another_meeting_are_not_found(
    session: Session, world: World, meeting: Meeting
) -> None:
    liaison = load_viewer(session, world.users["liaison"])
    other = create_meeting(session, committee=world.committee)
    with pytest.raises(NotFound):
        review.confirm_concern(
            session, other.id or 0, the_concern(session, meeting).id or 0, by=liaison
        )
    with pytest.raises(NotFound):
        actions.confirm_action(
            session, other.id or 0, the_action(session, meeting).id or 0, by=liaison
        )


def test_converting_an_action_prefills_owner_and_due_date_and_links_both_ways(
    session: Session, world: World, meeting: Meeting
) -> None:
    liaison = load_viewer(session, world.users["liaison"])
    item = the_action(session, meeting)

    follow_up = actions.convert_action_to_follow_up(
        session, meeting.id or 0, item.id or 0, by=liaison
    )

    assert (follow_up.title, follow_up.owner_text, follow_up.due_date) == (
        OWNER,
        "Sgt. Moua",
        dt.date(2026, 3, 3),
    )
    assert (follow_up.status, follow_up.meeting_id, follow_up.created_by_id) == (
        "open",
        meeting.id,
        liaison.id,
    )
    assert (item.state, item.follow_up_id, follow_up.action_item_id) == (
        "converted",
        follow_up.id,
        item.id,
    )
    again = actions.convert_action_to_follow_up(session, meeting.id or 0, item.id or 0, by=liaison)
    assert again.id == follow_up.id
    assert len(session.exec(select(FollowUp).where(FollowUp.meeting_id == meeting.id)).all()) == 1
    with pytest.raises(review.ReviewChanged, match="already a follow-up"):
        actions.reject_action(session, meeting.id or 0, item.id or 0, by=liaison)


def test_a_follow_up_can_take_the_persons_own_wording(
    session: Session, world: World, meeting: Meeting
) -> None:
    liaison = load_viewer(session, world.users["liaison"])
    item = the_action(session, meeting)
    draft = actions.FollowUpDraft(
        title="  Check the stop-arm footage ", owner_text="Traffic unit",
        due_date=None, description="From the March meeting",
    )  # fmt: skip
    follow_up = actions.convert_action_to_follow_up(
        session, meeting.id or 0, item.id or 0, by=liaison, draft=draft
    )
    assert (follow_up.title, follow_up.owner_text, follow_up.due_date) == (
        "Check the stop-arm footage",
        "Traffic unit",
        None,
    )
    empty = actions.FollowUpDraft(title=" ", owner_text="", due_date=None, description="")
    second = create_meeting(session, committee=world.committee)
    add_revision(session, second, TEXT)
    other_item = ActionItem(
        meeting_id=second.id or 0, revision_number=1, start=0, end=3, text="Old"
    )
    session.add(other_item)
    session.flush()
    with pytest.raises(InvalidInput) as error:
        actions.convert_action_to_follow_up(
            session, second.id or 0, other_item.id or 0, by=liaison, draft=empty
        )
    assert set(error.value.errors) == {"title"}


def test_edit_concern_keeps_the_found_text_and_confirms(
    session: Session, world: World, meeting: Meeting
) -> None:
    liaison = load_viewer(session, world.users["liaison"])
    concern = the_concern(session, meeting)
    review.edit_concern(
        session, meeting.id or 0, concern.id or 0, text="No interpreter at the front desk",
        topic_ids=[slug_id(session, "language-access"), slug_id(session, "community-trust")],
        by=liaison,
    )  # fmt: skip
    assert (concern.text, concern.edited_text, concern.state) == (
        WORRY,
        "No interpreter at the front desk",
        "confirmed",
    )
    shown = view.get_review(session, meeting.id or 0, viewer=liaison).concerns[0]
    assert [t.slug for t in shown.topics] == ["community-trust", "language-access"]
    event = last_event(session)
    assert event.before["text"] == WORRY  # type: ignore[index]
    assert event.after["topics"] == ["language-access", "community-trust"]  # type: ignore[index]
    with pytest.raises(InvalidInput):
        review.edit_concern(
            session, meeting.id or 0, concern.id or 0, text="  ", topic_ids=[], by=liaison
        )


def test_person_added_topic_and_concern(session: Session, world: World, meeting: Meeting) -> None:
    liaison = load_viewer(session, world.users["liaison"])
    row = review.add_topic(session, meeting.id or 0, slug_id(session, "youth"), by=liaison)
    assert (row.state, row.origin, row.reviewed_by_id) == ("confirmed", "person", liaison.id)
    # Adding a proposed topic confirms the pipeline's row.
    proposed = review.add_topic(
        session, meeting.id or 0, slug_id(session, "language-access"), by=liaison
    )
    assert (proposed.state, proposed.origin) == ("confirmed", "nlp")
    found = review.add_concern(session, meeting.id or 0, text="stop-arm camera footage", by=liaison)
    assert TEXT[found.start : found.end] == "stop-arm camera footage"
    typed = review.add_concern(
        session, meeting.id or 0, text="Parking at the park", by=liaison,
        topic_ids=[slug_id(session, "traffic-safety")],
    )  # fmt: skip
    assert (typed.start, typed.end, typed.origin, typed.state) == (0, 0, "person", "confirmed")
    retired = session.exec(select(Topic).where(Topic.slug == "gun-violence")).one()
    retired.active = False
    with pytest.raises(InvalidInput):
        review.add_topic(session, meeting.id or 0, retired.id or 0, by=liaison)


def test_get_review_lists_states_and_evidence(
    session: Session, world: World, meeting: Meeting
) -> None:
    member = load_viewer(session, world.users["member"])
    liaison = load_viewer(session, world.users["liaison"])
    review.reject_topic(session, meeting.id or 0, slug_id(session, "traffic-safety"), by=liaison)
    shown = view.get_review(session, meeting.id or 0, viewer=member)
    assert not shown.can_edit and not shown.outdated
    assert [(t.topic.slug, t.row.state) for t in shown.topics] == [
        ("language-access", "proposed"),
        ("traffic-safety", "rejected"),
    ]
    assert [m.text for m in shown.topics[0].mentions] == ["interpreters"]
    assert [a.owner_text for a in shown.actions] == ["Sgt. Moua"]
    add_revision(session, meeting, TEXT + " More.")
    assert view.get_review(session, meeting.id or 0, viewer=member).outdated
    with pytest.raises(NotFound):
        view.get_review(
            session, meeting.id or 0, viewer=load_viewer(session, world.users["member_other"])
        )
    rows = session.exec(select(MeetingTopic).where(MeetingTopic.meeting_id == meeting.id)).all()
    assert len(rows) == 2


def test_a_follow_up_title_from_markdown_minutes_reads_as_plain_words() -> None:
    item = ActionItem(
        meeting_id=1, revision_number=1, start=0, end=60,
        text="Sgt. Moua** will bring the **stop-arm** footage to the next meeting.",
        owner_text="Sgt. Moua",
    )  # fmt: skip

    draft = actions.follow_up_draft(item)

    assert draft.title == "Sgt. Moua will bring the stop-arm footage to the next meeting."
