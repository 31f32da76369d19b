"""Storing analyses: re-analysis refreshes proposals and never overwrites what a person
reviewed. Pipeline results are built by hand (tests/analysis/helpers.py) so that these tests
check the storage rules, not the pipeline's tuning."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from jcpp.analysis import actions, review
from jcpp.analysis.store import overlaps, relocate, store_analysis
from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.models import (
    ActionItem,
    CarriedItem,
    Committee,
    Concern,
    ConcernTopic,
    FollowUp,
    FollowUpConcern,
    Meeting,
    MeetingTopic,
    MinutesAnalysis,
    MinutesRevision,
    Topic,
    TopicMention,
)
from tests.analysis.helpers import add_revision, fake_analysis, load_topics
from tests.factories import create_meeting
from tests.meetings.helpers import World, build_world

ELM = "Residents on Elm Street say cars race past the school at pickup time."
DESK = "Interpreters are not available at the front desk."
OKAFOR = "Lt. Okafor will bring stop data next month."
STAFF = "Staff will contact the school district about crossing guards."
BYLAWS = "The committee reviewed its bylaws."
BREAK_INS = "Car break-ins keep rising downtown."
FLYER = "The outreach subcommittee will draft a flyer before the next meeting."

FIRST = f"1. Chief's report. {ELM} {DESK} {OKAFOR} {STAFF} {BYLAWS}"
SECOND = f"Minutes, corrected. 1. Chief's report. {ELM} {BREAK_INS} {OKAFOR} {FLYER}"


def first_analysis(text: str = FIRST):  # type: ignore[no-untyped-def]
    return fake_analysis(
        text,
        topics={
            "traffic-safety": ["cars race"],
            "youth": ["school district"],
            "language-access": ["Interpreters"],
            "traffic-stops": ["stop data"],
            "committee-business": ["bylaws"],
        },
        concerns=[(ELM, ["traffic-safety", "youth"]), (DESK, ["language-access"])],
        actions=[(OKAFOR, "Lt. Okafor", None), (STAFF, "Staff", dt.date(2026, 4, 1))],
    )


def second_analysis(text: str = SECOND):  # type: ignore[no-untyped-def]
    return fake_analysis(
        text,
        topics={
            "traffic-safety": ["cars race"],
            "youth": ["school"],
            "crime-trends": ["break-ins"],
            "traffic-stops": ["stop data"],
        },
        concerns=[(ELM, ["traffic-safety"]), (BREAK_INS, ["crime-trends"])],
        actions=[(OKAFOR, "Lt. Okafor", None), (FLYER, "The outreach subcommittee", None)],
    )


@pytest.fixture
def world(session: Session) -> World:
    load_topics(session)
    return build_world(session)


@pytest.fixture
def meeting(session: Session, world: World) -> Meeting:
    return create_meeting(session, committee=world.committee)


@pytest.fixture
def liaison(session: Session, world: World) -> Viewer:
    return load_viewer(session, world.users["liaison"])


def store(session: Session, meeting: Meeting, text: str, analysis) -> int:  # type: ignore[no-untyped-def]
    number = add_revision(session, meeting, text)
    store_analysis(
        session,
        meeting_id=meeting.id or 0,
        revision_number=number,
        text=text,
        analysis=analysis,
        topic_list_version="v",
    )
    return number


def topic_id(session: Session, slug: str) -> int:
    topic = session.exec(select(Topic).where(Topic.slug == slug)).one()
    assert topic.id is not None
    return topic.id


def topic_states(session: Session, meeting: Meeting) -> dict[str, str]:
    rows = session.exec(
        select(Topic.slug, MeetingTopic.state)
        .join(MeetingTopic, col(MeetingTopic.topic_id) == Topic.id)
        .where(MeetingTopic.meeting_id == meeting.id)
    ).all()
    return dict(rows)


def concerns_of(session: Session, meeting: Meeting) -> dict[str, Concern]:
    rows = session.exec(select(Concern).where(Concern.meeting_id == meeting.id)).all()
    return {row.text: row for row in rows}


def actions_of(session: Session, meeting: Meeting) -> dict[str, ActionItem]:
    rows = session.exec(select(ActionItem).where(ActionItem.meeting_id == meeting.id)).all()
    return {row.text: row for row in rows}


def concern_topic_slugs(session: Session, concern: Concern) -> set[str]:
    rows = session.exec(
        select(Topic.slug)
        .join(ConcernTopic, col(ConcernTopic.topic_id) == Topic.id)
        .where(ConcernTopic.concern_id == concern.id)
    ).all()
    return set(rows)


def test_first_analysis_stores_everything_as_proposals(session: Session, meeting: Meeting) -> None:
    store(session, meeting, FIRST, first_analysis())

    assert topic_states(session, meeting) == {
        "traffic-safety": "proposed",
        "youth": "proposed",
        "language-access": "proposed",
        "traffic-stops": "proposed",
        "committee-business": "proposed",
    }
    concerns = concerns_of(session, meeting)
    assert set(concerns) == {ELM, DESK}
    assert concern_topic_slugs(session, concerns[ELM]) == {"traffic-safety", "youth"}
    assert all(FIRST[c.start : c.end] == c.text for c in concerns.values())
    items = actions_of(session, meeting)
    assert items[STAFF].owner_text == "Staff" and items[STAFF].due_date == dt.date(2026, 4, 1)
    assert {a.state for a in items.values()} == {"proposed"}
    record = session.exec(
        select(MinutesAnalysis).where(MinutesAnalysis.meeting_id == meeting.id)
    ).one()
    assert (record.revision_number, record.pipeline_version) == (1, "test-1")
    assert record.keywords[0]["term"] == "stop data"


def test_reanalysis_keeps_what_people_reviewed_and_refreshes_proposals(
    session: Session, meeting: Meeting, liaison: Viewer
) -> None:
    mid = meeting.id or 0
    store(session, meeting, FIRST, first_analysis())
    review.confirm_topic(session, mid, topic_id(session, "traffic-safety"), by=liaison)
    review.reject_topic(session, mid, topic_id(session, "youth"), by=liaison)
    elm = concerns_of(session, meeting)[ELM]
    review.edit_concern(
        session, mid, elm.id or 0, text="Speeding past the Elm Street school at pickup",
        topic_ids=[topic_id(session, "traffic-safety")], by=liaison,
    )  # fmt: skip
    okafor = actions_of(session, meeting)[OKAFOR]
    follow_up = actions.convert_action_to_follow_up(session, mid, okafor.id or 0, by=liaison)
    stops_row_id = session.exec(
        select(MeetingTopic.id).where(
            MeetingTopic.meeting_id == mid,
            MeetingTopic.topic_id == topic_id(session, "traffic-stops"),
        )
    ).one()

    store(session, meeting, SECOND, second_analysis())

    assert topic_states(session, meeting) == {
        "traffic-safety": "confirmed",  # kept as confirmed
        "youth": "rejected",  # found again, not proposed again
        "crime-trends": "proposed",  # new proposal
        "traffic-stops": "proposed",  # proposal refreshed
    }  # language-access and committee-business proposals are gone with their text
    assert (
        session.exec(
            select(MeetingTopic.id).where(
                MeetingTopic.meeting_id == mid,
                MeetingTopic.topic_id == topic_id(session, "traffic-stops"),
            )
        ).one()
        == stops_row_id
    ), "a proposal found again keeps its row"

    concerns = concerns_of(session, meeting)
    assert set(concerns) == {ELM, BREAK_INS}, "no second copy of the edited concern"
    edited = concerns[ELM]
    assert edited.state == "confirmed"
    assert edited.edited_text == "Speeding past the Elm Street school at pickup"
    assert concern_topic_slugs(session, edited) == {"traffic-safety"}
    assert (edited.revision_number, SECOND[edited.start : edited.end]) == (2, ELM)
    assert edited.missing_since_revision is None
    assert concerns[BREAK_INS].state == "proposed"

    items = actions_of(session, meeting)
    assert set(items) == {OKAFOR, FLYER}
    converted = items[OKAFOR]
    assert (converted.state, converted.follow_up_id) == ("converted", follow_up.id)
    assert SECOND[converted.start : converted.end] == OKAFOR
    assert session.get(FollowUp, follow_up.id).action_item_id == converted.id  # type: ignore[union-attr]
    assert (items[FLYER].state, items[FLYER].owner_text) == (
        "proposed",
        "The outreach subcommittee",
    )

    mentions = session.exec(select(TopicMention).where(TopicMention.meeting_id == mid)).all()
    assert mentions and {m.revision_number for m in mentions} == {2}
    assert all(SECOND[m.start : m.end] == m.text for m in mentions)
    assert all(SECOND[m.sentence_start : m.sentence_end] == m.sentence for m in mentions)


def test_reviewed_concern_whose_text_is_gone_stays_flagged_until_it_returns(
    session: Session, meeting: Meeting, liaison: Viewer
) -> None:
    mid = meeting.id or 0
    store(session, meeting, FIRST, first_analysis())
    desk = concerns_of(session, meeting)[DESK]
    review.confirm_concern(session, mid, desk.id or 0, by=liaison)
    okafor = actions_of(session, meeting)[OKAFOR]
    actions.confirm_action(session, mid, okafor.id or 0, by=liaison)

    without = f"1. Chief's report. {ELM} {STAFF}"
    store(session, meeting, without, fake_analysis(without, concerns=[(ELM, [])]))

    desk = concerns_of(session, meeting)[DESK]
    assert (desk.state, desk.missing_since_revision, desk.revision_number) == ("confirmed", 2, 1)
    assert actions_of(session, meeting)[OKAFOR].missing_since_revision == 2

    store(session, meeting, FIRST, first_analysis())  # the sentence is back in revision 3
    desk = concerns_of(session, meeting)[DESK]
    assert (desk.missing_since_revision, desk.revision_number) == (None, 3)
    assert FIRST[desk.start : desk.end] == DESK


def test_rejected_concern_and_action_are_not_proposed_again(
    session: Session, meeting: Meeting, liaison: Viewer
) -> None:
    mid = meeting.id or 0
    store(session, meeting, FIRST, first_analysis())
    review.reject_concern(session, mid, concerns_of(session, meeting)[DESK].id or 0, by=liaison)
    actions.reject_action(session, mid, actions_of(session, meeting)[STAFF].id or 0, by=liaison)

    store(session, meeting, FIRST + " Adjourned.", first_analysis(FIRST + " Adjourned."))

    concerns = session.exec(select(Concern).where(Concern.meeting_id == mid)).all()
    assert sorted((c.text, c.state) for c in concerns) == [
        (DESK, "rejected"),
        (ELM, "proposed"),
    ]
    items = session.exec(select(ActionItem).where(ActionItem.meeting_id == mid)).all()
    assert sorted((a.text, a.state) for a in items) == [(OKAFOR, "proposed"), (STAFF, "rejected")]


def test_retired_topics_get_no_new_proposals(session: Session, meeting: Meeting) -> None:
    session.exec(select(Topic).where(Topic.slug == "youth")).one().active = False
    store(session, meeting, FIRST, first_analysis())
    assert "youth" not in topic_states(session, meeting)
    assert "traffic-safety" in topic_states(session, meeting)


def test_analyses_of_other_meetings_are_left_alone(
    session: Session, meeting: Meeting, world: World
) -> None:
    other = create_meeting(session, committee=world.committee)
    store(session, other, FIRST, first_analysis())
    store(session, meeting, SECOND, second_analysis())
    assert len(topic_states(session, other)) == 5
    assert set(concerns_of(session, other)) == {ELM, DESK}
    revisions = session.exec(
        select(MinutesRevision.number).where(MinutesRevision.meeting_id == other.id)
    ).all()
    assert revisions == [1]


def test_relocate_finds_the_occurrence_nearest_the_old_place() -> None:
    text = "Speeding. Parking. Speeding."
    assert relocate(text, "Speeding.", 0) == (0, 9)
    assert relocate(text, "Speeding.", 20) == (19, 28)
    assert relocate(text, "Curfew.", 0) is None
    assert relocate(text, "", 0) is None


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 10), (5, 15), True),
        ((0, 10), (6, 30), False),
        ((0, 4), (2, 40), True),
        ((0, 0), (0, 9), False),
    ],
)
def test_spans_overlap_by_half_of_the_shorter(
    a: tuple[int, int], b: tuple[int, int], expected: bool
) -> None:
    assert overlaps(*a, *b) is expected


def test_a_proposed_concern_with_a_follow_up_is_kept(
    session: Session, meeting: Meeting, liaison: Viewer
) -> None:
    store(session, meeting, FIRST, first_analysis())
    desk = concerns_of(session, meeting)[DESK]
    follow_up = FollowUp(meeting_id=meeting.id or 0, title="Interpreter line")
    session.add(follow_up)
    session.flush()
    session.add(FollowUpConcern(follow_up_id=follow_up.id or 0, concern_id=desk.id or 0))
    session.flush()

    store(session, meeting, SECOND, second_analysis())

    kept = concerns_of(session, meeting)[DESK]
    assert (kept.id, kept.state, kept.missing_since_revision) == (desk.id, "proposed", 2)


def test_a_proposed_concern_carried_onto_a_later_agenda_is_kept(
    session: Session, meeting: Meeting, liaison: Viewer
) -> None:
    store(session, meeting, FIRST, first_analysis())
    desk = concerns_of(session, meeting)[DESK]
    later = create_meeting(session, committee=session.get(Committee, meeting.committee_id))
    session.add(CarriedItem(meeting_id=later.id or 0, concern_id=desk.id or 0))
    session.flush()

    store(session, meeting, SECOND, second_analysis())

    kept = concerns_of(session, meeting)[DESK]
    assert (kept.id, kept.state, kept.missing_since_revision) == (desk.id, "proposed", 2)
