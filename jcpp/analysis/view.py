"""What the review of a meeting's minutes shows: proposals, reviews and evidence."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from jcpp.analysis.review import ReviewScope, concern_fingerprint, load_scope
from jcpp.auth.permissions import Viewer, can_edit_committee
from jcpp.followups.service import follow_ups_of_concerns
from jcpp.models import (
    ActionItem,
    Concern,
    ConcernTopic,
    FollowUp,
    MeetingTopic,
    Minutes,
    MinutesAnalysis,
    Topic,
    TopicMention,
)


@dataclass(frozen=True)
class TopicReview:
    row: MeetingTopic
    topic: Topic
    mentions: list[TopicMention]


@dataclass(frozen=True)
class ConcernReview:
    row: Concern
    topics: list[Topic]

    @property
    def seen(self) -> str:
        """What the review forms send back as seen (`concern_fingerprint`)."""
        return concern_fingerprint(self.row, [topic.id or 0 for topic in self.topics])


@dataclass(frozen=True)
class MeetingReview:
    """Everything the review of a meeting's minutes shows."""

    scope: ReviewScope
    analysis: MinutesAnalysis | None
    current_revision: int
    topics: list[TopicReview]
    concerns: list[ConcernReview]
    actions: list[ActionItem]
    follow_ups: dict[int, FollowUp]  # by action item id
    concern_follow_ups: dict[int, list[FollowUp]]  # by concern id
    can_edit: bool

    @property
    def analysed_revision(self) -> int | None:
        return self.analysis.revision_number if self.analysis else None

    @property
    def outdated(self) -> bool:
        """There is a revision and the newest one has not been analysed (yet)."""
        if self.current_revision == 0:
            return False  # no minutes yet: nothing to analyse
        return self.analysis is None or self.analysis.revision_number != self.current_revision


def _topic_reviews(session: Session, meeting_id: int) -> list[TopicReview]:
    rows = session.exec(
        select(MeetingTopic, Topic)
        .join(Topic, col(Topic.id) == MeetingTopic.topic_id)
        .where(MeetingTopic.meeting_id == meeting_id)
    ).all()
    mentions: dict[int, list[TopicMention]] = {}
    for mention in session.exec(
        select(TopicMention)
        .where(TopicMention.meeting_id == meeting_id)
        .order_by(col(TopicMention.start))
    ):
        mentions.setdefault(mention.topic_id, []).append(mention)
    reviews = [TopicReview(row, topic, mentions.get(topic.id or 0, [])) for row, topic in rows]
    order = {"confirmed": 0, "proposed": 1, "rejected": 2}
    reviews.sort(key=lambda r: (order.get(r.row.state, 3), -(r.row.score or 0), r.topic.name))
    return reviews


def _concern_reviews(session: Session, meeting_id: int) -> list[ConcernReview]:
    concerns = session.exec(
        select(Concern).where(Concern.meeting_id == meeting_id).order_by(col(Concern.start))
    ).all()
    links = session.exec(
        select(ConcernTopic.concern_id, Topic)
        .join(Topic, col(Topic.id) == ConcernTopic.topic_id)
        .where(col(ConcernTopic.concern_id).in_([c.id for c in concerns]))
        .order_by(col(Topic.name))
    ).all()
    topics: dict[int, list[Topic]] = {}
    for concern_id, topic in links:
        topics.setdefault(concern_id, []).append(topic)
    return [ConcernReview(c, topics.get(c.id or 0, [])) for c in concerns]


def get_review(session: Session, meeting_id: int, *, viewer: Viewer) -> MeetingReview:
    """The proposals and reviews of a meeting the viewer may see."""
    scope = load_scope(session, meeting_id, viewer=viewer)
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting_id)).first()
    actions = session.exec(
        select(ActionItem)
        .where(ActionItem.meeting_id == meeting_id)
        .order_by(col(ActionItem.start))
    ).all()
    follow_ups = session.exec(
        select(FollowUp).where(col(FollowUp.action_item_id).in_([a.id for a in actions]))
    ).all()
    concerns = _concern_reviews(session, meeting_id)
    return MeetingReview(
        scope=scope,
        analysis=session.exec(
            select(MinutesAnalysis).where(MinutesAnalysis.meeting_id == meeting_id)
        ).first(),
        current_revision=minutes.current_revision if minutes else 0,
        topics=_topic_reviews(session, meeting_id),
        concerns=concerns,
        actions=list(actions),
        follow_ups={f.action_item_id: f for f in follow_ups if f.action_item_id is not None},
        concern_follow_ups=follow_ups_of_concerns(session, (c.row.id or 0 for c in concerns)),
        can_edit=can_edit_committee(viewer, scope.committee),
    )
