"""The trend counts' consistency check: nothing written when they agree with a rebuild; the
differing cells named and repaired when they do not."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.models import KeywordMonthCount, Meeting, MeetingTopic, MinutesAnalysis, TopicMonthCount
from scheduler.tasks.rollups import check_trend_counts
from tests.analysis.helpers import load_topics, slug_id
from tests.factories import create_city, create_committee


def held(session: Session, committee_id: int, month: int, topic: int, keyword: str) -> None:
    start = dt.datetime(2026, month, 15, 18, 30, tzinfo=clock.zone()).astimezone(dt.UTC)
    meeting = Meeting(committee_id=committee_id, start_at=start, status="held")
    session.add(meeting)
    session.flush()
    session.add(
        MinutesAnalysis(
            meeting_id=meeting.id or 0, revision_number=1, pipeline_version="t",
            topic_list_version="t", keywords=[{"term": keyword, "score": 1.0}],
        )
    )  # fmt: skip
    session.add(MeetingTopic(meeting_id=meeting.id or 0, topic_id=topic, state="confirmed"))


def counts(session: Session, city_id: int) -> list[tuple[int, dt.date, int, int]]:
    rows = session.exec(
        select(TopicMonthCount)
        .where(TopicMonthCount.city_id == city_id)
        .order_by(col(TopicMonthCount.month))
    ).all()
    return [(r.topic_id, r.month, r.meetings_all, r.meetings_confirmed) for r in rows]


def test_counts_that_agree_are_left_alone_and_wrong_ones_repaired_and_named(
    session: Session, at: list[dt.datetime]
) -> None:
    # The check covers the whole database, which this worker's other tests share (and some of
    # them change rows directly, as no service does): start from consistent counts.
    check_trend_counts(session, now=at[0], period="2026-11-23")
    load_topics(session)
    youth = slug_id(session, "youth")
    committee = create_committee(session, city=create_city(session, name="Countsville"))
    for month in (9, 10):
        held(session, committee.id or 0, month, youth, "skate park")
    session.commit()  # the counts are kept current at commit
    city = committee.city_id
    right = counts(session, city)
    assert right == [
        (youth, dt.date(2026, 9, 1), 1, 1),
        (youth, dt.date(2026, 10, 1), 1, 1),
    ]

    agreed = check_trend_counts(session, now=at[0], period="2026-11-24")

    assert agreed.startswith("trend counts consistent: ")
    assert counts(session, city) == right

    session.exec(
        update(TopicMonthCount)
        .where(
            col(TopicMonthCount.city_id) == city, col(TopicMonthCount.month) == dt.date(2026, 9, 1)
        )
        .values(meetings_all=5)
    )
    session.exec(
        delete(TopicMonthCount).where(
            col(TopicMonthCount.city_id) == city, col(TopicMonthCount.month) == dt.date(2026, 10, 1)
        )
    )
    session.add(KeywordMonthCount(term="zzz phantom", month=dt.date(2026, 9, 1), meetings=3))
    session.flush()

    repaired = check_trend_counts(session, now=at[0], period="2026-11-25")

    assert repaired.startswith("trend counts repaired, rebuilt from the source rows: ")
    assert "2 topic_month_count cells (Countsville · youth · 2026-09: meetings_all 5 → 1; " in (
        repaired
    )
    assert "Countsville · youth · 2026-10: meetings_all 0 → 1, meetings_confirmed 0 → 1" in repaired
    assert "1 keyword_month_count cell (zzz phantom · 2026-09: meetings 3 → 0)" in repaired
    assert counts(session, city) == right
    phantom = select(func.count()).where(KeywordMonthCount.term == "zzz phantom")
    assert session.exec(phantom).one() == 0
    assert check_trend_counts(session, now=at[0], period="2026-11-26").startswith(
        "trend counts consistent"
    )
