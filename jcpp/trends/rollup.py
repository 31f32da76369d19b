"""Topic counts per city and month (`TopicMonthCount`) and keyword counts per month
(`KeywordMonthCount`), kept current on write and rebuilt from scratch by `rebuild`.

What counts (the same for the incremental refresh and the rebuild):
- A meeting counts nothing when it is cancelled; held and scheduled meetings count what their
  rows say. Its month is the first day of the month of its start in the county's time zone
  (`month_of`); its city is its committee's.
- `meetings_*`: meetings with a `MeetingTopic` row for the topic that is not rejected
  (`_all`: proposed or confirmed; `_confirmed`: confirmed, which includes topics a person added).
- `mentions_*`: evidence sentences (`TopicMention`) of the topic in those meetings: mentions of a
  topic whose meeting row is rejected (or missing) count nowhere, so evidence never contradicts
  a person's review; `_confirmed` counts the mentions of confirmed meeting topics.
- `concerns_*`: concerns tagged with the topic (`ConcernTopic`) that are not rejected
  (`_confirmed`: confirmed ones) and whose words are still in the newest minutes
  (`missing_since_revision` is empty). A concern counts for each of its topics.
- Retired topics keep their counts; a merged topic's rows move to the topic it was merged into.
- Only cells with something to count are stored: a missing row means zero.
- `KeywordMonthCount`: county-wide, in how many counted meetings of the month the analysis's
  keywords (`MinutesAnalysis.keywords`, lemmatised terms) include the term.

Refreshing recomputes whole cells: every (city, month) a marked meeting had before or has now,
every row of a marked topic, and the keyword rows of every month a marked meeting had or has.
Refreshing and rebuilding both write a new data version (`jcpp.trends.data_version`): signals
stored from the counts before are out of date.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, and_, delete, false, func, insert, or_, true
from sqlmodel import Session, col, select

from jcpp.config import get_settings
from jcpp.derived import Changes
from jcpp.models import (
    Committee,
    Concern,
    ConcernTopic,
    KeywordMonthCount,
    Meeting,
    MeetingTopic,
    MinutesAnalysis,
    TopicMention,
    TopicMonthCount,
)
from jcpp.trends import data_version

COUNTED_STATES = ("proposed", "confirmed")
CONFIRMED = "confirmed"
UNCOUNTED_MEETING_STATUS = "cancelled"
INSERT_BATCH = 5_000
KEYWORD_MAX_CHARS = 120

Cell = tuple[int, dt.date]  # (city id, month)
CountKey = tuple[int, int, dt.date]  # (city id, topic id, month)
COUNT_FIELDS = (
    "meetings_all",
    "meetings_confirmed",
    "mentions_all",
    "mentions_confirmed",
    "concerns_all",
    "concerns_confirmed",
)


def month_of(start_at: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The first day of the month, in the county's zone `zone`, of the moment `start_at`."""
    return start_at.astimezone(zone).date().replace(day=1)


def month_bounds(month: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """The UTC moments [start, end) of the county-zone month whose first day is `month`."""
    first = dt.datetime.combine(month.replace(day=1), dt.time(), tzinfo=zone)
    following = dt.datetime.combine(first.date() + relativedelta(months=1), dt.time(), tzinfo=zone)
    return first.astimezone(dt.UTC), following.astimezone(dt.UTC)


@dataclass
class RebuildSummary:
    """What `rebuild` wrote."""

    topic_rows: int = 0
    keyword_rows: int = 0
    meetings: int = 0  # meetings that count (not cancelled)
    months: int = 0
    cities: int = 0
    topics: int = 0
    seconds: float = 0.0


@dataclass
class _Tally:
    counts: defaultdict[CountKey, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )

    def add(self, key: CountKey, name: str, amount: int) -> None:
        if amount:
            self.counts[key][name] += amount

    def rows(self) -> Iterator[dict[str, Any]]:
        # Month first: a month's rows end up together in the table, so that reading a few
        # months (the dashboard, the signals) touches few pages.
        for city_id, topic_id, month in sorted(self.counts, key=lambda k: (k[2], k[0], k[1])):
            counts = self.counts[(city_id, topic_id, month)]
            if any(counts.values()):
                yield {"city_id": city_id, "topic_id": topic_id, "month": month} | {
                    name: counts[name] for name in COUNT_FIELDS
                }


# ---------------------------------------------------------------- counting from source rows


def _counted_meeting() -> ColumnElement[bool]:
    return col(Meeting.status) != UNCOUNTED_MEETING_STATUS


@dataclass(frozen=True)
class _Scope:
    """What to count: the meetings `meetings` selects (conditions on Meeting and Committee),
    and only the topics `topic_ids` (None: every topic)."""

    meetings: ColumnElement[bool]
    topic_ids: tuple[int, ...] | None = None

    def of_topic(self, column: Any) -> list[ColumnElement[bool]]:
        return [] if self.topic_ids is None else [col(column).in_(self.topic_ids)]


def _mention_counts(session: Session, scope: _Scope) -> dict[tuple[int, int], int]:
    """Evidence sentences per (meeting, topic). Aggregated on their own: a correlated count per
    meeting topic lets SQLite pick the topic index and scan every mention of the topic."""
    rows = session.connection().execute(
        sa.select(col(TopicMention.meeting_id), col(TopicMention.topic_id), func.count())
        .join(Meeting, col(Meeting.id) == TopicMention.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(_counted_meeting(), scope.meetings, *scope.of_topic(TopicMention.topic_id))
        .group_by(col(TopicMention.meeting_id), col(TopicMention.topic_id))
    )
    return {(meeting_id, topic_id): count for meeting_id, topic_id, count in rows}


def _tally_topics(session: Session, zone: ZoneInfo, scope: _Scope, tally: _Tally) -> None:
    """Meetings and mentions per (city, topic, month) of the meeting topics in `scope`."""
    mentions = _mention_counts(session, scope)
    rows = session.connection().execute(
        sa.select(
            col(MeetingTopic.meeting_id),
            col(Committee.city_id),
            col(Meeting.start_at),
            col(MeetingTopic.topic_id),
            col(MeetingTopic.state),
        )
        .join(Meeting, col(Meeting.id) == MeetingTopic.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(
            _counted_meeting(),
            col(MeetingTopic.state).in_(COUNTED_STATES),
            scope.meetings,
            *scope.of_topic(MeetingTopic.topic_id),
        )
    )
    for meeting_id, city_id, start_at, topic_id, state in rows:
        key = (city_id, topic_id, month_of(start_at, zone))
        confirmed = state == CONFIRMED
        mention_count = mentions.get((meeting_id, topic_id), 0)
        tally.add(key, "meetings_all", 1)
        tally.add(key, "meetings_confirmed", int(confirmed))
        tally.add(key, "mentions_all", mention_count)
        tally.add(key, "mentions_confirmed", mention_count if confirmed else 0)


def _tally_concerns(session: Session, zone: ZoneInfo, scope: _Scope, tally: _Tally) -> None:
    """Concerns per (city, topic, month) of the concern tags in `scope`."""
    rows = session.connection().execute(
        sa.select(
            col(Committee.city_id),
            col(Meeting.start_at),
            col(ConcernTopic.topic_id),
            col(Concern.state),
            func.count(),
        )
        .join(Concern, col(Concern.id) == ConcernTopic.concern_id)
        .join(Meeting, col(Meeting.id) == Concern.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(
            _counted_meeting(),
            col(Concern.state).in_(COUNTED_STATES),
            col(Concern.missing_since_revision).is_(None),
            scope.meetings,
            *scope.of_topic(ConcernTopic.topic_id),
        )
        .group_by(
            col(Meeting.id),
            col(Committee.city_id),
            col(Meeting.start_at),
            col(ConcernTopic.topic_id),
            col(Concern.state),
        )
    )
    for city_id, start_at, topic_id, state, count in rows:
        key = (city_id, topic_id, month_of(start_at, zone))
        tally.add(key, "concerns_all", count)
        tally.add(key, "concerns_confirmed", count if state == CONFIRMED else 0)


def _insert(session: Session, table: Any, rows: Iterable[dict[str, Any]]) -> int:
    """Bulk insert in batches (one executemany per batch); returns how many rows."""
    written, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= INSERT_BATCH:
            session.exec(insert(table), params=batch)
            written, batch = written + len(batch), []
    if batch:
        session.exec(insert(table), params=batch)
        written += len(batch)
    return written


def _write_topic_counts(
    session: Session, zone: ZoneInfo, scope: _Scope, *, delete_where: ColumnElement[bool]
) -> int:
    tally = _Tally()
    _tally_topics(session, zone, scope, tally)
    _tally_concerns(session, zone, scope, tally)
    session.exec(delete(TopicMonthCount).where(delete_where))
    return _insert(session, TopicMonthCount, tally.rows())


def _keyword_rows(
    session: Session, zone: ZoneInfo, where: ColumnElement[bool]
) -> Iterator[dict[str, Any]]:
    counts: Counter[tuple[str, dt.date]] = Counter()
    rows = session.exec(
        select(Meeting.start_at, MinutesAnalysis.keywords)
        .join(Meeting, col(Meeting.id) == MinutesAnalysis.meeting_id)
        .where(_counted_meeting(), where)
    )
    for start_at, keywords in rows:
        month = month_of(start_at, zone)
        terms = {str(k.get("term", "")).strip()[:KEYWORD_MAX_CHARS] for k in keywords or ()}
        counts.update((term, month) for term in terms if term)
    for term, month in sorted(counts, key=lambda k: (k[1], k[0])):
        yield {"term": term, "month": month, "meetings": counts[(term, month)]}


# ---------------------------------------------------------------- refresh on write


def _cells_of(session: Session, changes: Changes, zone: ZoneInfo) -> set[Cell]:
    """The (city, month) each marked meeting had before and has now."""
    cells = {(city_id, month_of(start, zone)) for city_id, start in _before(changes)}
    if changes.meetings:
        rows = session.exec(
            select(Committee.city_id, Meeting.start_at)
            .join(Committee, col(Committee.id) == Meeting.committee_id)
            .where(col(Meeting.id).in_(list(changes.meetings)))
        )
        cells |= {(city_id, month_of(start, zone)) for city_id, start in rows}
    return cells


def _before(changes: Changes) -> Iterator[tuple[int, dt.datetime]]:
    return (place for place in changes.meetings.values() if place is not None)


def _in_cities_and_month(cities: list[int], month: dt.date, zone: ZoneInfo) -> ColumnElement[bool]:
    start, end = month_bounds(month, zone)
    return and_(
        col(Committee.city_id).in_(cities),
        col(Meeting.start_at) >= start,
        col(Meeting.start_at) < end,
    )


def _in_months(months: Iterable[dt.date], zone: ZoneInfo) -> ColumnElement[bool]:
    ranges = [month_bounds(month, zone) for month in sorted(set(months))]
    return or_(
        false(), *(and_(col(Meeting.start_at) >= s, col(Meeting.start_at) < e) for s, e in ranges)
    )


def _refresh_cells(session: Session, cells: set[Cell], zone: ZoneInfo) -> None:
    """Recompute the cells, a month (with all its cities) at a time."""
    by_month: defaultdict[dt.date, list[int]] = defaultdict(list)
    for city_id, month in sorted(cells):
        by_month[month].append(city_id)
    for month, cities in sorted(by_month.items()):
        rows = and_(col(TopicMonthCount.city_id).in_(cities), col(TopicMonthCount.month) == month)
        scope = _Scope(_in_cities_and_month(cities, month, zone))
        _write_topic_counts(session, zone, scope, delete_where=rows)


def _refresh_topics(session: Session, topic_ids: set[int], zone: ZoneInfo) -> None:
    ids = tuple(sorted(topic_ids))
    _write_topic_counts(
        session, zone, _Scope(true(), ids), delete_where=col(TopicMonthCount.topic_id).in_(ids)
    )


def _refresh_keywords(session: Session, months: set[dt.date], zone: ZoneInfo) -> None:
    if not months:
        return
    session.exec(delete(KeywordMonthCount).where(col(KeywordMonthCount.month).in_(months)))
    _insert(session, KeywordMonthCount, _keyword_rows(session, zone, _in_months(months, zone)))


def refresh(session: Session, changes: Changes) -> None:
    """Bring the counts of what `changes` names up to date (called just before every commit)."""
    if not (changes.meetings or changes.topics):
        return
    zone = get_settings().zone
    cells = _cells_of(session, changes, zone)
    if changes.topics:
        _refresh_topics(session, changes.topics, zone)
    _refresh_cells(session, cells, zone)
    _refresh_keywords(session, {month for _city, month in cells}, zone)
    data_version.touch(session)  # stored signals of the counts before are out of date


# ---------------------------------------------------------------- rebuild


def rebuild(session: Session) -> RebuildSummary:
    """Recompute both tables from the source rows; flushes, never commits."""
    started = dt.datetime.now(dt.UTC)
    session.flush()
    zone = get_settings().zone
    everything = true()
    summary = RebuildSummary()
    summary.topic_rows = _write_topic_counts(
        session, zone, _Scope(everything), delete_where=everything
    )
    session.exec(delete(KeywordMonthCount))
    summary.keyword_rows = _insert(
        session, KeywordMonthCount, _keyword_rows(session, zone, everything)
    )
    _describe(session, summary)
    data_version.touch(session)
    session.flush()
    summary.seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    return summary


def _describe(session: Session, summary: RebuildSummary) -> None:
    summary.meetings = session.exec(
        select(func.count()).select_from(Meeting).where(_counted_meeting())
    ).one()
    months, cities, topics = session.exec(
        select(
            func.count(func.distinct(TopicMonthCount.month)),
            func.count(func.distinct(TopicMonthCount.city_id)),
            func.count(func.distinct(TopicMonthCount.topic_id)),
        )
    ).one()
    summary.months, summary.cities, summary.topics = months, cities, topics
