"""The meetings behind a number of the dashboard, with their evidence sentences.

A drill-down names a topic, a period (months in the county's zone) and optionally cities; it
lists the meetings of that period where the topic was raised (its meeting topic proposed or
confirmed, or confirmed only; cancelled meetings never count), as the rollup counts them, but
only those the viewer may open (`visible_committees`). How many meetings the total counts
beyond those is said as a number, never shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.auth.permissions import Viewer, visible_committees
from jcpp.models import (
    City,
    Committee,
    Concern,
    ConcernTopic,
    Meeting,
    MeetingTopic,
    Topic,
    TopicMention,
)
from jcpp.trends.service import TrendFilters, add_months, meetings_counted

PAGE_SIZE = 20


@dataclass(frozen=True)
class Passage:
    """A sentence as (text, highlighted) pieces: the words that matched the topic are marked."""

    pieces: tuple[tuple[str, bool], ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


@dataclass
class EvidenceMeeting:
    meeting: Meeting
    committee: Committee
    city: City
    state: str  # of the meeting's topic: proposed or confirmed
    passages: list[Passage] = field(default_factory=list)
    concerns: list[Concern] = field(default_factory=list)


@dataclass
class Evidence:
    topic: Topic
    meetings: list[EvidenceMeeting]
    shown: int  # meetings the viewer may open, over every page
    counted: int  # meetings the numbers count (the viewer's and others')
    page: int
    pages: int

    @property
    def not_shown(self) -> int:
        return max(self.counted - self.shown, 0)


def highlight(sentence: str, spans: Sequence[tuple[int, int]]) -> Passage:
    """`sentence` cut into pieces with the `spans` (offsets into it; overlaps merged) marked."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(sentence))
        if start >= end:
            continue
        if start > at:
            pieces.append((sentence[at:start], False))
        pieces.append((sentence[start:end], True))
        at = end
    if at < len(sentence):
        pieces.append((sentence[at:], False))
    return Passage(tuple(pieces))


def _topic_is(column: Any, topic: Topic) -> ColumnElement[bool]:
    """`column` = the topic, written `column + 0` so that no index on the topic is used: without
    statistics SQLite prefers that index (every meeting ever of a common topic) to the narrow
    ones (the meetings of a month, of a few cities; a meeting's own rows). At state scale this
    takes a drill-down's queries from 40-80 ms each to about 1 ms; PostgreSQL plans the same."""
    condition: ColumnElement[bool] = (column + 0) == topic.id
    return condition


def _counting(topic: Topic, filters: TrendFilters) -> list[ColumnElement[bool]]:
    start = clock.day_start(filters.first)
    end = clock.day_start(add_months(filters.last, 1))
    states = ("confirmed",) if filters.confirmed_only else ("proposed", "confirmed")
    where = [
        _topic_is(col(MeetingTopic.topic_id), topic),
        col(MeetingTopic.state).in_(states),
        col(Meeting.start_at) >= start,
        col(Meeting.start_at) < end,
        col(Meeting.status) != "cancelled",
    ]
    if filters.cities:
        where.append(col(Committee.city_id).in_(filters.city_ids))
    return where


def _count(session: Session, where: Sequence[ColumnElement[bool]]) -> int:
    query = (
        select(func.count())
        .select_from(Meeting)
        .join(MeetingTopic, col(MeetingTopic.meeting_id) == Meeting.id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(*where)
    )
    return int(session.exec(query).one())


def _passages(session: Session, topic: Topic, meeting_ids: list[int]) -> dict[int, list[Passage]]:
    query = (
        select(TopicMention)
        .where(col(TopicMention.meeting_id).in_(meeting_ids or [-1]))
        .where(_topic_is(col(TopicMention.topic_id), topic))
        .order_by(col(TopicMention.meeting_id), col(TopicMention.sentence_start))
    )
    sentences: dict[tuple[int, int], tuple[str, list[tuple[int, int]]]] = {}
    for mention in session.exec(query).all():
        key = (mention.meeting_id, mention.sentence_start)
        text, spans = sentences.setdefault(key, (mention.sentence, []))
        spans.append((mention.start - mention.sentence_start, mention.end - mention.sentence_start))
    passages: dict[int, list[Passage]] = {}
    for (meeting_id, _), (text, spans) in sentences.items():
        passages.setdefault(meeting_id, []).append(highlight(text, spans))
    return passages


def _concerns(
    session: Session, topic: Topic, meeting_ids: list[int], *, confirmed_only: bool
) -> dict[int, list[Concern]]:
    states = ("confirmed",) if confirmed_only else ("proposed", "confirmed")
    query = (
        select(Concern)
        .join(ConcernTopic, col(ConcernTopic.concern_id) == Concern.id)
        .where(_topic_is(col(ConcernTopic.topic_id), topic))
        .where(col(Concern.meeting_id).in_(meeting_ids or [-1]))
        .where(col(Concern.state).in_(states))
        .where(col(Concern.missing_since_revision).is_(None))
        .order_by(col(Concern.meeting_id), col(Concern.start))
    )
    concerns: dict[int, list[Concern]] = {}
    for concern in session.exec(query).all():
        concerns.setdefault(concern.meeting_id, []).append(concern)
    return concerns


def find_evidence(
    session: Session,
    *,
    viewer: Viewer,
    topic: Topic,
    filters: TrendFilters,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Evidence:
    """The meetings behind the count of `topic` over `filters` that the viewer may open, the
    latest first, `page_size` a page, with their evidence sentences and concerns."""
    where = _counting(topic, filters)
    visible = [*where, visible_committees(viewer)]
    counted = meetings_counted(session, topic=topic, filters=filters)
    shown = counted if viewer.sees_all_cities else _count(session, visible)
    pages = max((shown + page_size - 1) // page_size, 1)
    page = min(max(page, 1), pages)
    query = (
        select(Meeting, Committee, City, MeetingTopic.state)
        .join(MeetingTopic, col(MeetingTopic.meeting_id) == Meeting.id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .join(City, col(City.id) == Committee.city_id)
        .where(*visible)
        .order_by(col(Meeting.start_at).desc(), col(Meeting.id).desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    rows = [EvidenceMeeting(m, c, city, state) for m, c, city, state in session.exec(query).all()]
    ids = [row.meeting.id for row in rows if row.meeting.id is not None]
    passages = _passages(session, topic, ids)
    concerns = _concerns(session, topic, ids, confirmed_only=filters.confirmed_only)
    for row in rows:
        row.passages = passages.get(row.meeting.id or 0, [])
        row.concerns = concerns.get(row.meeting.id or 0, [])
    return Evidence(topic, rows, shown, counted, page, pages)


def month_span(first: dt.date, last: dt.date) -> str:
    """ "Mar 2026", or "Jan – Mar 2026", or "Nov 2025 – Feb 2026"."""
    if first == last:
        return f"{first:%b %Y}"
    if first.year == last.year:
        return f"{first:%b} – {last:%b %Y}"
    return f"{first:%b %Y} – {last:%b %Y}"
