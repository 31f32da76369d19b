"""Reading recurring concerns for one viewer: a recurring concern's page (the timeline of where it
was raised, its follow-ups and flags) and the list of those touching the viewer.

Scope: a recurring concern is visible when one of its concerns was raised in a committee the
viewer may see (members: their committees; liaisons: their cities; county staff and admins:
all). Of the concerns raised elsewhere the viewer sees where and when (city, committee, date)
but not the words nor a link to minutes they may not read, and of follow-ups made elsewhere
their status but not their title: minutes name residents. The title, made from the earliest
concern's words, is shown only to those who may read them; others get one from the earliest
concern they may read.

The list shows recurring concerns with at least two concerns that count (not split off, not
rejected), one of them visible to the viewer.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.auth.permissions import Viewer, can_view_committee
from jcpp.followups.lifecycle import CLOSED_STATUSES, status_label
from jcpp.models import (
    City,
    Committee,
    Concern,
    ConcernTopic,
    FollowUp,
    FollowUpConcern,
    FollowUpEvent,
    Meeting,
    RecurringConcern,
    RecurringConcernMember,
    Topic,
)
from jcpp.recurring.flags import DONE, OPEN, FollowUpHistory, raised_again_flags
from jcpp.recurring.match import title_from
from jcpp.recurring.service import ACTIVE, can_review, visible_recurring


@dataclass(frozen=True)
class Raised:
    """One concern of a recurring concern: where and when it was raised, and its state."""

    member: RecurringConcernMember
    concern: Concern
    meeting: Meeting
    committee: Committee
    city: City
    readable: bool  # the viewer may read its words and its minutes
    reviewable: bool  # the viewer may confirm or split it
    flags: frozenset[str] = frozenset()

    @property
    def counts(self) -> bool:
        return self.member.state in ACTIVE and self.concern.state != "rejected"

    @property
    def day(self) -> dt.date:
        return clock.local_date(self.meeting.start_at)


@dataclass(frozen=True)
class LinkedFollowUp:
    """A follow-up of one of the recurring concern's concerns."""

    follow_up: FollowUp
    concern_id: int
    meeting: Meeting
    committee: Committee
    city: City
    readable: bool

    @property
    def status_label(self) -> str:
        return status_label(self.follow_up.status)

    @property
    def closed(self) -> bool:
        return self.follow_up.status in CLOSED_STATUSES


@dataclass
class RecurringView:
    recurring: RecurringConcern
    title: str
    raised: list[Raised]  # oldest first, split-off and rejected ones included
    follow_ups: list[LinkedFollowUp]
    topics: list[Topic] = field(default_factory=list)

    @property
    def counting(self) -> list[Raised]:
        return [r for r in self.raised if r.counts]

    @property
    def flags(self) -> frozenset[str]:
        return frozenset().union(*(r.flags for r in self.counting))

    @property
    def raised_while_open(self) -> bool:
        return OPEN in self.flags

    @property
    def raised_after_done(self) -> bool:
        return DONE in self.flags

    @property
    def times(self) -> int:
        """At how many meetings it was raised."""
        return len({r.meeting.id for r in self.counting})

    @property
    def cities(self) -> list[City]:
        by_id = {r.city.id: r.city for r in self.counting}
        return sorted(by_id.values(), key=lambda city: city.name.casefold())

    @property
    def first_day(self) -> dt.date | None:
        return self.counting[0].day if self.counting else None

    @property
    def last_day(self) -> dt.date | None:
        return self.counting[-1].day if self.counting else None

    @property
    def to_review(self) -> int:
        """Proposals the viewer may decide."""
        return sum(1 for r in self.counting if r.member.state == "proposed" and r.reviewable)

    @property
    def open_follow_ups(self) -> int:
        return sum(1 for f in self.follow_ups if not f.closed)

    @property
    def listed(self) -> bool:
        """In the viewer's list: raised at two meetings or more, one the viewer can see."""
        return self.times >= 2 and any(r.readable for r in self.counting)


# ---------------------------------------------------------------- loading


MemberRow = tuple[RecurringConcernMember, Concern, Meeting, Committee]


def _member_rows(session: Session, recurring_ids: Sequence[int] | None) -> list[MemberRow]:
    query = (
        select(RecurringConcernMember, Concern, Meeting, Committee)
        .join(Concern, col(Concern.id) == RecurringConcernMember.concern_id)
        .join(Meeting, col(Meeting.id) == Concern.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .order_by(col(Meeting.start_at), col(Concern.id))
    )
    if recurring_ids is not None:
        query = query.where(col(RecurringConcernMember.recurring_id).in_(recurring_ids))
    return list(session.exec(query).all())


def _cities(session: Session, ids: Iterable[int]) -> dict[int, City]:
    rows = session.exec(select(City).where(col(City.id).in_(set(ids)))).all()
    return {city.id or 0: city for city in rows}


def _follow_ups(
    session: Session, concern_ids: Sequence[int]
) -> list[tuple[int, FollowUp, Meeting, Committee]]:
    rows = session.exec(
        select(FollowUpConcern.concern_id, FollowUp, Meeting, Committee)
        .join(FollowUp, col(FollowUp.id) == FollowUpConcern.follow_up_id)
        .join(Meeting, col(Meeting.id) == FollowUp.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(col(FollowUpConcern.concern_id).in_(concern_ids))
        .order_by(col(Meeting.start_at), col(FollowUp.id))
    ).all()
    return list(rows)


def _histories(
    session: Session, follow_ups: Iterable[tuple[FollowUp, Meeting]]
) -> dict[int, FollowUpHistory]:
    pairs = {fu.id or 0: (fu, meeting) for fu, meeting in follow_ups}
    changes: dict[int, list[tuple[dt.datetime, str]]] = defaultdict(list)
    events = session.exec(
        select(FollowUpEvent)
        .where(col(FollowUpEvent.follow_up_id).in_(list(pairs)))
        .where(col(FollowUpEvent.kind) == "status")
        .order_by(col(FollowUpEvent.at), col(FollowUpEvent.id))
    ).all()
    for event in events:
        if event.to_status:
            changes[event.follow_up_id].append((event.at, event.to_status))
    return {
        fu_id: FollowUpHistory.of(
            follow_up_id=fu_id, since=meeting.start_at, status=fu.status,
            changes=changes.get(fu_id, []), closed_at=fu.closed_at, updated_at=fu.updated_at,
        )
        for fu_id, (fu, meeting) in pairs.items()
    }  # fmt: skip


def _topics(session: Session, concern_ids: Sequence[int]) -> dict[int, list[Topic]]:
    rows = session.exec(
        select(ConcernTopic.concern_id, Topic)
        .join(Topic, col(Topic.id) == ConcernTopic.topic_id)
        .where(col(ConcernTopic.concern_id).in_(concern_ids))
        .order_by(col(Topic.name))
    ).all()
    topics: dict[int, list[Topic]] = defaultdict(list)
    for concern_id, topic in rows:
        topics[concern_id].append(topic)
    return topics


def _flagged(
    raised: list[Raised], follow_ups: list[LinkedFollowUp], histories: dict[int, FollowUpHistory]
) -> list[Raised]:
    """Each counting concern with the flags from the follow-ups of those raised before it."""
    by_concern: dict[int, list[FollowUpHistory]] = defaultdict(list)
    for linked in follow_ups:
        by_concern[linked.concern_id].append(histories[linked.follow_up.id or 0])
    out = []
    for item in raised:
        earlier = [
            history
            for other in raised
            if other.counts and other.meeting.start_at < item.meeting.start_at
            for history in by_concern.get(other.concern.id or 0, [])
        ]
        flags = raised_again_flags(item.meeting.start_at, earlier) if item.counts else frozenset()
        out.append(replace(item, flags=flags))
    return out


def _title(recurring: RecurringConcern, raised: list[Raised]) -> str:
    """The stored title when the viewer may read the concern it comes from (the earliest that
    counts), else one from the earliest concern the viewer may read."""
    counting = [r for r in raised if r.counts]
    if counting and counting[0].readable:
        return recurring.title
    readable = [r for r in counting if r.readable] or [r for r in raised if r.readable]
    if readable:
        return title_from(readable[0].concern.shown_text)
    return f"Recurring concern #{recurring.id}"


def _build(
    session: Session, viewer: Viewer, recurring_ids: Sequence[int] | None
) -> list[RecurringView]:
    rows = _member_rows(session, recurring_ids)
    cities = _cities(session, (committee.city_id for *_, committee in rows))
    concern_ids = [concern.id or 0 for _, concern, _, _ in rows]
    follow_rows = _follow_ups(session, concern_ids)
    histories = _histories(session, ((fu, meeting) for _, fu, meeting, _ in follow_rows))
    cities.update(_cities(session, (c.city_id for *_, c in follow_rows if c.city_id not in cities)))
    topics = _topics(session, concern_ids)
    raised: dict[int, list[Raised]] = defaultdict(list)
    for member, concern, meeting, committee in rows:
        readable = can_view_committee(viewer, committee)
        raised[member.recurring_id].append(
            Raised(
                member, concern, meeting, committee, cities[committee.city_id], readable,
                readable and can_review(viewer, committee),
            )
        )  # fmt: skip
    linked = [
        LinkedFollowUp(fu, concern_id, meeting, committee, cities[committee.city_id],
                       can_view_committee(viewer, committee))
        for concern_id, fu, meeting, committee in follow_rows
    ]  # fmt: skip
    recurring = session.exec(
        select(RecurringConcern).where(col(RecurringConcern.id).in_(list(raised)))
    ).all()
    return [_view(item, raised[item.id or 0], linked, histories, topics) for item in recurring]


def _view(
    recurring: RecurringConcern,
    members: list[Raised],
    linked: list[LinkedFollowUp],
    histories: dict[int, FollowUpHistory],
    topics: dict[int, list[Topic]],
) -> RecurringView:
    concern_ids = {r.concern.id for r in members}
    counting_ids = {r.concern.id for r in members if r.counts}
    follow_ups = [f for f in linked if f.concern_id in concern_ids]
    counting_follow_ups = [f for f in follow_ups if f.concern_id in counting_ids]
    members = _flagged(members, counting_follow_ups, histories)
    by_id = {t.id: t for r in members if r.counts for t in topics.get(r.concern.id or 0, [])}
    ordered = sorted(by_id.values(), key=lambda topic: topic.name.casefold())
    return RecurringView(recurring, _title(recurring, members), members, follow_ups, ordered)


def recurring_page(session: Session, recurring_id: int, *, viewer: Viewer) -> RecurringView:
    """One recurring concern as the viewer may see it; NotFound when out of scope."""
    visible_recurring(session, recurring_id, viewer=viewer)
    (view,) = _build(session, viewer, [recurring_id])
    return view


# ---------------------------------------------------------------- the list


@dataclass(frozen=True)
class RecurringFilters:
    city: str | None = None  # a city's slug
    topic: str | None = None  # a topic's slug
    flag: str | None = None  # OPEN or DONE


@dataclass(frozen=True)
class ListChoices:
    """What the list's filters offer: the cities and topics of the recurring concerns listed."""

    cities: list[City]
    topics: list[Topic]


def list_recurring(
    session: Session, *, viewer: Viewer, filters: RecurringFilters = RecurringFilters()
) -> tuple[list[RecurringView], ListChoices]:
    """The recurring concerns touching the viewer, newest raised first, filtered; and what the
    filters can offer (from the unfiltered list)."""
    views = [view for view in _build(session, viewer, None) if view.listed]
    views.sort(key=lambda v: (v.last_day or dt.date.min, v.recurring.id or 0), reverse=True)
    cities = {c.id: c for v in views for c in v.cities}
    topics = {t.id: t for v in views for t in v.topics}
    choices = ListChoices(
        sorted(cities.values(), key=lambda c: c.name.casefold()),
        sorted(topics.values(), key=lambda t: t.name.casefold()),
    )
    return [view for view in views if _matches(view, filters)], choices


def _matches(view: RecurringView, filters: RecurringFilters) -> bool:
    if filters.city and filters.city not in {c.slug for c in view.cities}:
        return False
    if filters.topic and filters.topic not in {t.slug for t in view.topics}:
        return False
    return not filters.flag or filters.flag in view.flags
