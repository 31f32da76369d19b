"""Lists of follow-ups as people look at them: a committee's (for its members), a city's board
by status (for its liaison), each with filters and overdue ones flagged.

Only what the viewer may see is ever read: every query is limited by `visible_committees`
(a follow-up's committee is its meeting's committee). A follow-up is overdue when its due date
(a county calendar date) has passed while the work on it is still outstanding (open,
acknowledged or in progress); one reported done, verified or declined is not overdue.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, exists, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from jcpp.auth.permissions import Viewer, require_view, visible_committees
from jcpp.errors import NotFound
from jcpp.followups import lifecycle
from jcpp.models import City, Committee, FollowUp, FollowUpTopic, Meeting, Topic, User

__all__ = [
    "BOARD_COLUMNS",
    "OUTSTANDING_STATUSES",
    "STATUS_LABELS",
    "Board",
    "BoardChoices",
    "FollowUpFilters",
    "FollowUpRow",
    "CityCounts",
    "CommitteeCounts",
    "assigned_to",
    "board",
    "board_choices",
    "overview",
    "get_city",
    "get_city_of",
    "get_follow_up_in",
    "get_committee",
    "list_follow_ups",
    "overdue_condition",
]

# The board's columns, left to right: the way a follow-up travels, declined ones last.
BOARD_COLUMNS = (
    "open",
    "acknowledged",
    "in_progress",
    "reported_done",
    "verified_done",
    "declined",
)
STATUS_LABELS = {status: lifecycle.status_label(status) for status in BOARD_COLUMNS}
# Work still owed by the owner: these count as open and can be overdue.
OUTSTANDING_STATUSES = lifecycle.ACTIVE_STATUSES


# --- scope -------------------------------------------------------------------------------------


def get_committee(session: Session, slug: str, *, viewer: Viewer) -> Committee:
    """The committee with this slug, if the viewer may see it (NotFound otherwise)."""
    committee = session.exec(select(Committee).where(Committee.slug == slug)).first()
    return require_view(viewer, committee)


def get_city(session: Session, slug: str, *, viewer: Viewer) -> City:
    """The city with this slug if the viewer sees any of its committees: admins and county
    staff every city, a liaison her cities, a member the cities of his committees."""
    city = session.exec(select(City).where(City.slug == slug)).first()
    if city is None or not _sees_city(session, viewer, city):
        raise NotFound("There is no such city, or it is not yours to see.")
    return city


def get_follow_up_in(
    session: Session, follow_up_id: int, *, city: City, viewer: Viewer
) -> lifecycle.FollowUpScope:
    """The follow-up, if the viewer sees it and it is of this city's committees."""
    scope = lifecycle.load_follow_up(session, follow_up_id, viewer=viewer)
    if scope.committee.city_id != city.id:
        raise NotFound("There is no such follow-up on this board.")
    return scope


def get_city_of(session: Session, committee: Committee) -> City:
    city = session.get(City, committee.city_id)
    if city is None:  # pragma: no cover - the foreign key guarantees it
        raise NotFound("There is no such city.")
    return city


def _sees_city(session: Session, viewer: Viewer, city: City) -> bool:
    if viewer.sees_all_cities:
        return True
    if viewer.role == "liaison":
        return city.id in viewer.city_ids
    return session.exec(
        select(exists().where(col(Committee.city_id) == city.id, visible_committees(viewer)))
    ).one()


# --- filters and rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpFilters:
    """What a list is narrowed to. `owner_user_id` and `owner_text` are alternatives: the
    owner as a user of the app, or as the minutes name them."""

    status: str | None = None
    committee_id: int | None = None
    topic_id: int | None = None
    owner_user_id: int | None = None
    owner_text: str | None = None
    overdue_only: bool = False

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUS_LABELS:
            raise ValueError(f"unknown follow-up status {self.status!r}")


@dataclass(frozen=True)
class FollowUpRow:
    follow_up: FollowUp
    meeting: Meeting
    committee: Committee
    city: City
    owner_user: User | None
    topics: tuple[Topic, ...]
    overdue: bool

    @property
    def owner(self) -> str:
        """The owner as the minutes name them, with the user account when it is another name."""
        text = (self.follow_up.owner_text or "").strip()
        user = self.owner_user.name if self.owner_user else ""
        if text and user and text.casefold() != user.casefold():
            return f"{text} ({user})"
        return text or user

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.follow_up.status, self.follow_up.status)


def overdue_condition(today: dt.date) -> ColumnElement[bool]:
    """Outstanding work whose due date is before `today` (a county calendar date)."""
    return and_(
        col(FollowUp.status).in_(OUTSTANDING_STATUSES),
        col(FollowUp.due_date).is_not(None),
        col(FollowUp.due_date) < today,
    )


def _filter_conditions(filters: FollowUpFilters, today: dt.date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.status:
        conditions.append(col(FollowUp.status) == filters.status)
    if filters.committee_id is not None:
        conditions.append(col(Committee.id) == filters.committee_id)
    if filters.topic_id is not None:
        conditions.append(
            exists().where(
                col(FollowUpTopic.follow_up_id) == col(FollowUp.id),
                col(FollowUpTopic.topic_id) == filters.topic_id,
            )
        )
    if filters.owner_user_id is not None:
        conditions.append(col(FollowUp.owner_user_id) == filters.owner_user_id)
    if filters.owner_text is not None:
        conditions.append(col(FollowUp.owner_text) == filters.owner_text)
    if filters.overdue_only:
        conditions.append(overdue_condition(today))
    return conditions


def list_follow_ups(
    session: Session,
    *,
    viewer: Viewer,
    today: dt.date,
    committee_id: int | None = None,
    city_id: int | None = None,
    filters: FollowUpFilters | None = None,
) -> list[FollowUpRow]:
    """The follow-ups the viewer may see, of one committee or one city, narrowed by `filters`:
    soonest due first (no due date last), then oldest first."""
    filters = filters or FollowUpFilters()
    scope: list[ColumnElement[bool]] = [lifecycle.visible_follow_ups(viewer)]
    if committee_id is not None:
        scope.append(col(Committee.id) == committee_id)
    if city_id is not None:
        scope.append(col(Committee.city_id) == city_id)
    query = (
        select(FollowUp, Meeting, Committee, City)
        .join(Meeting, col(Meeting.id) == FollowUp.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .join(City, col(City.id) == Committee.city_id)
        .where(*scope, *_filter_conditions(filters, today))
        .order_by(
            col(FollowUp.due_date).is_(None),
            col(FollowUp.due_date),
            col(FollowUp.created_at),
            col(FollowUp.id),
        )
    )
    rows = session.exec(query).all()
    topics = _topics_of(session, [f.id for f, *_ in rows if f.id is not None])
    owners = _users(session, {f.owner_user_id for f, *_ in rows if f.owner_user_id is not None})
    return [
        FollowUpRow(
            follow_up=follow_up,
            meeting=meeting,
            committee=committee,
            city=city,
            owner_user=owners.get(follow_up.owner_user_id or 0),
            topics=tuple(topics.get(follow_up.id or 0, ())),
            overdue=lifecycle.is_overdue(follow_up, today=today),
        )
        for follow_up, meeting, committee, city in rows
    ]


def _users(session: Session, user_ids: Collection[int]) -> dict[int, User]:
    if not user_ids:
        return {}
    users = session.exec(select(User).where(col(User.id).in_(user_ids))).all()
    return {user.id: user for user in users if user.id is not None}


def _topics_of(session: Session, follow_up_ids: Collection[int]) -> dict[int, list[Topic]]:
    if not follow_up_ids:
        return {}
    rows = session.exec(
        select(FollowUpTopic.follow_up_id, Topic)
        .join(Topic, col(Topic.id) == FollowUpTopic.topic_id)
        .where(col(FollowUpTopic.follow_up_id).in_(follow_up_ids))
        .order_by(col(Topic.name))
    ).all()
    topics: dict[int, list[Topic]] = defaultdict(list)
    for follow_up_id, topic in rows:
        topics[follow_up_id].append(topic)
    return topics


# --- the board ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardColumn:
    status: str
    label: str
    rows: list[FollowUpRow]

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)


@dataclass(frozen=True)
class Board:
    city: City
    columns: list[BoardColumn]

    @property
    def rows(self) -> list[FollowUpRow]:
        """Every card, column by column (the order of the CSV export)."""
        return [row for column in self.columns for row in column.rows]

    @property
    def total(self) -> int:
        return sum(len(column.rows) for column in self.columns)


def board(
    session: Session,
    *,
    viewer: Viewer,
    city: City,
    today: dt.date,
    filters: FollowUpFilters | None = None,
) -> Board:
    """The city's follow-ups the viewer may see, in one column per status. A status filter
    keeps the other columns, empty, so the board keeps its shape."""
    rows = list_follow_ups(session, viewer=viewer, today=today, city_id=city.id, filters=filters)
    by_status: dict[str, list[FollowUpRow]] = defaultdict(list)
    for row in rows:
        by_status[row.follow_up.status].append(row)
    columns = [BoardColumn(s, STATUS_LABELS[s], by_status.get(s, [])) for s in BOARD_COLUMNS]
    return Board(city=city, columns=columns)


@dataclass(frozen=True)
class Owner:
    """One choice of the owner filter: a user of the app, or an owner as the minutes name it."""

    value: str  # "user:<id>" or "text:<as written>"
    label: str


@dataclass(frozen=True)
class BoardChoices:
    committees: list[Committee] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    owner_users: list[Owner] = field(default_factory=list)
    owner_texts: list[Owner] = field(default_factory=list)


def board_choices(session: Session, *, viewer: Viewer, city: City) -> BoardChoices:
    """What the board's filters offer: the city's committees the viewer sees, and the topics
    and owners of its follow-ups the viewer sees."""
    committees = list(
        session.exec(
            select(Committee)
            .where(col(Committee.city_id) == city.id, visible_committees(viewer))
            .order_by(col(Committee.active).desc(), col(Committee.name))
        ).all()
    )
    visible = _follow_ups_in(city, viewer)
    topics = session.exec(
        select(Topic)
        .where(
            exists().where(
                col(FollowUpTopic.topic_id) == col(Topic.id),
                col(FollowUpTopic.follow_up_id).in_(visible),
            )
        )
        .order_by(col(Topic.name))
    ).all()
    users = session.exec(
        select(User)
        .where(
            exists().where(
                col(FollowUp.owner_user_id) == col(User.id), col(FollowUp.id).in_(visible)
            )
        )
        .order_by(col(User.name))
    ).all()
    texts = session.exec(
        select(FollowUp.owner_text)
        .where(col(FollowUp.id).in_(visible), col(FollowUp.owner_text).is_not(None))
        .distinct()
    ).all()
    return BoardChoices(
        committees=committees,
        topics=list(topics),
        owner_users=[Owner(f"user:{u.id}", u.name) for u in users],
        owner_texts=[Owner(f"text:{t}", t) for t in _sorted_texts(texts)],
    )


def _follow_ups_in(city: City, viewer: Viewer) -> SelectOfScalar[int] | SelectOfScalar[None]:
    """The ids of the city's follow-ups the viewer sees, as a subquery."""
    return (
        select(FollowUp.id)
        .join(Meeting, col(Meeting.id) == FollowUp.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(col(Committee.city_id) == city.id, visible_committees(viewer))
    )


def _sorted_texts(texts: Iterable[str | None]) -> list[str]:
    return sorted({t for t in texts if t and t.strip()}, key=str.casefold)


# --- the follow-ups landing page -------------------------------------------------------------


@dataclass(frozen=True)
class CommitteeCounts:
    committee: Committee
    open: int
    overdue: int


@dataclass(frozen=True)
class CityCounts:
    city: City
    committees: list[CommitteeCounts]

    @property
    def open(self) -> int:
        return sum(c.open for c in self.committees)

    @property
    def overdue(self) -> int:
        return sum(c.overdue for c in self.committees)


def overview(session: Session, *, viewer: Viewer, today: dt.date) -> list[CityCounts]:
    """The committees the viewer sees, by city (both by name), with their open and overdue
    follow-ups: where the boards and lists are."""
    committees = session.exec(
        select(Committee, City)
        .join(City, col(City.id) == Committee.city_id)
        .where(visible_committees(viewer))
        .order_by(col(City.name), col(Committee.active).desc(), col(Committee.name))
    ).all()
    open_counts = _count_by_committee(
        session, viewer, col(FollowUp.status).in_(OUTSTANDING_STATUSES)
    )
    overdue_counts = _count_by_committee(session, viewer, overdue_condition(today))
    cities: dict[int, CityCounts] = {}
    for committee, city in committees:
        entry = cities.setdefault(city.id or 0, CityCounts(city=city, committees=[]))
        entry.committees.append(
            CommitteeCounts(
                committee=committee,
                open=open_counts.get(committee.id or 0, 0),
                overdue=overdue_counts.get(committee.id or 0, 0),
            )
        )
    return list(cities.values())


def _count_by_committee(
    session: Session, viewer: Viewer, condition: ColumnElement[bool]
) -> dict[int, int]:
    rows = session.exec(
        select(Committee.id, func.count())
        .select_from(FollowUp)
        .join(Meeting, col(Meeting.id) == FollowUp.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(lifecycle.visible_follow_ups(viewer), condition)
        .group_by(col(Committee.id))
    ).all()
    return {committee_id or 0: n for committee_id, n in rows}


def assigned_to(session: Session, *, viewer: Viewer, today: dt.date) -> list[FollowUpRow]:
    """Follow-ups assigned to the viewer's account that are not closed (verified or
    declined), that the viewer can still see."""
    rows = list_follow_ups(
        session, viewer=viewer, today=today, filters=FollowUpFilters(owner_user_id=viewer.id)
    )
    return [row for row in rows if row.follow_up.status not in ("verified_done", "declined")]
