"""Trend signals from the rollups: what is rising, spreading and persisting, and new terms.

`find_signals` reads only the months it needs (the period and the baseline before it) and
aggregates in SQL; each signal says in plain words what the numbers are, and names what to drill
into (topic, cities, committee, months) so that the dashboard links to the evidence.

Thresholds (keyword arguments of `find_signals`, defaults below):
- rising: a city's topic raised at ≥ RISE_MIN_MEETINGS meetings in the last PERIOD_MONTHS
  months (this month included), at a higher rate than in the BASELINE_MONTHS months before,
  and chance (the conditional Poisson test, `jcpp.trends.stats`) would explain it less than
  MAX_CHANCE of the time. Rates are per meeting held with analysed minutes.
- spreading: a topic raised in the last PERIOD_MONTHS months in ≥ SPREAD_MIN_CITIES cities
  that had not raised it in the BASELINE_MONTHS months before (and held ≥ HISTORY_MIN_MEETINGS
  analysed meetings then, so a city new to the app is not "new" to the topic).
- persisting: a topic raised at each of a committee's last ≥ PERSIST_MIN_MEETINGS held,
  analysed meetings, the latest of them in the period (`jcpp.trends.persisting`).
- new terms (county-wide, so only when all cities are in scope): a keyword of the analyses in
  ≥ TERM_MIN_MEETINGS meetings of the period, whose share of meetings rose against the baseline
  by the same test, and that matches no topic's name or terms nor a city's name
  (`jcpp.trends.new_terms`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, case, func
from sqlmodel import Session, col, select

from jcpp.config import get_settings
from jcpp.models import City, Committee, Meeting, MinutesAnalysis, Topic, TopicMonthCount
from jcpp.trends import new_terms, persisting, stats
from jcpp.trends.signal_types import Drill, Held, Names, Signal, Signals, Window

# Four months, this one included: at least three whole months, so that a monthly committee
# has held three meetings in the period even early in a month.
PERIOD_MONTHS = 4
BASELINE_MONTHS = 12
RISE_MIN_MEETINGS = 3
MAX_CHANCE = 0.01
SPREAD_MIN_CITIES = 3
HISTORY_MIN_MEETINGS = 3
PERSIST_MIN_MEETINGS = persisting.MIN_MEETINGS
TERM_MIN_MEETINGS = new_terms.MIN_MEETINGS


def in_cities(column: object, city_ids: frozenset[int] | None) -> list[ColumnElement[bool]]:
    return [] if city_ids is None else [col(column).in_(sorted(city_ids))]


def held_meetings(session: Session, window: Window, city_ids: frozenset[int] | None) -> Held:
    """Per city, the held (not cancelled) meetings with analysed minutes in the baseline and in
    the period: the meetings a topic could have been raised at."""
    recent = case((col(Meeting.start_at) >= window.start(window.period_first), 1), else_=0)
    rows = session.connection().execute(
        sa.select(col(Committee.city_id), func.count(), func.sum(recent))
        .select_from(MinutesAnalysis)
        .join(Meeting, col(Meeting.id) == MinutesAnalysis.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(
            col(Meeting.status) != "cancelled",
            col(Meeting.start_at) >= window.start(window.baseline_first),
            col(Meeting.start_at) < window.end(),
            *in_cities(Committee.city_id, city_ids),
        )
        .group_by(col(Committee.city_id))
    )
    return Held({city: (total - int(rec), int(rec)) for city, total, rec in rows})


# ---------------------------------------------------------------- rising and spreading


def _topic_sums(
    session: Session, window: Window, *, city_ids: frozenset[int] | None,
    topic_ids: set[int] | None, confirmed_only: bool, min_recent: int,
) -> list[tuple[int, int, int, int]]:  # fmt: skip
    """(city, topic, meetings raising it in the baseline, in the period) for the topics of a
    city raised in the period at ≥ min_recent meetings, or newly (at no meeting of the
    baseline).

    Only the period's rows are grouped; the baseline is looked up per (city, topic) in the
    primary key (city, topic, month): whether it has rows at all without reading the table,
    and their meetings only when it has."""
    meetings = _meetings_column(confirmed_only)
    base = sa.orm.aliased(TopicMonthCount)
    in_baseline = (
        (col(base.city_id) == TopicMonthCount.city_id),
        (col(base.topic_id) == TopicMonthCount.topic_id),
        (col(base.month) >= window.baseline_first),
        (col(base.month) < window.period_first),
    )
    base_meetings = col(base.meetings_confirmed if confirmed_only else base.meetings_all)
    rows_before = sa.select(func.count()).where(*in_baseline).scalar_subquery()
    sum_before = sa.select(func.coalesce(func.sum(base_meetings), 0)).where(*in_baseline)
    before = case((rows_before == 0, 0), else_=sum_before.scalar_subquery())
    recent = func.sum(meetings)
    rows = session.connection().execute(
        sa.select(
            col(TopicMonthCount.city_id), col(TopicMonthCount.topic_id), recent, before
        )
        .where(
            col(TopicMonthCount.month) >= window.period_first,
            col(TopicMonthCount.month) <= window.period_last, meetings > 0,
            *in_cities(TopicMonthCount.city_id, city_ids), *_of_topics(topic_ids),
        )
        .group_by(col(TopicMonthCount.city_id), col(TopicMonthCount.topic_id))
        .having((recent >= min_recent) | (before == 0))
    )  # fmt: skip
    return [(c, t, int(b), int(r)) for c, t, r, b in rows]


def _meetings_column(confirmed_only: bool) -> Any:
    if confirmed_only:
        return col(TopicMonthCount.meetings_confirmed)
    return col(TopicMonthCount.meetings_all)


def _of_topics(topic_ids: set[int] | None) -> list[ColumnElement[bool]]:
    return [] if topic_ids is None else [col(TopicMonthCount.topic_id).in_(sorted(topic_ids))]


def _first_months(
    session: Session, window: Window, pairs: set[tuple[int, int]], *, confirmed_only: bool
) -> dict[tuple[int, int], dt.date]:
    """The first month of the period each (city, topic) was raised in (only the period's rows
    of these topics and cities are read)."""
    meetings = _meetings_column(confirmed_only)
    rows = session.connection().execute(
        sa.select(
            col(TopicMonthCount.city_id), col(TopicMonthCount.topic_id),
            func.min(col(TopicMonthCount.month)),
        )
        .where(
            col(TopicMonthCount.month) >= window.period_first,
            col(TopicMonthCount.month) <= window.period_last,
            meetings > 0,
            col(TopicMonthCount.topic_id).in_(sorted({t for _c, t in pairs})),
            col(TopicMonthCount.city_id).in_(sorted({c for c, _t in pairs})),
        )
        .group_by(col(TopicMonthCount.city_id), col(TopicMonthCount.topic_id))
    )  # fmt: skip
    return {(c, t): _as_date(first) for c, t, first in rows if (c, t) in pairs}


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])  # SQLite's MIN loses the column's type


def _rising(
    sums: list[tuple[int, int, int, int]], held: Held, window: Window,
    names: Names, *, min_meetings: int, max_chance: float,
) -> list[Signal]:  # fmt: skip
    found = []
    for city_id, topic_id, baseline, recent in sums:
        baseline_held, recent_held = held.of(city_id)
        test = stats.assess_rise(
            recent, recent_held, baseline, baseline_held,
            min_count=min_meetings, max_chance=max_chance,
        )  # fmt: skip
        if test is None:
            continue
        topic, city = names.topics[topic_id], names.cities[city_id]
        explanation = stats.rise_sentence(
            test, period=window.period, baseline_months=window.baseline_months
        )
        numbers = {
            "recent": test.recent, "recent_held": test.recent_held,
            "baseline": test.baseline, "baseline_held": test.baseline_held, "chance": test.chance,
        }  # fmt: skip
        drill = Drill(topic_id, (city_id,), window.baseline_first, window.period_last)
        found.append(Signal("rising", f"{topic} rising in {city}", explanation, drill, topic, city,
                            numbers))  # fmt: skip
    return sorted(found, key=lambda s: (s.numbers["chance"], s.title))


def _newly_raised(
    sums: list[tuple[int, int, int, int]], held: Held, *, min_cities: int, min_history: int
) -> set[tuple[int, int]]:
    """(city, topic) raised in the period and not in the baseline (the city had held enough
    meetings then), for topics newly raised in at least `min_cities` cities."""
    newly: defaultdict[int, set[int]] = defaultdict(set)
    for city_id, topic_id, baseline, recent in sums:
        if baseline == 0 and recent > 0 and held.of(city_id)[0] >= min_history:
            newly[topic_id].add(city_id)
    return {(c, t) for t, cities in newly.items() if len(cities) >= min_cities for c in cities}


def _spreading(
    session: Session, sums: list[tuple[int, int, int, int]], held: Held, window: Window,
    names: Names, *, min_cities: int, min_history: int, confirmed_only: bool,
) -> list[Signal]:  # fmt: skip
    pairs = _newly_raised(sums, held, min_cities=min_cities, min_history=min_history)
    if not pairs:
        return []
    firsts = _first_months(session, window, pairs, confirmed_only=confirmed_only)
    by_topic: defaultdict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for (city_id, topic_id), first in firsts.items():
        by_topic[topic_id].append((first, city_id))
    found = []
    for topic_id, cities in by_topic.items():
        cities.sort(key=lambda fc: (fc[0], names.cities[fc[1]]))
        topic = names.topics[topic_id]
        listed = ", ".join(f"{names.cities[c]} ({stats.month_name(m)})" for m, c in cities)
        explanation = (
            f"Newly raised in {len(cities)} cities in {window.period}: {listed}. None of them "
            f"had raised it in the {window.baseline_months} months before."
        )
        drill = Drill(topic_id, tuple(c for _m, c in cities), window.period_first,
                      window.period_last)  # fmt: skip
        place = ", ".join(names.cities[c] for _m, c in cities)
        found.append(Signal("spreading", f"{topic} spreading: {len(cities)} cities", explanation,
                            drill, topic, place, {"cities": len(cities)}))  # fmt: skip
    return sorted(found, key=lambda s: (-s.numbers["cities"], s.title))


def _names(session: Session) -> Names:
    topics = {t: n for t, n in session.exec(select(Topic.id, Topic.name)) if t is not None}
    cities = {c: n for c, n in session.exec(select(City.id, City.name)) if c is not None}
    return Names(topics, cities)


def find_signals(
    session: Session,
    *,
    city_ids: frozenset[int] | None,
    today: dt.date,
    confirmed_only: bool,
    topic_ids: set[int] | None = None,
    period_months: int = PERIOD_MONTHS,
    baseline_months: int = BASELINE_MONTHS,
    rise_min_meetings: int = RISE_MIN_MEETINGS,
    max_chance: float = MAX_CHANCE,
    spread_min_cities: int = SPREAD_MIN_CITIES,
    history_min_meetings: int = HISTORY_MIN_MEETINGS,
    persist_min_meetings: int = PERSIST_MIN_MEETINGS,
    term_min_meetings: int = TERM_MIN_MEETINGS,
) -> Signals:
    """The signals of the period ending with `today`'s month, in the cities `city_ids` (None:
    all), for the topics `topic_ids` (None: all). New terms are county-wide: offered only when
    both are None. With `confirmed_only`, only what a person confirmed counts. See the module
    for the thresholds."""
    window = Window.ending(
        today, period=period_months, baseline=baseline_months, zone=get_settings().zone
    )
    held = held_meetings(session, window, city_ids)
    names = _names(session)
    sums = _topic_sums(
        session, window, city_ids=city_ids, topic_ids=topic_ids,
        confirmed_only=confirmed_only, min_recent=rise_min_meetings,
    )  # fmt: skip
    return Signals(
        period_first=window.period_first,
        period_last=window.period_last,
        rising=_rising(
            sums, held, window, names, min_meetings=rise_min_meetings, max_chance=max_chance
        ),  # fmt: skip
        spreading=_spreading(
            session,
            sums,
            held,
            window,
            names,
            min_cities=spread_min_cities,
            min_history=history_min_meetings,
            confirmed_only=confirmed_only,
        ),  # fmt: skip
        persisting=persisting.find(
            session,
            window,
            names,
            city_ids=city_ids,
            topic_ids=topic_ids,
            confirmed_only=confirmed_only,
            min_meetings=persist_min_meetings,
        ),  # fmt: skip
        new_terms=new_terms.find(
            session, window, held, names, min_meetings=term_min_meetings, max_chance=max_chance
        )
        if city_ids is None and topic_ids is None
        else [],
    )
