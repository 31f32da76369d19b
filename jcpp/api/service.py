"""The API's queries: each list applies the token owner's permissions exactly as the app's
pages do (`visible_committees`, the trends' city scope) and reads one page by keyset.

Out-of-scope rows are never returned; out-of-scope ids raise NotFound, as in the app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, or_
from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer, visible_committees
from jcpp.clock import day_bounds
from jcpp.errors import NotFound
from jcpp.models import (
    City,
    Committee,
    Concern,
    ConcernTopic,
    FollowUp,
    Meeting,
    MeetingTopic,
    Minutes,
    MinutesRevision,
    Topic,
    TopicMention,
    TopicMonthCount,
)
from jcpp.trends.service import trend_scope

NO_SUCH = "There is no such {}, or it is not yours to see."


@dataclass(frozen=True)
class Window:
    """One page: rows after `after` (an id), at most `limit` of them."""

    after: int
    limit: int


@dataclass(frozen=True)
class MeetingFilters:
    committee_id: int | None = None
    city_id: int | None = None
    first: dt.date | None = None
    last: dt.date | None = None
    status: str | None = None


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    city_id: int
    minutes_status: str | None


def _committee_scope(
    viewer: Viewer, committee_id: int | None, city_id: int | None
) -> list[ColumnElement[bool]]:
    where = [visible_committees(viewer)]
    if committee_id is not None:
        where.append(col(Committee.id) == committee_id)
    if city_id is not None:
        where.append(col(Committee.city_id) == city_id)
    return where


def city_scope(session: Session, viewer: Viewer) -> frozenset[int] | None:
    """The cities the viewer sees (None: all), as on the trends pages."""
    return trend_scope(session, viewer).city_ids


def cities(session: Session, viewer: Viewer, *, window: Window) -> Sequence[City]:
    scope = city_scope(session, viewer)
    query = select(City).where(col(City.id) > window.after)
    if scope is not None:
        query = query.where(col(City.id).in_(scope or {-1}))
    return session.exec(query.order_by(col(City.id)).limit(window.limit)).all()


def committees(
    session: Session, viewer: Viewer, *, city_id: int | None, window: Window
) -> Sequence[Committee]:
    query = select(Committee).where(
        *_committee_scope(viewer, None, city_id), col(Committee.id) > window.after
    )
    return session.exec(query.order_by(col(Committee.id)).limit(window.limit)).all()


def committee(session: Session, viewer: Viewer, committee_id: int) -> Committee:
    query = select(Committee).where(*_committee_scope(viewer, committee_id, None))
    found = session.exec(query).first()
    if found is None:
        raise NotFound(NO_SUCH.format("committee"))
    return found


def _meeting_rows(
    session: Session, where: list[ColumnElement[bool]], limit: int
) -> list[MeetingRow]:
    query = (
        select(Meeting, Committee.city_id, Minutes.status)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .outerjoin(Minutes, col(Minutes.meeting_id) == Meeting.id)
        .where(*where)
        .order_by(col(Meeting.id))
        .limit(limit)
    )
    return [MeetingRow(m, city_id, status) for m, city_id, status in session.exec(query).all()]


def meetings(
    session: Session, viewer: Viewer, *, filters: MeetingFilters, window: Window
) -> list[MeetingRow]:
    where = _committee_scope(viewer, filters.committee_id, filters.city_id)
    where.append(col(Meeting.id) > window.after)
    start, end = day_bounds(filters.first, filters.last)
    if start is not None:
        where.append(col(Meeting.start_at) >= start)
    if end is not None:
        where.append(col(Meeting.start_at) < end)
    if filters.status is not None:
        where.append(col(Meeting.status) == filters.status)
    return _meeting_rows(session, where, window.limit)


def meeting(session: Session, viewer: Viewer, meeting_id: int) -> MeetingRow:
    rows = _meeting_rows(
        session, [*_committee_scope(viewer, None, None), col(Meeting.id) == meeting_id], 1
    )
    if not rows:
        raise NotFound(NO_SUCH.format("meeting"))
    return rows[0]


@dataclass(frozen=True)
class MinutesView:
    minutes: Minutes
    text: str
    revisions: list[MinutesRevision]


def minutes(session: Session, viewer: Viewer, meeting_id: int) -> MinutesView:
    meeting(session, viewer, meeting_id)  # NotFound when out of scope
    found = session.exec(select(Minutes).where(Minutes.meeting_id == meeting_id)).first()
    if found is None:
        raise NotFound("This meeting has no minutes yet.")
    revisions = list(
        session.exec(
            select(MinutesRevision)
            .where(MinutesRevision.meeting_id == meeting_id)
            .order_by(col(MinutesRevision.number))
        )
    )
    current = next((r for r in revisions if r.number == found.current_revision), None)
    return MinutesView(found, current.text if current else "", revisions)


def topics(session: Session, *, window: Window) -> Sequence[Topic]:
    """The county's topic list: everyone signed in reads it."""
    query = select(Topic).where(col(Topic.id) > window.after).order_by(col(Topic.id))
    return session.exec(query.limit(window.limit)).all()


@dataclass(frozen=True)
class MentionFilters:
    topic_id: int | None = None
    meeting_id: int | None = None
    state: str | None = None


def mentions(
    session: Session, viewer: Viewer, *, filters: MentionFilters, window: Window
) -> list[tuple[TopicMention, str]]:
    query = (
        select(TopicMention, MeetingTopic.state)
        .join(
            MeetingTopic,
            and_(
                col(MeetingTopic.meeting_id) == TopicMention.meeting_id,
                col(MeetingTopic.topic_id) == TopicMention.topic_id,
            ),
        )
        .join(Meeting, col(Meeting.id) == TopicMention.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(visible_committees(viewer), col(TopicMention.id) > window.after)
    )
    if filters.topic_id is not None:
        query = query.where(col(TopicMention.topic_id) == filters.topic_id)
    if filters.meeting_id is not None:
        query = query.where(col(TopicMention.meeting_id) == filters.meeting_id)
    if filters.state is not None:
        query = query.where(col(MeetingTopic.state) == filters.state)
    rows = session.exec(query.order_by(col(TopicMention.id)).limit(window.limit)).all()
    return [(mention, state) for mention, state in rows]


@dataclass(frozen=True)
class ConcernFilters:
    meeting_id: int | None = None
    committee_id: int | None = None
    city_id: int | None = None
    state: str | None = None
    topic_id: int | None = None


@dataclass(frozen=True)
class ConcernRow:
    concern: Concern
    committee_id: int
    topic_ids: list[int]


def _concern_rows(
    session: Session, where: list[ColumnElement[bool]], limit: int
) -> list[ConcernRow]:
    query = (
        select(Concern, Meeting.committee_id)
        .join(Meeting, col(Meeting.id) == Concern.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(*where)
        .order_by(col(Concern.id))
        .limit(limit)
    )
    rows = session.exec(query).all()
    ids = [concern.id for concern, _ in rows]
    topic_ids: dict[int, list[int]] = {}
    if ids:
        links = session.exec(
            select(ConcernTopic)
            .where(col(ConcernTopic.concern_id).in_(ids))
            .order_by(col(ConcernTopic.topic_id))
        )
        for link in links:
            topic_ids.setdefault(link.concern_id, []).append(link.topic_id)
    return [ConcernRow(c, committee_id, topic_ids.get(c.id or 0, [])) for c, committee_id in rows]


def concerns(
    session: Session, viewer: Viewer, *, filters: ConcernFilters, window: Window
) -> list[ConcernRow]:
    where = _committee_scope(viewer, filters.committee_id, filters.city_id)
    where.append(col(Concern.id) > window.after)
    if filters.meeting_id is not None:
        where.append(col(Concern.meeting_id) == filters.meeting_id)
    if filters.state is not None:
        where.append(col(Concern.state) == filters.state)
    if filters.topic_id is not None:
        tagged = exists().where(
            col(ConcernTopic.concern_id) == Concern.id,
            col(ConcernTopic.topic_id) == filters.topic_id,
        )
        where.append(tagged)
    return _concern_rows(session, where, window.limit)


def concern(session: Session, viewer: Viewer, concern_id: int) -> ConcernRow:
    rows = _concern_rows(
        session, [*_committee_scope(viewer, None, None), col(Concern.id) == concern_id], 1
    )
    if not rows:
        raise NotFound(NO_SUCH.format("concern"))
    return rows[0]


@dataclass(frozen=True)
class FollowUpFilters:
    committee_id: int | None = None
    city_id: int | None = None
    status: str | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None


def _follow_up_rows(
    session: Session, where: list[ColumnElement[bool]], limit: int
) -> list[tuple[FollowUp, int]]:
    query = (
        select(FollowUp, Meeting.committee_id)
        .join(Meeting, col(Meeting.id) == FollowUp.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(*where)
        .order_by(col(FollowUp.id))
        .limit(limit)
    )
    return [(follow_up, committee_id) for follow_up, committee_id in session.exec(query).all()]


def follow_ups(
    session: Session, viewer: Viewer, *, filters: FollowUpFilters, window: Window
) -> list[tuple[FollowUp, int]]:
    where = _committee_scope(viewer, filters.committee_id, filters.city_id)
    where.append(col(FollowUp.id) > window.after)
    if filters.status is not None:
        where.append(col(FollowUp.status) == filters.status)
    if filters.due_from is not None:
        where.append(col(FollowUp.due_date) >= filters.due_from)
    if filters.due_to is not None:
        where.append(col(FollowUp.due_date) <= filters.due_to)
    return _follow_up_rows(session, where, window.limit)


def follow_up(session: Session, viewer: Viewer, follow_up_id: int) -> tuple[FollowUp, int]:
    rows = _follow_up_rows(
        session, [*_committee_scope(viewer, None, None), col(FollowUp.id) == follow_up_id], 1
    )
    if not rows:
        raise NotFound(NO_SUCH.format("follow-up"))
    return rows[0]


@dataclass(frozen=True)
class CountFilters:
    topic_id: int | None = None
    city_id: int | None = None
    first: dt.date | None = None  # first days of months
    last: dt.date | None = None


def trend_counts(
    session: Session,
    viewer: Viewer,
    *,
    filters: CountFilters,
    after: tuple[dt.date, int, int] | None,
    limit: int,
) -> Sequence[TopicMonthCount]:
    """Topic × city × month counts of the cities the viewer sees city by city."""
    scope = city_scope(session, viewer)
    query = select(TopicMonthCount)
    if scope is not None:
        query = query.where(col(TopicMonthCount.city_id).in_(scope or {-1}))
    if filters.topic_id is not None:
        query = query.where(col(TopicMonthCount.topic_id) == filters.topic_id)
    if filters.city_id is not None:
        query = query.where(col(TopicMonthCount.city_id) == filters.city_id)
    if filters.first is not None:
        query = query.where(col(TopicMonthCount.month) >= filters.first)
    if filters.last is not None:
        query = query.where(col(TopicMonthCount.month) <= filters.last)
    if after is not None:
        query = query.where(_after_count(*after))
    order = (TopicMonthCount.month, TopicMonthCount.city_id, TopicMonthCount.topic_id)
    return session.exec(query.order_by(*(col(c) for c in order)).limit(limit)).all()


def _after_count(month: dt.date, city_id: int, topic_id: int) -> ColumnElement[bool]:
    m, c, t = (
        col(TopicMonthCount.month),
        col(TopicMonthCount.city_id),
        col(TopicMonthCount.topic_id),
    )
    return or_(
        m > month,
        and_(m == month, c > city_id),
        and_(m == month, c == city_id, t > topic_id),
    )
