"""The rows of an export, read a batch at a time, only from what the viewer may see.

Every kind but topic counts walks the meetings of the viewer's committees in order of their
start (keyset pages of BATCH meetings: the same cost at the 1st page as at the 100th), and reads
the rows hanging on each page with one query per part. Topic counts come from the kept counts
(`topic_month_count`), a month at a time. So a state-wide export never holds more than one page
in memory, and the number of queries grows with the pages, not the rows.

Rows are dicts whose keys are the columns (`COLUMNS`, documented in the README); values are
plain: text, numbers, None, or lists of text (topics). Dates are ISO 8601 in the county zone.
Residents' contact details (e-mail, phone) are never read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, exists, func, or_, tuple_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.auth.permissions import Viewer, visible_committees
from jcpp.exports.forms import ExportSpec
from jcpp.models import (
    Attendance,
    City,
    Committee,
    Concern,
    ConcernTopic,
    FollowUp,
    FollowUpConcern,
    FollowUpTopic,
    Meeting,
    MeetingTopic,
    Minutes,
    Person,
    Topic,
    TopicMonthCount,
    User,
)
from jcpp.trends.service import add_months, first_of_month, trend_scope, visible_cities

BATCH = 1000
Row = dict[str, Any]


class MeetingFacts(NamedTuple):
    """The columns of a meeting an export shows (plain tuples: building ORM objects for
    100,000 meetings took most of an export's time)."""

    id: int
    committee_id: int
    start_at: dt.datetime
    end_at: dt.datetime | None
    place: str | None
    status: str
    guest_count: int


MeetingRow = tuple[MeetingFacts, Committee, City]
MEETING_COLUMNS: tuple[Any, ...] = (
    col(Meeting.id),
    col(Meeting.committee_id),
    col(Meeting.start_at),
    col(Meeting.end_at),
    col(Meeting.place),
    col(Meeting.status),
    col(Meeting.guest_count),
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "meetings": (
        "meeting_id", "date", "start", "end", "city", "committee", "status", "place",
        "guests", "minutes_status", "minutes_revision", "topics", "link",
    ),
    "attendance": ("meeting_id", "date", "city", "committee", "person", "title", "status"),
    "concerns": (
        "concern_id", "meeting_id", "date", "city", "committee", "concern", "state", "topics",
        "follow_up_ids", "link",
    ),
    "follow-ups": (
        "follow_up_id", "title", "meeting_id", "meeting_date", "city", "committee", "owner",
        "owner_account", "due_date", "status", "progress", "topics", "created", "verified_done",
        "link",
    ),
    "topic-counts": ("month", "city", "topic", "meetings", "mentions", "concerns"),
}  # fmt: skip


# --- what the viewer is offered ------------------------------------------------------------------


def city_choices(session: Session, viewer: Viewer) -> list[City]:
    """Admins and county staff: every city; a liaison: hers; a member: his committees'."""
    return visible_cities(session, scope=trend_scope(session, viewer))


def committee_choices(session: Session, viewer: Viewer) -> list[Committee]:
    query = (
        select(Committee)
        .join(City, col(City.id) == Committee.city_id)
        .where(visible_committees(viewer))
        .order_by(col(City.name), col(Committee.name))
    )
    return list(session.exec(query).all())


def topic_choices(session: Session) -> list[Topic]:
    """Every topic of the list, retired ones too: their history is in the data."""
    return list(session.exec(select(Topic).order_by(col(Topic.name))).all())


# --- the rows ------------------------------------------------------------------------------------


def export_rows(
    session: Session, spec: ExportSpec, *, viewer: Viewer, base_url: str
) -> Iterator[list[Row]]:
    """The export's rows, a batch at a time."""
    key = spec.kind.key
    if key == "topic-counts":
        yield from _topic_counts(session, spec, viewer=viewer)
        return
    committees = _committees(session, spec, viewer)
    if not committees:
        return
    conditions = _meeting_conditions(session, spec, viewer, committees)
    if key == "meetings":
        conditions += _meeting_filters(spec)
    elif key == "attendance":
        conditions += _meeting_filters(spec, with_status=False)
    for meetings in _meeting_pages(session, conditions):
        page = [(meeting, *committees[meeting.committee_id]) for meeting in meetings]
        if key == "meetings":
            rows = _meetings(session, page, spec, base_url)
        elif key == "attendance":
            rows = _attendance(session, page, spec)
        elif key == "concerns":
            rows = _concerns(session, page, spec, base_url)
        else:
            rows = _follow_ups(session, page, spec, base_url)
        if rows:
            yield rows


def _committees(
    session: Session, spec: ExportSpec, viewer: Viewer
) -> dict[int, tuple[Committee, City]]:
    """The committees whose meetings are exported: the viewer's, among those chosen."""
    query = (
        select(Committee, City)
        .join(City, col(City.id) == Committee.city_id)
        .where(visible_committees(viewer))
    )
    if spec.cities:
        query = query.where(col(Committee.city_id).in_([city.id for city in spec.cities]))
    if spec.committees:
        query = query.where(col(Committee.id).in_([c.id for c in spec.committees]))
    return {
        committee.id: (committee, city)
        for committee, city in session.exec(query)
        if committee.id is not None
    }


def _meeting_conditions(
    session: Session,
    spec: ExportSpec,
    viewer: Viewer,
    committees: dict[int, tuple[Committee, City]],
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    # Everything for county staff and admins: no list of committees, so that the pages walk
    # the index on the meetings' start (SQLite would otherwise sort every remaining meeting
    # for each page).
    if not (viewer.sees_all_cities and not spec.cities and not spec.committees):
        conditions.append(col(Meeting.committee_id).in_(list(committees)))
    start, end = clock.day_bounds(spec.first, spec.last)
    if start is not None:
        conditions.append(col(Meeting.start_at) >= start)
    if end is not None:
        conditions.append(col(Meeting.start_at) < end)
    return conditions


def _topic_states(spec: ExportSpec) -> tuple[str, ...]:
    return ("confirmed",) if spec.confirmed_only else ("proposed", "confirmed")


def _meeting_filters(spec: ExportSpec, *, with_status: bool = True) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if with_status and spec.statuses:
        conditions.append(col(Meeting.status).in_(spec.statuses))
    if spec.topics:
        conditions.append(
            exists().where(
                col(MeetingTopic.meeting_id) == Meeting.id,
                col(MeetingTopic.topic_id).in_([topic.id for topic in spec.topics]),
                col(MeetingTopic.state).in_(_topic_states(spec)),
            )
        )
    return conditions


def _meeting_pages(
    session: Session, conditions: Sequence[ColumnElement[bool]]
) -> Iterator[list[MeetingFacts]]:
    """The meetings in order of their start, BATCH at a time: keyset pages on (start, id), so
    the 100th page costs what the first does."""
    after: tuple[dt.datetime, int] | None = None
    while True:
        query = select_columns(*MEETING_COLUMNS).where(*conditions)
        if after is not None:
            query = query.where(tuple_(col(Meeting.start_at), col(Meeting.id)) > tuple_(*after))
        query = query.order_by(col(Meeting.start_at), col(Meeting.id)).limit(BATCH)
        page = [MeetingFacts(*row) for row in session.execute(query)]
        if page:
            yield page
        if len(page) < BATCH:
            return
        after = (page[-1].start_at, page[-1].id)


def _local(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(clock.zone()).isoformat() if moment is not None else None


def _day(moment: dt.datetime | None) -> str | None:
    return clock.local_date(moment).isoformat() if moment is not None else None


def _ids(page: list[MeetingRow]) -> list[int]:
    return [meeting.id for meeting, _c, _city in page]


def _names_by(
    session: Session, link: Any, owner: Any, ids: list[int], extra: Sequence[Any] = ()
) -> dict[int, list[str]]:
    """Topic names per owner id through a link table (meeting, concern or follow-up)."""
    if not ids:
        return {}
    query = (
        select(owner, Topic.name)
        .join(Topic, col(Topic.id) == link.topic_id)
        .where(col(owner).in_(ids), *extra)
        .order_by(col(Topic.name))
    )
    names: dict[int, list[str]] = defaultdict(list)
    for owner_id, name in session.exec(query):
        names[owner_id].append(name)
    return names


def _meetings(
    session: Session, page: list[MeetingRow], spec: ExportSpec, base_url: str
) -> list[Row]:
    ids = _ids(page)
    minutes = {
        meeting_id: (status, revision)
        for meeting_id, status, revision in session.exec(
            select(Minutes.meeting_id, Minutes.status, Minutes.current_revision).where(
                col(Minutes.meeting_id).in_(ids), col(Minutes.current_revision) > 0
            )
        )
    }
    topics = _names_by(
        session,
        MeetingTopic,
        MeetingTopic.meeting_id,
        ids,
        [col(MeetingTopic.state).in_(_topic_states(spec))],
    )
    rows = []
    for meeting, committee, city in page:
        minutes_status, revision = minutes.get(meeting.id, (None, None))
        rows.append(
            {
                "meeting_id": meeting.id,
                "date": _day(meeting.start_at),
                "start": _local(meeting.start_at),
                "end": _local(meeting.end_at),
                "city": city.name,
                "committee": committee.name,
                "status": meeting.status,
                "place": meeting.place,
                "guests": meeting.guest_count,
                "minutes_status": minutes_status,
                "minutes_revision": revision,
                "topics": topics.get(meeting.id, []),
                "link": f"{base_url}/meetings/{meeting.id}",
            }
        )
    return rows


def _attendance(session: Session, page: list[MeetingRow], spec: ExportSpec) -> list[Row]:
    by_id = {meeting.id: (meeting, committee, city) for meeting, committee, city in page}
    # Only the columns shown: a person's e-mail and phone are never read for an export.
    query = (
        select(Attendance.meeting_id, Person.name, Person.title, Attendance.status)
        .join(Person, col(Person.id) == Attendance.person_id)
        .where(col(Attendance.meeting_id).in_(list(by_id)))
    )
    if spec.statuses:
        query = query.where(col(Attendance.status).in_(spec.statuses))
    found = session.exec(query).all()
    order = {meeting_id: n for n, meeting_id in enumerate(by_id)}
    rows = []
    for meeting_id, name, title, status in sorted(
        found, key=lambda r: (order[r[0]], r[1].casefold())
    ):
        meeting, committee, city = by_id[meeting_id]
        rows.append(
            {
                "meeting_id": meeting_id,
                "date": _day(meeting.start_at),
                "city": city.name,
                "committee": committee.name,
                "person": name,
                "title": title,
                "status": status,
            }
        )
    return rows


def _concerns(
    session: Session, page: list[MeetingRow], spec: ExportSpec, base_url: str
) -> list[Row]:
    by_id = {meeting.id: (meeting, committee, city) for meeting, committee, city in page}
    states: tuple[str, ...] = ("confirmed",) if spec.confirmed_only else ("proposed", "confirmed")
    if spec.statuses:
        states = tuple(state for state in states if state in spec.statuses)
    query = select(Concern).where(
        col(Concern.meeting_id).in_(list(by_id)),
        col(Concern.state).in_(states),
        col(Concern.missing_since_revision).is_(None),  # no longer in the minutes
    )
    if spec.topics:
        query = query.where(
            exists().where(
                col(ConcernTopic.concern_id) == Concern.id,
                col(ConcernTopic.topic_id).in_([topic.id for topic in spec.topics]),
            )
        )
    order = {meeting_id: n for n, meeting_id in enumerate(by_id)}
    concerns = sorted(
        session.exec(query).all(), key=lambda c: (order[c.meeting_id], c.start, c.id or 0)
    )
    ids = [concern.id for concern in concerns if concern.id is not None]
    topics = _names_by(session, ConcernTopic, ConcernTopic.concern_id, ids)
    follow_ups: dict[int, list[int]] = defaultdict(list)
    if ids:
        links = select(FollowUpConcern).where(col(FollowUpConcern.concern_id).in_(ids))
        for link in session.exec(links.order_by(col(FollowUpConcern.follow_up_id))):
            follow_ups[link.concern_id].append(link.follow_up_id)
    rows = []
    for concern in concerns:
        assert concern.id is not None
        meeting, committee, city = by_id[concern.meeting_id]
        rows.append(
            {
                "concern_id": concern.id,
                "meeting_id": concern.meeting_id,
                "date": _day(meeting.start_at),
                "city": city.name,
                "committee": committee.name,
                "concern": concern.shown_text,
                "state": concern.state,
                "topics": topics.get(concern.id, []),
                "follow_up_ids": follow_ups.get(concern.id, []),
                "link": f"{base_url}/meetings/{concern.meeting_id}/minutes",
            }
        )
    return rows


def _follow_ups(
    session: Session, page: list[MeetingRow], spec: ExportSpec, base_url: str
) -> list[Row]:
    by_id = {meeting.id: (meeting, committee, city) for meeting, committee, city in page}
    query = (
        select(FollowUp, User.name)
        .outerjoin(User, col(User.id) == FollowUp.owner_user_id)
        .where(col(FollowUp.meeting_id).in_(list(by_id)))
    )
    if spec.statuses:
        query = query.where(col(FollowUp.status).in_(spec.statuses))
    if spec.topics:
        query = query.where(
            exists().where(
                col(FollowUpTopic.follow_up_id) == FollowUp.id,
                col(FollowUpTopic.topic_id).in_([topic.id for topic in spec.topics]),
            )
        )
    order = {meeting_id: n for n, meeting_id in enumerate(by_id)}
    found = sorted(session.exec(query).all(), key=lambda r: (order[r[0].meeting_id], r[0].id or 0))
    ids = [follow_up.id for follow_up, _name in found if follow_up.id is not None]
    topics = _names_by(session, FollowUpTopic, FollowUpTopic.follow_up_id, ids)
    rows = []
    for follow_up, owner_account in found:
        assert follow_up.id is not None
        meeting, committee, city = by_id[follow_up.meeting_id]
        rows.append(
            {
                "follow_up_id": follow_up.id,
                "title": follow_up.title,
                "meeting_id": follow_up.meeting_id,
                "meeting_date": _day(meeting.start_at),
                "city": city.name,
                "committee": committee.name,
                "owner": follow_up.owner_text,
                "owner_account": owner_account,
                "due_date": follow_up.due_date.isoformat() if follow_up.due_date else None,
                "status": follow_up.status,
                "progress": follow_up.progress,
                "topics": topics.get(follow_up.id, []),
                "created": _day(follow_up.created_at),
                "verified_done": _day(follow_up.closed_at),
                "link": f"{base_url}/follow-ups/{follow_up.id}",
            }
        )
    return rows


# --- topic counts --------------------------------------------------------------------------------


def _topic_counts(session: Session, spec: ExportSpec, *, viewer: Viewer) -> Iterator[list[Row]]:
    """Per month, city and topic: meetings where raised, mentions, concerns (all that is not
    rejected, or only what a person confirmed); rows that count nothing are left out."""
    suffix = "confirmed" if spec.confirmed_only else "all"
    measures = {
        name: getattr(TopicMonthCount, f"{name}_{suffix}")
        for name in ("meetings", "mentions", "concerns")
    }
    conditions: list[ColumnElement[bool]] = [or_(*(column > 0 for column in measures.values()))]
    scope = trend_scope(session, viewer).city_ids
    if scope is not None:
        conditions.append(col(TopicMonthCount.city_id).in_(scope or {-1}))
    if spec.cities:
        conditions.append(col(TopicMonthCount.city_id).in_([city.id for city in spec.cities]))
    if spec.topics:
        conditions.append(col(TopicMonthCount.topic_id).in_([topic.id for topic in spec.topics]))
    if spec.first is not None:
        conditions.append(col(TopicMonthCount.month) >= first_of_month(spec.first))
    if spec.last is not None:
        conditions.append(col(TopicMonthCount.month) <= first_of_month(spec.last))
    bounds = session.exec(
        select(func.min(TopicMonthCount.month), func.max(TopicMonthCount.month)).where(*conditions)
    ).one()
    if bounds[0] is None:
        return
    month, last = bounds
    while month <= last:
        query = (
            select(City.name, Topic.name, *measures.values())
            .select_from(TopicMonthCount)
            .join(City, col(City.id) == TopicMonthCount.city_id)
            .join(Topic, col(Topic.id) == TopicMonthCount.topic_id)
            .where(*conditions, col(TopicMonthCount.month) == month)
            .order_by(col(City.name), col(Topic.name))
        )
        rows = [
            {
                "month": f"{month:%Y-%m}",
                "city": city,
                "topic": topic,
                "meetings": meetings,
                "mentions": mentions,
                "concerns": concerns,
            }
            for city, topic, meetings, mentions, concerns in session.exec(query)
        ]
        if rows:
            yield rows
        month = add_months(month, 1)
