"""Trend counts: what counts (hand-made analyses), counts kept current on every commit of real
service calls, and a rebuild from scratch that gives exactly the rows kept current on write."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from jcpp.analysis import review
from jcpp.analysis.store import store_analysis
from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.meetings import service as meetings
from jcpp.minutes import service as minutes_service
from jcpp.models import Concern, ConcernTopic, KeywordMonthCount, Meeting, TopicMonthCount
from jcpp.topics.merge import merge_topic
from jcpp.trends.rollup import month_bounds, month_of, rebuild
from tests.analysis.helpers import add_revision, fake_analysis, load_topics, slug_id
from tests.factories import create_meeting
from tests.meetings.helpers import World, build_world

CHICAGO = ZoneInfo("America/Chicago")
Row = tuple[int, int, int, int, int, int]


def at(day: dt.date, hour: int = 18, minute: int = 30) -> dt.datetime:
    """A county wall-clock time, as stored (UTC)."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHICAGO).astimezone(dt.UTC)


def topic_counts(session: Session, city_ids: list[int]) -> dict[tuple[int, int, dt.date], Row]:
    rows = session.exec(
        select(
            TopicMonthCount.city_id,
            TopicMonthCount.topic_id,
            TopicMonthCount.month,
            TopicMonthCount.meetings_all,
        ).where(col(TopicMonthCount.city_id).in_(city_ids))
    ).all()
    full = session.exec(
        select(
            TopicMonthCount.meetings_confirmed,
            TopicMonthCount.mentions_all,
            TopicMonthCount.mentions_confirmed,
            TopicMonthCount.concerns_all,
        ).where(col(TopicMonthCount.city_id).in_(city_ids))
    ).all()
    last = session.exec(
        select(TopicMonthCount.concerns_confirmed).where(col(TopicMonthCount.city_id).in_(city_ids))
    ).all()
    return {
        (city, topic, month): (meetings_all, *rest, concerns_confirmed)
        for (city, topic, month, meetings_all), rest, concerns_confirmed in zip(
            rows, full, last, strict=True
        )
    }


def keyword_counts(session: Session, months: set[dt.date]) -> dict[tuple[str, dt.date], int]:
    rows = session.exec(
        select(KeywordMonthCount.term, KeywordMonthCount.month, KeywordMonthCount.meetings).where(
            col(KeywordMonthCount.month).in_(months)
        )
    ).all()
    return {(term, month): meetings for term, month, meetings in rows}


@pytest.fixture
def world(session: Session) -> World:
    load_topics(session)
    return build_world(session)


# ---------------------------------------------------------------- months


def test_month_is_the_county_month_of_the_start() -> None:
    # 00:30 UTC on Feb 1 is 6:30 pm on Jan 31 in Minnesota.
    assert month_of(dt.datetime(2031, 2, 1, 0, 30, tzinfo=dt.UTC), CHICAGO) == dt.date(2031, 1, 1)
    assert month_of(dt.datetime(2031, 2, 1, 6, 30, tzinfo=dt.UTC), CHICAGO) == dt.date(2031, 2, 1)
    start, end = month_bounds(dt.date(2031, 3, 1), CHICAGO)
    assert (start, end) == (
        dt.datetime(2031, 3, 1, 6, tzinfo=dt.UTC),  # CST
        dt.datetime(2031, 4, 1, 5, tzinfo=dt.UTC),  # CDT
    )


# ---------------------------------------------------------------- what counts

TEXT = (
    "Residents say drivers are speeding on Elm Street. "
    "A member asked for interpreters at the front desk. "
    "Another member said speeding near the school worries parents. "
    "Sgt. Moua will share stop data next month."
)
SPEEDING_WORRY = "Another member said speeding near the school worries parents."


def analysed(session: Session, world: World, start: dt.datetime, **kw: object) -> Meeting:
    meeting = create_meeting(session, committee=world.committee, start_at=start, status="held")
    number = add_revision(session, meeting, TEXT)
    analysis = fake_analysis(
        TEXT,
        topics={
            "traffic-safety": ["speeding on Elm Street", "speeding near the school"],
            "language-access": ["interpreters"],
        },
        concerns=[(SPEEDING_WORRY, ["traffic-safety", "youth"])],
    )
    store_analysis(
        session, meeting_id=meeting.id or 0, revision_number=number, text=TEXT,
        analysis=analysis, topic_list_version="v",
    )  # fmt: skip
    session.commit()
    return meeting


def test_proposals_count_as_all_and_a_person_s_review_decides_confirmed(
    session: Session, world: World
) -> None:
    january = dt.date(2031, 1, 1)
    meeting = analysed(session, world, at(dt.date(2031, 1, 15)))
    traffic, language = slug_id(session, "traffic-safety"), slug_id(session, "language-access")
    youth = slug_id(session, "youth")
    city = world.city.id or 0

    counts = topic_counts(session, [city])
    # (meetings all/confirmed, mentions all/confirmed, concerns all/confirmed)
    assert counts[(city, traffic, january)] == (1, 0, 2, 0, 1, 0)
    assert counts[(city, language, january)] == (1, 0, 1, 0, 0, 0)
    assert counts[(city, youth, january)] == (0, 0, 0, 0, 1, 0)  # the concern's second topic

    liaison = load_viewer(session, world.users["liaison"])
    review.confirm_topic(session, meeting.id or 0, traffic, by=liaison)
    review.reject_topic(session, meeting.id or 0, language, by=liaison)
    concern = session.exec(select(Concern).where(Concern.meeting_id == meeting.id)).one()
    review.confirm_concern(session, meeting.id or 0, concern.id or 0, by=liaison)
    session.commit()

    counts = topic_counts(session, [city])
    assert counts[(city, traffic, january)] == (1, 1, 2, 2, 1, 1)
    assert (city, language, january) not in counts  # rejected: neither meeting nor evidence
    assert counts[(city, youth, january)] == (0, 0, 0, 0, 1, 1)


def test_rejected_and_missing_concerns_and_cancelled_meetings_count_nothing(
    session: Session, world: World
) -> None:
    january = dt.date(2031, 1, 1)
    first = analysed(session, world, at(dt.date(2031, 1, 7)))
    second = analysed(session, world, at(dt.date(2031, 1, 21)))
    traffic, city = slug_id(session, "traffic-safety"), world.city.id or 0
    assert topic_counts(session, [city])[(city, traffic, january)] == (2, 0, 4, 0, 2, 0)

    liaison = load_viewer(session, world.users["liaison"])
    concern = session.exec(select(Concern).where(Concern.meeting_id == first.id)).one()
    review.reject_concern(session, first.id or 0, concern.id or 0, by=liaison)
    other = session.exec(select(Concern).where(Concern.meeting_id == second.id)).one()
    other.missing_since_revision = 2  # its words are gone from a newer revision
    session.add(other)
    session.commit()
    assert topic_counts(session, [city])[(city, traffic, january)] == (2, 0, 4, 0, 0, 0)

    meetings.set_status(
        session, second.id or 0, viewer=liaison, status="cancelled",
        seen=meetings.Seen(version=second.version),
    )  # fmt: skip
    session.commit()
    assert topic_counts(session, [city])[(city, traffic, january)] == (1, 0, 2, 0, 0, 0)


def test_a_meeting_counts_in_the_county_month_of_its_start(session: Session, world: World) -> None:
    analysed(session, world, dt.datetime(2031, 2, 1, 0, 30, tzinfo=dt.UTC))  # Jan 31, 6:30 pm
    traffic, city = slug_id(session, "traffic-safety"), world.city.id or 0
    months = {month for (_c, topic, month) in topic_counts(session, [city]) if topic == traffic}
    assert months == {dt.date(2031, 1, 1)}


def test_keywords_count_meetings_per_month_county_wide(session: Session, world: World) -> None:
    analysed(session, world, at(dt.date(2031, 5, 6)))
    analysed(session, world, at(dt.date(2031, 5, 20)))
    analysed(session, world, at(dt.date(2031, 6, 3)))
    may, june = dt.date(2031, 5, 1), dt.date(2031, 6, 1)
    assert keyword_counts(session, {may, june}) == {("stop data", may): 2, ("stop data", june): 1}


# ---------------------------------------------------------------- real service calls, rebuilt

SPEEDING = (
    "1. Call to order\n"
    "Residents on Elm Street say drivers are speeding past the school at pickup time. "
    "A member said parents are worried about speeding near the crosswalk.\n"
    "2. Chief's report\n"
    "Lt. Okafor will bring stop data to the next meeting.\n"
)
INTERPRETERS = (
    "1. Language access\n"
    "A member asked why interpreters are not available at the front desk. "
    "Residents are concerned that translation of police forms takes weeks.\n"
    "2. Youth\n"
    "The committee discussed teens at the skate park and a youth academy.\n"
)
HOUSING = (
    "1. Homelessness\n"
    "Members raised concerns about the encampment by the river and people sleeping in cars. "
    "The chief said officers will work with outreach on homelessness.\n"
)


def save(session: Session, viewer: Viewer, meeting: Meeting, text: str) -> None:
    minutes_service.save_minutes(
        session, meeting.id or 0, text=text, base_revision=0, note=None, by=viewer
    )
    session.commit()


def topic_ids_of(session: Session, meeting: Meeting) -> set[int]:
    from jcpp.models import MeetingTopic

    return set(
        session.exec(
            select(MeetingTopic.topic_id).where(MeetingTopic.meeting_id == meeting.id)
        ).all()
    )


def test_rebuild_gives_exactly_the_counts_kept_current_on_write(
    session: Session, world: World
) -> None:
    admin = load_viewer(session, world.users["admin"])
    cities = [world.city.id or 0, world.other_city.id or 0]
    january, february = at(dt.date(2031, 1, 15)), at(dt.date(2031, 2, 19))
    m1 = create_meeting(session, committee=world.committee, start_at=january, status="held")
    m2 = create_meeting(session, committee=world.committee, start_at=february, status="held")
    m3 = create_meeting(session, committee=world.other_committee, start_at=january, status="held")
    m4 = create_meeting(session, committee=world.other_committee, start_at=february, status="held")
    session.commit()
    save(session, admin, m1, SPEEDING)
    save(session, admin, m2, INTERPRETERS)
    save(session, admin, m3, HOUSING)
    save(session, admin, m4, SPEEDING + HOUSING)
    assert topic_ids_of(session, m1) and topic_ids_of(session, m2) and topic_ids_of(session, m3)

    # Reviews: confirm, reject, add a topic; edit a concern's topics.
    traffic, housing = slug_id(session, "traffic-safety"), slug_id(session, "housing-homelessness")
    youth, language = slug_id(session, "youth"), slug_id(session, "language-access")
    review.confirm_topic(session, m1.id or 0, traffic, by=admin)
    review.reject_topic(session, m2.id or 0, language, by=admin)
    review.add_topic(session, m3.id or 0, youth, by=admin)
    session.commit()
    concern = session.exec(select(Concern).where(Concern.meeting_id == m4.id)).first()
    assert concern is not None, "the pipeline found no concern in the minutes"
    review.edit_concern(
        session, m4.id or 0, concern.id or 0, text=concern.text, topic_ids=[youth, housing],
        by=admin,
    )  # fmt: skip
    session.commit()

    # A meeting moves across a month boundary (and back into January of the other city's
    # months); another is cancelled; a second revision of the minutes is analysed again.
    march = at(dt.date(2031, 3, 4))
    meetings.update_meeting(
        session, m2.id or 0, viewer=admin,
        details=meetings.MeetingDetails(start_at=march, end_at=None, place=m2.place),
        seen=meetings.Seen(version=m2.version),
    )  # fmt: skip
    session.commit()
    meetings.set_status(
        session, m3.id or 0, viewer=admin, status="cancelled",
        seen=meetings.Seen(version=m3.version),
    )  # fmt: skip
    session.commit()
    minutes_service.save_minutes(
        session, m1.id or 0, text=SPEEDING + INTERPRETERS, base_revision=1, note=None, by=admin
    )
    session.commit()

    # A topic merged into another moves its rows.
    merge_topic(session, "youth", into="traffic-safety", by=admin)
    session.commit()

    incremental = topic_counts(session, cities)
    months = {dt.date(2031, m, 1) for m in (1, 2, 3)}
    keywords = keyword_counts(session, months)
    assert incremental and keywords
    # What the sequence must have left: nothing in February (m2 moved), nothing in the other
    # city in January (m3 cancelled), no row of the merged topic.
    assert {month for (_c, _t, month) in incremental} == {
        dt.date(2031, 1, 1), dt.date(2031, 2, 1), dt.date(2031, 3, 1)
    }  # fmt: skip
    assert not [k for k in incremental if k[0] == cities[1] and k[2] == dt.date(2031, 1, 1)]
    assert not [k for k in incremental if k[0] == cities[0] and k[2] == dt.date(2031, 2, 1)]
    assert not [k for k in incremental if k[1] == youth]
    concerns_of_m4 = session.exec(
        select(ConcernTopic.topic_id).where(ConcernTopic.concern_id == concern.id)
    ).all()
    assert set(concerns_of_m4) == {traffic, housing}
    assert incremental[(cities[1], traffic, dt.date(2031, 2, 1))][4] >= 1

    summary = rebuild(session)
    session.commit()

    assert topic_counts(session, cities) == incremental
    assert keyword_counts(session, months) == keywords
    assert summary.topic_rows >= len(incremental)
    assert summary.keyword_rows >= len(keywords)
