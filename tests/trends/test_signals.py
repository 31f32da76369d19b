"""Signals: the arithmetic on series whose answer is known, then `find_signals` on constructed
meeting histories (a real rise, noise, a spread, a persisting topic, a new term)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from jcpp.models import Committee, Meeting, MeetingTopic, MinutesAnalysis
from jcpp.trends import stats
from jcpp.trends.new_terms import TermMatcher
from jcpp.trends.signals import find_signals
from tests.analysis.helpers import load_topics, slug_id
from tests.factories import create_city, create_committee

CHICAGO = ZoneInfo("America/Chicago")
TODAY = dt.date(2031, 12, 10)  # period Sep–Dec 2031; baseline Sep 2030–Aug 2031
PERIOD = [dt.date(2031, m, 1) for m in (9, 10, 11, 12)]
BASELINE = [stats.add_months(dt.date(2030, 9, 1), i) for i in range(12)]


# ---------------------------------------------------------------- the arithmetic


def test_binomial_tail_and_the_conditional_poisson_test_give_known_values() -> None:
    assert stats.binomial_tail(2, 2, 0.5) == pytest.approx(0.25)
    assert stats.binomial_tail(0, 5, 0.3) == 1.0
    assert stats.binomial_tail(6, 5, 0.3) == 0.0
    # Never raised in 12 meetings, then at 3 of 3: each of the 3 raisings falls in the period
    # with probability 3/15.
    assert stats.rise_chance(3, 3, 0, 12) == pytest.approx(0.2**3)
    # 4 of 4 against 2 of 12: P(X >= 4) for X ~ Bin(6, 1/4).
    assert stats.rise_chance(4, 4, 2, 12) == pytest.approx(0.03759765625)


def test_a_real_rise_is_flagged_with_its_numbers_in_words() -> None:
    test = stats.assess_rise(6, 6, 1, 12, min_count=3, max_chance=0.01)
    assert test is not None
    assert test.chance == pytest.approx(stats.binomial_tail(6, 7, 6 / 18))
    sentence = stats.rise_sentence(test, period="Sep–Nov", baseline_months=12)
    assert sentence == (
        "Raised at 6 of 6 meetings in Sep–Nov; in the 12 months before, at 1 of 12 (about 1 in "
        "12). A rise this large would happen by chance less than 1 time in 100."
    )


@pytest.mark.parametrize(
    ("recent", "recent_held", "baseline", "baseline_held", "why"),
    [
        (1, 1, 0, 12, "one meeting is never a trend"),
        (2, 3, 0, 12, "below the minimum count"),
        (1, 3, 4, 12, "the usual rate: noise"),
        (3, 3, 4, 12, "high, but chance explains it often enough"),
        (3, 9, 4, 12, "no higher than the baseline's rate"),
        (3, 3, 0, 0, "no baseline meetings to compare with"),
    ],
)
def test_noise_and_single_meetings_are_not_flagged(
    recent: int, recent_held: int, baseline: int, baseline_held: int, why: str
) -> None:
    assert (
        stats.assess_rise(
            recent, recent_held, baseline, baseline_held, min_count=3, max_chance=0.01
        )
        is None
    ), why


def test_latest_streak_counts_back_from_the_latest() -> None:
    assert stats.latest_streak([True, False, True, True, True]) == 3
    assert stats.latest_streak([True, True, False]) == 0
    assert stats.latest_streak([]) == 0


def test_plain_words() -> None:
    assert stats.month_span(dt.date(2026, 9, 1), dt.date(2026, 11, 1)) == "Sep–Nov"
    assert stats.month_span(dt.date(2025, 12, 1), dt.date(2026, 2, 1)) == "Dec 2025–Feb 2026"
    assert stats.month_span(dt.date(2026, 11, 1), dt.date(2026, 11, 1)) == "Nov"
    assert stats.about_one_in(2, 12) == "about 1 in 6"
    assert stats.about_one_in(0, 12) == "none"
    assert stats.about_one_in(5, 5) == "every one"
    assert stats.chance_words(0.0004) == "less than 1 time in 1,000"
    assert stats.chance_words(0.008) == "less than 1 time in 100"
    assert stats.chance_words(0.025) == "about 1 time in 40"
    assert stats.add_months(dt.date(2031, 11, 1), 2) == dt.date(2032, 1, 1)
    assert stats.add_months(dt.date(2031, 1, 1), -1) == dt.date(2030, 12, 1)


def test_a_term_is_covered_by_a_topic_term_or_city_name_lemmatised() -> None:
    matcher = TermMatcher(["traffic stop data", "speeding|0.5", "Brooklyn Park"])
    assert matcher.covers("stop data")  # within a term
    assert matcher.covers("speeding")  # the weight mark is not part of the term
    assert matcher.covers("brooklyn park")
    assert matcher.covers("the")  # function words only
    assert not matcher.covers("snow emergency")


# ---------------------------------------------------------------- constructed histories


def _meeting(
    session: Session, committee: Committee, month: dt.date, *, topics: Sequence[int] = (),
    state: str = "proposed", keywords: Sequence[str] = (),
) -> Meeting:  # fmt: skip
    start = dt.datetime.combine(month.replace(day=15), dt.time(18, 30), tzinfo=CHICAGO)
    meeting = Meeting(committee_id=committee.id or 0, start_at=start.astimezone(dt.UTC),
                      status="held")  # fmt: skip
    session.add(meeting)
    session.flush()
    session.add(
        MinutesAnalysis(
            meeting_id=meeting.id or 0, revision_number=1, pipeline_version="t",
            topic_list_version="t", keywords=[{"term": k, "score": 1.0} for k in keywords],
        )
    )  # fmt: skip
    for topic_id in topics:
        session.add(MeetingTopic(meeting_id=meeting.id or 0, topic_id=topic_id, state=state))
    return meeting


def _history(
    session: Session, committee: Committee, *, baseline: Sequence[int] = (),
    recent: Sequence[int] = (), topic: int, state: str = "proposed",
    recent_keywords: Sequence[str] = (),
) -> None:  # fmt: skip
    """Monthly meetings over the baseline and the period; the topic raised at the baseline's
    meetings numbered in `baseline` and the period's numbered in `recent`."""
    for i, month in enumerate(BASELINE):
        _meeting(session, committee, month, topics=[topic] if i in baseline else [], state=state)
    for i, month in enumerate(PERIOD):
        raised = [topic] if i in recent else []
        _meeting(session, committee, month, topics=raised, state=state, keywords=recent_keywords)


@pytest.fixture
def topics(session: Session) -> dict[str, int]:
    load_topics(session)
    return {s: slug_id(session, s) for s in ("housing-homelessness", "youth", "immigration")}


def _committees(session: Session, count: int) -> list[Committee]:
    return [create_committee(session, city=create_city(session)) for _ in range(count)]


def test_find_signals_flags_a_real_rise_and_not_noise(
    session: Session, topics: dict[str, int]
) -> None:
    rising, noisy = _committees(session, 2)
    housing = topics["housing-homelessness"]
    _history(session, rising, baseline=[], recent=[0, 1, 2, 3], topic=housing)
    _history(session, noisy, baseline=[0, 3, 6, 9], recent=[0, 2, 3], topic=housing)
    session.commit()
    cities = frozenset({rising.city_id, noisy.city_id})

    found = find_signals(session, city_ids=cities, today=TODAY, confirmed_only=False)

    assert [(s.drill.city_ids, s.drill.topic_id) for s in found.rising] == [
        ((rising.city_id,), housing)
    ]
    signal = found.rising[0]
    assert signal.explanation == (
        "Raised at 4 of 4 meetings in Sep–Dec; in the 12 months before, at 0 of 12 (none). "
        "A rise this large would happen by chance less than 1 time in 100."
    )
    assert (signal.drill.first_month, signal.drill.last_month) == (BASELINE[0], PERIOD[-1])
    assert signal.numbers["chance"] == pytest.approx(0.25**4)
    # Only what a person confirmed: the proposals count nothing.
    assert not find_signals(session, city_ids=cities, today=TODAY, confirmed_only=True).rising
    # Out of the cities asked about, nothing.
    others = frozenset({noisy.city_id})
    assert not find_signals(session, city_ids=others, today=TODAY, confirmed_only=False).rising


def test_a_topic_newly_raised_in_three_cities_is_spreading(
    session: Session, topics: dict[str, int]
) -> None:
    committees = _committees(session, 4)
    immigration = topics["immigration"]
    _history(session, committees[0], recent=[0], topic=immigration)
    _history(session, committees[1], recent=[1], topic=immigration)
    _history(session, committees[2], recent=[2], topic=immigration)
    _history(session, committees[3], baseline=[5], recent=[2], topic=immigration)  # not new
    session.commit()
    cities = frozenset(c.city_id for c in committees)

    found = find_signals(session, city_ids=cities, today=TODAY, confirmed_only=False)

    assert len(found.spreading) == 1
    signal = found.spreading[0]
    assert signal.drill.topic_id == immigration
    assert signal.drill.city_ids == tuple(c.city_id for c in committees[:3])
    assert signal.explanation.startswith("Newly raised in 3 cities in Sep–Dec: ")
    assert "(Sep), " in signal.explanation and signal.explanation.endswith(
        "None of them had raised it in the 12 months before."
    )
    # Two cities are not a spread.
    two = frozenset(c.city_id for c in committees[:2])
    assert not find_signals(session, city_ids=two, today=TODAY, confirmed_only=False).spreading


def test_a_topic_raised_at_every_latest_meeting_of_a_committee_is_persisting(
    session: Session, topics: dict[str, int]
) -> None:
    steady, broken = _committees(session, 2)
    youth = topics["youth"]
    _history(session, steady, baseline=[8, 9, 10, 11], recent=[0, 1, 2, 3], topic=youth)
    _history(session, broken, baseline=[9, 10, 11], recent=[0, 1, 3], topic=youth)
    session.commit()
    cities = frozenset({steady.city_id, broken.city_id})

    found = find_signals(session, city_ids=cities, today=TODAY, confirmed_only=False)

    assert [s.drill.committee_id for s in found.persisting] == [steady.id]
    signal = found.persisting[0]
    assert signal.numbers["meetings"] == 8
    assert signal.explanation == (
        f"Raised at each of the last 8 meetings of the {steady.name}, May–Dec."
    )
    assert (signal.drill.first_month, signal.drill.last_month) == (BASELINE[8], PERIOD[-1])


def test_a_keyword_no_topic_covers_is_offered_as_a_new_term(
    session: Session, topics: dict[str, int]
) -> None:
    committees = _committees(session, 3)
    for committee in committees:
        _history(session, committee, topic=topics["youth"],
                 recent_keywords=["snow emergency", "stop data"])  # fmt: skip
    session.commit()

    found = find_signals(session, city_ids=None, today=TODAY, confirmed_only=False)
    terms = [s.drill.term for s in found.new_terms]

    assert "snow emergency" in terms
    assert "stop data" not in terms  # a term of the topic Traffic stops
    signal = found.new_terms[terms.index("snow emergency")]
    assert signal.numbers["baseline"] == 0 and signal.numbers["recent"] >= 9
    # County-wide: not offered when only some cities are in scope.
    some = frozenset({committees[0].city_id})
    assert not find_signals(session, city_ids=some, today=TODAY, confirmed_only=False).new_terms
