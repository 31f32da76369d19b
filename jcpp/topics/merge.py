"""Merging one topic into another: its meetings, evidence and concern links move to the target.

The merged topic stays in the list, retired, with `merged_into_id` naming the target, so its
history and audit trail remain; the pipeline matches its terms as the target's from then on.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, delete, select, update

from jcpp.audit.service import record
from jcpp.auth.permissions import Viewer
from jcpp.derived import mark_topics_changed
from jcpp.errors import InvalidInput
from jcpp.models import ConcernTopic, MeetingTopic, Topic, TopicMention
from jcpp.topics.pipeline import touch_topic
from jcpp.topics.service import get_topic, require_topic_editor

# When both topics have a row for one meeting, the one kept: a person's review wins over a
# proposal, and a confirmation over a rejection.
STATE_STRENGTH = {"confirmed": 3, "rejected": 2, "proposed": 1}


@dataclass(frozen=True)
class MergeResult:
    source: Topic
    target: Topic
    meetings_moved: int
    meetings_combined: int
    mentions_moved: int
    concerns_moved: int


def _move_meeting_topics(session: Session, source: Topic, target: Topic) -> tuple[int, int]:
    """(rows moved, rows combined with the target's row of the same meeting)."""
    rows = session.exec(select(MeetingTopic).where(MeetingTopic.topic_id == source.id)).all()
    theirs = {
        row.meeting_id: row
        for row in session.exec(select(MeetingTopic).where(MeetingTopic.topic_id == target.id))
    }
    moved = combined = 0
    for row in rows:
        kept = theirs.get(row.meeting_id)
        if kept is None:
            row.topic_id = target.id or 0
            session.add(row)
            moved += 1
            continue
        if STATE_STRENGTH.get(row.state, 0) > STATE_STRENGTH.get(kept.state, 0):
            kept.state, kept.origin = row.state, row.origin
            kept.reviewed_by_id, kept.reviewed_at = row.reviewed_by_id, row.reviewed_at
        kept.matched = list(dict.fromkeys([*kept.matched, *row.matched]))
        kept.score = max(kept.score or 0.0, row.score or 0.0) or None
        session.add(kept)
        session.delete(row)
        combined += 1
    session.flush()
    return moved, combined


def _move_concern_links(session: Session, source: Topic, target: Topic) -> int:
    already = select(ConcernTopic.concern_id).where(ConcernTopic.topic_id == target.id)
    moved = session.exec(
        update(ConcernTopic)
        .where(col(ConcernTopic.topic_id) == source.id)
        .where(col(ConcernTopic.concern_id).not_in(already))
        .values(topic_id=target.id)
    ).rowcount
    session.exec(delete(ConcernTopic).where(col(ConcernTopic.topic_id) == source.id))
    return int(moved or 0)


def _move_mentions(session: Session, source: Topic, target: Topic) -> int:
    result = session.exec(
        update(TopicMention)
        .where(col(TopicMention.topic_id) == source.id)
        .values(topic_id=target.id)
    )
    return int(result.rowcount or 0)


def _check_merge(source: Topic, target: Topic) -> None:
    if source.id == target.id:
        raise InvalidInput({"into": "Choose another topic: a topic cannot be merged into itself."})
    if source.merged_into_id is not None:
        raise InvalidInput({"into": f"{source.name} has already been merged."})
    if not target.active:
        raise InvalidInput({"into": f"{target.name} is retired: restore it first."})


def merge_topic(session: Session, slug: str, *, into: str, by: Viewer) -> MergeResult:
    """Merge topic `slug` into topic `into` (county staff and administrators)."""
    require_topic_editor(by)
    source = get_topic(session, slug)
    target = session.exec(select(Topic).where(Topic.slug == into)).first()
    if target is None:
        raise InvalidInput({"into": "Choose the topic to merge into."})
    _check_merge(source, target)
    assert source.id is not None and target.id is not None
    mark_topics_changed(session, {source.id, target.id})  # the moves below are bulk statements
    moved, combined = _move_meeting_topics(session, source, target)
    mentions = _move_mentions(session, source, target)
    concerns = _move_concern_links(session, source, target)
    source.active = False
    source.merged_into_id = target.id
    source.edited = True
    touch_topic(session, source)
    touch_topic(session, target)  # its terms, as the pipeline sees them, now include the source's
    session.flush()
    result = MergeResult(source, target, moved, combined, mentions, concerns)
    record(
        session,
        user_id=by.id,
        action="merge_topic",
        entity_type="topic",
        entity_id=source.id,
        summary=f"Merged the topic {source.name} into {target.name}",
        before={"active": True, "merged_into": None},
        after={
            "active": False,
            "merged_into": target.slug,
            "meetings_moved": moved,
            "meetings_combined": combined,
            "mentions_moved": mentions,
            "concerns_moved": concerns,
        },
    )
    return result
