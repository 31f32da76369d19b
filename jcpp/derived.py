"""Derived data (trend counts, the search index) kept current on every write.

Every flush marks what it touched (see `_mark_flushed`): a meeting whose row, minutes,
analysis, topics, mentions, concerns, action items or agenda changed, a follow-up whose row or
links changed, and whether a city, committee or topic row changed (the names trends are shown
with). Changes made with bulk statements, which the flush does not see, are marked by the
service that makes them (`mark_meeting_changed`, `mark_topics_changed` for a topic merge). Just
before the session commits, every refresher brings its rows up to date for what was marked, in the
same transaction, so derived data never disagrees with what was committed. `refresh_now` does the
same at once, for code that reads derived data before committing.

Refreshers are named in `REFRESHERS` ("module:function") and imported on first use, so that this
module depends on nothing it refreshes.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.attributes import get_history
from sqlmodel import Session, select

from jcpp.models import (
    ActionItem,
    AgendaItem,
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
    MinutesAnalysis,
    MinutesRevision,
    Topic,
    TopicMention,
)

REFRESHERS = (
    "jcpp.trends.rollup:refresh",
    "jcpp.trends.data_version:refresh",
    "jcpp.search.index:refresh",
)

_INFO_KEY = "jcpp_derived_changes"


@dataclass
class Changes:
    """What a transaction changed, as far as derived data cares.

    `meetings` maps a meeting id to the (city id, start) it had when first marked, or None when
    it did not exist yet, so that a meeting moved to another month refreshes both months.
    """

    meetings: dict[int, tuple[int, dt.datetime] | None] = field(default_factory=dict)
    follow_ups: set[int] = field(default_factory=set)
    topics: set[int] = field(default_factory=set)
    names: bool = False  # a city, committee or topic row was added, changed or deleted

    def __bool__(self) -> bool:
        return bool(self.meetings or self.follow_ups or self.topics or self.names)


Refresher = Callable[[Session, Changes], None]


def pending(session: Session) -> Changes:
    changes = session.info.get(_INFO_KEY)
    if changes is None:
        changes = session.info[_INFO_KEY] = Changes()
    assert isinstance(changes, Changes)
    return changes


def mark_meeting_changed(session: Session, meeting_id: int | None) -> None:
    """Call before changing the meeting with a statement the flush does not see."""
    if meeting_id is None:
        return
    changes = pending(session)
    if meeting_id in changes.meetings:
        return
    row = session.exec(
        select(Committee.city_id, Meeting.start_at)
        .join(Committee, Committee.id == Meeting.committee_id)  # type: ignore[arg-type]
        .where(Meeting.id == meeting_id)
    ).first()
    changes.meetings[meeting_id] = (row[0], row[1]) if row is not None else None


def mark_follow_up_changed(session: Session, follow_up_id: int | None) -> None:
    if follow_up_id is not None:
        pending(session).follow_ups.add(follow_up_id)


def mark_topics_changed(session: Session, topic_ids: set[int]) -> None:
    """For changes that move a topic's rows across many meetings (a merge)."""
    pending(session).topics.update(topic_ids)


def _refreshers() -> list[Refresher]:
    found: list[Refresher] = []
    for name in REFRESHERS:
        module_name, function_name = name.split(":")
        found.append(getattr(importlib.import_module(module_name), function_name))
    return found


def refresh_now(session: Session) -> None:
    """Bring derived data up to date with what was marked; clears the marks."""
    session.flush()  # marks what is still pending
    changes = session.info.pop(_INFO_KEY, None)
    if not changes:
        return
    for refresher in _refreshers():
        refresher(session, changes)
    session.flush()


_MEETING_PARTS = (
    Minutes,
    MinutesRevision,
    MinutesAnalysis,
    MeetingTopic,
    TopicMention,
    Concern,
    ActionItem,
    AgendaItem,
)
_FOLLOW_UP_PARTS = (FollowUpConcern, FollowUpTopic)
_NAMED = (City, Committee, Topic)


def _mark_meeting_row(session: Session, meeting: Meeting, *, new: bool) -> None:
    """A meeting row in the flush: remember the city and start it had before this flush."""
    changes = pending(session)
    if meeting.id is None or meeting.id in changes.meetings:
        return
    if new:
        changes.meetings[meeting.id] = None
        return
    old_start = get_history(meeting, "start_at").deleted
    old_committee = get_history(meeting, "committee_id").deleted
    committee_id = old_committee[0] if old_committee else meeting.committee_id
    city_id = session.exec(select(Committee.city_id).where(Committee.id == committee_id)).one()
    changes.meetings[meeting.id] = (city_id, old_start[0] if old_start else meeting.start_at)


def _meeting_of(session: Session, row: Any) -> int | None:
    if isinstance(row, ConcernTopic):
        concern = session.get(Concern, row.concern_id)
        return concern.meeting_id if concern is not None else None
    meeting_id = row.meeting_id
    return meeting_id if isinstance(meeting_id, int) else None


@event.listens_for(OrmSession, "after_flush")
def _mark_flushed(session: OrmSession, flush_context: Any) -> None:
    assert isinstance(session, Session)
    touched = [
        *((row, True) for row in session.new),
        *((row, False) for row in (*session.dirty, *session.deleted)),
    ]
    for row, new in touched:
        if isinstance(row, Meeting):
            _mark_meeting_row(session, row, new=new)
    for row, _new in touched:
        if isinstance(row, (*_MEETING_PARTS, ConcernTopic)):
            mark_meeting_changed(session, _meeting_of(session, row))
        elif isinstance(row, FollowUp):
            mark_follow_up_changed(session, row.id)
        elif isinstance(row, _FOLLOW_UP_PARTS):
            mark_follow_up_changed(session, row.follow_up_id)
        elif isinstance(row, _NAMED):
            pending(session).names = True


@event.listens_for(OrmSession, "before_commit")
def _refresh_before_commit(session: OrmSession) -> None:
    assert isinstance(session, Session)
    refresh_now(session)


@event.listens_for(OrmSession, "after_rollback")
def _forget_after_rollback(session: OrmSession) -> None:
    session.info.pop(_INFO_KEY, None)
