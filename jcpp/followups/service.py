"""Follow-ups: making them, what their page shows, and editors' changes to their details and
links. Status changes and comments are `jcpp.followups.lifecycle`'s.

Reading needs view permission on the follow-up's committee (its meeting's); every change here
needs edit permission (the city's liaison, or an admin). Each change is a FollowUpEvent, an
audit event and a new version, as in the lifecycle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.audit.service import record
from jcpp.auth.permissions import (
    Viewer,
    can_edit_committee,
    require_edit,
)
from jcpp.errors import NotFound
from jcpp.followups.lifecycle import (
    FollowUpScope,
    allowed_transitions,
    is_overdue,
    load_follow_up,
)
from jcpp.models import (
    ActionItem,
    City,
    Committee,
    Concern,
    ConcernTopic,
    FollowUp,
    FollowUpComment,
    FollowUpConcern,
    FollowUpEvent,
    FollowUpTopic,
    Meeting,
    Topic,
    User,
    UserCity,
    UserCommittee,
)
from jcpp.notify.service import notify, shorten

MAX_TITLE_CHARS = 300
MAX_OWNER_CHARS = 200
MAX_DESCRIPTION_CHARS = 10_000
CONCERN_CHOICES = 100  # the newest concerns of the committee offered for linking


# ---------------------------------------------------------------- making one


def next_meeting_day(session: Session, meeting: Meeting) -> dt.date | None:
    """The county date of the committee's next meeting after `meeting` (not cancelled)."""
    start = session.exec(
        select(Meeting.start_at)
        .where(
            Meeting.committee_id == meeting.committee_id,
            col(Meeting.start_at) > meeting.start_at,
            col(Meeting.status) != "cancelled",
        )
        .order_by(col(Meeting.start_at))
    ).first()
    return clock.local_date(start) if start is not None else None


def _committee_of(session: Session, meeting_id: int) -> tuple[Meeting, Committee | None]:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("There is no such meeting, or it is not yours to see.")
    return meeting, session.get(Committee, meeting.committee_id)


def create_follow_up(
    session: Session,
    *,
    meeting_id: int,
    by: Viewer,
    title: str,
    summary: str,
    description: str = "",
    owner_text: str | None = None,
    owner_user_id: int | None = None,
    due_date: dt.date | None = None,
    action_item_id: int | None = None,
    concern_ids: Sequence[int] = (),
    topic_ids: Sequence[int] = (),
    audit_before: dict[str, Any] | None = None,
) -> FollowUp:
    """A new open follow-up of the meeting, with its "created" history row, its links, an
    audit event (`summary` says where it came from) and, when it is assigned to a user, a
    notification to that user. Values are taken as given: callers clean them."""
    meeting, committee = _committee_of(session, meeting_id)
    committee = require_edit(by, committee)
    now = clock.now()
    follow_up = FollowUp(
        meeting_id=meeting_id, title=title, description=description, owner_text=owner_text,
        owner_user_id=owner_user_id, due_date=due_date, action_item_id=action_item_id,
        created_by_id=by.id, created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(follow_up)
    session.flush()
    session.add(
        FollowUpEvent(
            follow_up_id=follow_up.id or 0, kind="created", to_status="open", user_id=by.id, at=now
        )
    )
    for concern_id in dict.fromkeys(concern_ids):
        session.add(FollowUpConcern(follow_up_id=follow_up.id or 0, concern_id=concern_id))
    for topic_id in dict.fromkeys(topic_ids):
        session.add(FollowUpTopic(follow_up_id=follow_up.id or 0, topic_id=topic_id))
    session.flush()
    scope = FollowUpScope(follow_up, meeting, committee)
    record(
        session, user_id=by.id, action="create_follow_up", entity_type="follow_up",
        entity_id=follow_up.id, city_id=committee.city_id,
        summary=f"{summary}: {shorten(title, 120)} (meeting #{meeting_id})", before=audit_before,
        after={"title": title, "owner": owner_text, "owner_user_id": owner_user_id,
               "due_date": due_date, "status": "open", "action_item_id": action_item_id,
               "concern_ids": list(concern_ids), "topic_ids": list(topic_ids)},
    )  # fmt: skip
    tell_new_owner(session, scope, by=by, owner_user_id=owner_user_id)
    return follow_up


def tell_new_owner(
    session: Session, scope: FollowUpScope, *, by: Viewer, owner_user_id: int | None
) -> None:
    if owner_user_id is None or owner_user_id == by.id:
        return
    notify(
        session, user_ids=[owner_user_id], kind="assigned", follow_up_id=scope.follow_up.id,
        message=f"{by.user.name} assigned “{shorten(scope.follow_up.title, 150)}” to you.",
    )  # fmt: skip


# ---------------------------------------------------------------- its page


@dataclass(frozen=True)
class HistoryRow:
    event: FollowUpEvent
    user_name: str | None


@dataclass
class CommentNode:
    comment: FollowUpComment
    author_name: str
    replies: list[CommentNode] = field(default_factory=list)


@dataclass(frozen=True)
class LinkedConcern:
    concern: Concern
    meeting: Meeting


@dataclass(frozen=True)
class FollowUpPage:
    """Everything the follow-up page shows."""

    scope: FollowUpScope
    city: City
    owner_user: User | None
    creator: User | None
    action_item: ActionItem | None
    concerns: list[LinkedConcern]
    topics: list[Topic]
    history: list[HistoryRow]
    comments: list[CommentNode]
    comment_count: int
    transitions: list[str]
    can_edit: bool
    overdue: bool

    @property
    def follow_up(self) -> FollowUp:
        return self.scope.follow_up

    @property
    def seen(self) -> str:
        """What the details form sends back as seen (`details_fingerprint`)."""
        return details_fingerprint(self.follow_up)


def _linked_concerns(session: Session, follow_up_id: int) -> list[LinkedConcern]:
    rows = session.exec(
        select(Concern, Meeting)
        .join(FollowUpConcern, col(FollowUpConcern.concern_id) == Concern.id)
        .join(Meeting, col(Meeting.id) == Concern.meeting_id)
        .where(FollowUpConcern.follow_up_id == follow_up_id)
        .order_by(col(Meeting.start_at), col(Concern.start))
    ).all()
    return [LinkedConcern(concern, meeting) for concern, meeting in rows]


def _linked_topics(session: Session, follow_up_id: int) -> list[Topic]:
    return list(
        session.exec(
            select(Topic)
            .join(FollowUpTopic, col(FollowUpTopic.topic_id) == Topic.id)
            .where(FollowUpTopic.follow_up_id == follow_up_id)
            .order_by(col(Topic.name))
        ).all()
    )


def history(session: Session, follow_up_id: int) -> list[HistoryRow]:
    """Every change of the follow-up, oldest first."""
    rows = session.exec(
        select(FollowUpEvent, User.name)
        .join(User, col(User.id) == FollowUpEvent.user_id, isouter=True)
        .where(FollowUpEvent.follow_up_id == follow_up_id)
        .order_by(col(FollowUpEvent.at), col(FollowUpEvent.id))
    ).all()
    return [HistoryRow(event, name) for event, name in rows]


def comment_threads(session: Session, follow_up_id: int) -> tuple[list[CommentNode], int]:
    """The comments as threads (replies under what they answer, oldest first), and how many."""
    rows = session.exec(
        select(FollowUpComment, User.name)
        .join(User, col(User.id) == FollowUpComment.user_id)
        .where(FollowUpComment.follow_up_id == follow_up_id)
        .order_by(col(FollowUpComment.created_at), col(FollowUpComment.id))
    ).all()
    nodes = {comment.id: CommentNode(comment, name) for comment, name in rows}
    roots: list[CommentNode] = []
    for node in nodes.values():
        parent = nodes.get(node.comment.parent_id) if node.comment.parent_id else None
        (parent.replies if parent is not None else roots).append(node)
    return roots, len(nodes)


def follow_up_page(session: Session, follow_up_id: int, *, viewer: Viewer) -> FollowUpPage:
    """The follow-up and what hangs on it, as the viewer may see and change it."""
    scope = load_follow_up(session, follow_up_id, viewer=viewer)
    fu = scope.follow_up
    city = session.get(City, scope.committee.city_id)
    assert city is not None
    comments, count = comment_threads(session, follow_up_id)
    return FollowUpPage(
        scope=scope,
        city=city,
        owner_user=session.get(User, fu.owner_user_id) if fu.owner_user_id else None,
        creator=session.get(User, fu.created_by_id) if fu.created_by_id else None,
        action_item=session.get(ActionItem, fu.action_item_id) if fu.action_item_id else None,
        concerns=_linked_concerns(session, follow_up_id),
        topics=_linked_topics(session, follow_up_id),
        history=history(session, follow_up_id),
        comments=comments,
        comment_count=count,
        transitions=allowed_transitions(fu, by=viewer, committee=scope.committee),
        can_edit=can_edit_committee(viewer, scope.committee),
        overdue=is_overdue(fu),
    )


def owner_user_choices(session: Session, committee: Committee) -> list[User]:
    """The active users who may see the committee's follow-ups (so may be assigned one): its
    members, its city's liaisons, county staff and administrators, by name."""
    members = select(UserCommittee.user_id).where(UserCommittee.committee_id == committee.id)
    liaisons = select(UserCity.user_id).where(UserCity.city_id == committee.city_id)
    users = session.exec(
        select(User)
        .where(col(User.active).is_(True))
        .where(
            col(User.role).in_(("admin", "county_staff"))
            | ((col(User.role) == "member") & col(User.id).in_(members))
            | ((col(User.role) == "liaison") & col(User.id).in_(liaisons))
        )
        .order_by(col(User.name), col(User.id))
    ).all()
    return list(users)


@dataclass(frozen=True)
class ConcernChoices:
    """Concerns raised at one meeting, offered for linking."""

    meeting: Meeting
    concerns: list[Concern]


def concern_choices(session: Session, scope: FollowUpScope) -> list[ConcernChoices]:
    """Concerns raised in the committee's meetings that could be linked (not rejected, not
    linked already), by meeting, newest first."""
    linked = select(FollowUpConcern.concern_id).where(
        FollowUpConcern.follow_up_id == scope.follow_up.id
    )
    rows = session.exec(
        select(Concern, Meeting)
        .join(Meeting, col(Meeting.id) == Concern.meeting_id)
        .where(Meeting.committee_id == scope.committee.id)
        .where(col(Concern.state) != "rejected", col(Concern.id).not_in(linked))
        .order_by(col(Meeting.start_at).desc(), col(Concern.start))
        .limit(CONCERN_CHOICES)
    ).all()
    groups: list[ConcernChoices] = []
    for concern, meeting in rows:
        if not groups or groups[-1].meeting.id != meeting.id:
            groups.append(ConcernChoices(meeting, []))
        groups[-1].concerns.append(concern)
    return groups


def topic_choices(session: Session, follow_up_id: int) -> list[Topic]:
    """Topics of the current list not linked to the follow-up yet."""
    linked = select(FollowUpTopic.topic_id).where(FollowUpTopic.follow_up_id == follow_up_id)
    return list(
        session.exec(
            select(Topic)
            .where(col(Topic.active).is_(True), col(Topic.id).not_in(linked))
            .order_by(col(Topic.name))
        ).all()
    )


def follow_ups_of_concerns(
    session: Session, concern_ids: Iterable[int]
) -> dict[int, list[FollowUp]]:
    """The follow-ups linked to each concern (for the minutes review panel)."""
    ids = list(concern_ids)
    if not ids:
        return {}
    rows = session.exec(
        select(FollowUpConcern.concern_id, FollowUp)
        .join(FollowUp, col(FollowUp.id) == FollowUpConcern.follow_up_id)
        .where(col(FollowUpConcern.concern_id).in_(ids))
        .order_by(col(FollowUp.id))
    ).all()
    found: dict[int, list[FollowUp]] = {}
    for concern_id, follow_up in rows:
        found.setdefault(concern_id, []).append(follow_up)
    return found


def details_of(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "title": follow_up.title,
        "description": follow_up.description,
        "owner_text": follow_up.owner_text or "",
        "owner_user_id": follow_up.owner_user_id,
        "due_date": follow_up.due_date.isoformat() if follow_up.due_date else None,
        "progress": follow_up.progress,
    }


def details_fingerprint(follow_up: FollowUp) -> str:
    """What a person sees of a follow-up's details, in 16 characters."""
    return hashlib.sha256(json.dumps(details_of(follow_up)).encode()).hexdigest()[:16]


def concern_topic_ids(session: Session, concern_id: int) -> list[int]:
    return list(
        session.exec(select(ConcernTopic.topic_id).where(ConcernTopic.concern_id == concern_id))
    )
