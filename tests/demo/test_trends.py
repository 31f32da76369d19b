"""The demo's trends: two years of counts kept on load, and its story shows one signal of each
kind (a rise in one city, a topic spreading across cities, a topic persisting)."""

from __future__ import annotations

from sqlmodel import select

from jcpp.demo import trend_story as story
from jcpp.models import City, KeywordMonthCount, TopicMonthCount
from jcpp.trends.rollup import rebuild
from jcpp.trends.signals import find_signals
from tests.demo.conftest import TODAY, Loaded


def _snapshot(demo: Loaded) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    session = demo.session
    topics = session.exec(
        select(
            TopicMonthCount.city_id, TopicMonthCount.topic_id, TopicMonthCount.month,
            TopicMonthCount.meetings_all, TopicMonthCount.mentions_all,
            TopicMonthCount.concerns_all,
        ).order_by(TopicMonthCount.city_id, TopicMonthCount.topic_id, TopicMonthCount.month)
    ).all()  # fmt: skip
    keywords = session.exec(
        select(
            KeywordMonthCount.term, KeywordMonthCount.month, KeywordMonthCount.meetings
        ).order_by(KeywordMonthCount.term, KeywordMonthCount.month)
    ).all()
    return [tuple(row) for row in topics], [tuple(row) for row in keywords]


def test_the_demo_has_two_years_of_counts_and_a_rebuild_changes_nothing(demo: Loaded) -> None:
    topics, keywords = _snapshot(demo)
    months = {month for _city, _topic, month, *_counts in topics}
    assert len(months) >= 23  # a held meeting with minutes in (nearly) every month
    assert len({city for city, *_rest in topics}) == 11
    assert keywords

    rebuild(demo.session)
    try:
        assert _snapshot(demo) == (topics, keywords)
    finally:
        demo.session.rollback()


def _city_ids(demo: Loaded, slugs: tuple[str, ...]) -> set[int]:
    rows = demo.session.exec(select(City.id).where(City.slug.in_(slugs))).all()  # type: ignore[attr-defined]
    return {city_id for city_id in rows if city_id is not None}


def test_the_demo_s_story_gives_a_rise_a_spread_and_a_persisting_topic(demo: Loaded) -> None:
    found = find_signals(demo.session, city_ids=None, today=TODAY, confirmed_only=False)

    rising = [(s.topic_name, s.place) for s in found.rising]
    assert ("Surveillance technology", "Crystal") in rising
    crystal = next(s for s in found.rising if s.place == "Crystal")
    assert crystal.explanation.startswith("Raised at 3 of 3 meetings in Dec 2025–Mar 2026;")

    spreading = {s.topic_name: set(s.drill.city_ids) for s in found.spreading}
    assert spreading["Hate and bias incidents"] >= _city_ids(demo, story.SPREADING_CITIES)

    persisting = {(s.topic_name, s.place): s.numbers["meetings"] for s in found.persisting}
    richfield = persisting[("Traffic safety", "Richfield Multicultural Advisory Committee")]
    assert richfield >= story.PERSISTING_MEETINGS
