"""Storing one analysis of a meeting's minutes as proposals, keeping what people reviewed.

The rules (issue 3: "re-analysis never overwrites what a person reviewed"):
- rows still `proposed` are the pipeline's: they are updated in place when the new analysis
  finds them again (same topic, same text), added when new, and removed when no longer found;
- rows a person confirmed, rejected or converted stay as they are. A reviewed concern or action
  item is found again in the new text (its offsets follow the text); when its text is gone it
  stays, flagged with `missing_since_revision`;
- a topic, concern or action item a person rejected is not proposed again, and nothing reviewed
  is proposed a second time; a concern someone made a follow-up for is kept like a reviewed one;
- evidence (topic mentions) always belongs to the analysed revision: replaced wholesale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session, col, delete, select

from jcpp.models import (
    ActionItem,
    CarriedItem,
    Concern,
    ConcernTopic,
    FollowUpConcern,
    MeetingTopic,
    MinutesAnalysis,
    Topic,
    TopicMention,
)
from jcpp.models.base import utcnow
from nlp import types as nt


@dataclass
class StoreResult:
    """What one analysis changed."""

    meeting_id: int
    revision_number: int
    topics_proposed: int = 0
    concerns_proposed: int = 0
    actions_proposed: int = 0
    mentions: int = 0
    reviewed_kept: int = 0
    missing: int = 0  # reviewed concerns and action items whose text is gone


class Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Spans that share at least half of the shorter one (the evaluation's matching rule)."""
    shared = min(a_end, b_end) - max(a_start, b_start)
    shorter = min(a_end - a_start, b_end - b_start)
    return shorter > 0 and shared * 2 >= shorter


def relocate(text: str, needle: str, near: int) -> tuple[int, int] | None:
    """Where `needle` is in `text`, the occurrence nearest to offset `near`; None if absent."""
    if not needle:
        return None
    best: int | None = None
    index = text.find(needle)
    while index != -1:
        if best is None or abs(index - near) < abs(best - near):
            best = index
        index = text.find(needle, index + 1)
    return None if best is None else (best, best + len(needle))


def _active_topics(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Topic.slug, Topic.id).where(
            col(Topic.active).is_(True), col(Topic.merged_into_id).is_(None)
        )
    ).all()
    return {slug: topic_id for slug, topic_id in rows if topic_id is not None}


# ---------------------------------------------------------------- meeting topics


def _store_meeting_topics(
    session: Session, result: StoreResult, analysis: nt.Analysis, topic_ids: dict[str, int]
) -> None:
    existing = {
        row.topic_id: row
        for row in session.exec(
            select(MeetingTopic).where(MeetingTopic.meeting_id == result.meeting_id)
        )
    }
    found: set[int] = set()
    for scored in analysis.topics:
        topic_id = topic_ids.get(scored.slug)
        if topic_id is None:
            continue
        found.add(topic_id)
        row = existing.get(topic_id)
        if row is not None and row.state != "proposed":
            continue  # reviewed by a person: never overwritten, a rejection never re-proposed
        row = row or MeetingTopic(meeting_id=result.meeting_id, topic_id=topic_id)
        row.score = scored.score
        row.matched = list(dict.fromkeys(m.matched for m in scored.evidence))[:20]
        row.pipeline_version = analysis.pipeline_version
        row.model_version = analysis.model_version
        session.add(row)
        result.topics_proposed += 1
    for topic_id, row in existing.items():
        if row.state == "proposed" and topic_id not in found:
            session.delete(row)
        elif row.state != "proposed":
            result.reviewed_kept += 1


def _store_mentions(
    session: Session, result: StoreResult, analysis: nt.Analysis, topic_ids: dict[str, int]
) -> None:
    session.exec(delete(TopicMention).where(col(TopicMention.meeting_id) == result.meeting_id))
    for mention in analysis.mentions:
        topic_id = topic_ids.get(mention.slug)
        if topic_id is None:
            continue
        session.add(
            TopicMention(
                meeting_id=result.meeting_id,
                revision_number=result.revision_number,
                topic_id=topic_id,
                start=mention.start,
                end=mention.end,
                text=mention.text[:500],
                sentence_start=mention.sentence.start,
                sentence_end=mention.sentence.end,
                sentence=mention.sentence.text,
                score=mention.score,
                matched=mention.matched[:200],
                source=mention.source,
                pipeline_version=analysis.pipeline_version,
                model_version=analysis.model_version,
            )
        )
        result.mentions += 1


# ---------------------------------------------------------------- concerns and action items


def _keep_reviewed(
    rows: Sequence[Concern | ActionItem], text: str, result: StoreResult
) -> list[tuple[int, int, str]]:
    """Follow each reviewed row into the new text (or flag it missing); returns the spans and
    texts that new proposals must not repeat."""
    taken: list[tuple[int, int, str]] = []
    for row in rows:
        result.reviewed_kept += 1
        if row.origin == "person" and row.start == row.end:
            taken.append((row.start, row.end, row.text))  # typed by a person, not a span
            continue
        place = relocate(text, row.text, row.start)
        if place is None:
            if row.missing_since_revision is None:
                row.missing_since_revision = result.revision_number
            result.missing += 1
        else:
            row.start, row.end = place
            row.revision_number = result.revision_number
            row.missing_since_revision = None
            taken.append((row.start, row.end, row.text))
    return taken


def _is_taken(found: Spanned, taken: list[tuple[int, int, str]]) -> bool:
    return any(
        found.text == t_text or overlaps(found.start, found.end, t_start, t_end)
        for t_start, t_end, t_text in taken
    )


def _store_concerns(
    session: Session, result: StoreResult, analysis: nt.Analysis, text: str,
    topic_ids: dict[str, int],
) -> None:  # fmt: skip
    rows = session.exec(select(Concern).where(Concern.meeting_id == result.meeting_id)).all()
    followed = set(
        session.exec(
            select(FollowUpConcern.concern_id)
            .join(Concern, col(Concern.id) == FollowUpConcern.concern_id)
            .where(Concern.meeting_id == result.meeting_id)
        ).all()
    )
    # A concern on a later meeting's agenda as old business is kept too.
    followed |= {
        concern_id
        for concern_id in session.exec(
            select(CarriedItem.concern_id)
            .join(Concern, col(Concern.id) == CarriedItem.concern_id)
            .where(Concern.meeting_id == result.meeting_id)
        ).all()
        if concern_id is not None
    }
    # A concern with a follow-up is someone's work, reviewed or not: kept like a reviewed one.
    kept = [r for r in rows if r.state != "proposed" or r.id in followed]
    kept_ids = {r.id for r in kept}
    taken = _keep_reviewed(kept, text, result)
    proposed = {row.text: row for row in rows if row.id not in kept_ids}
    stored: list[tuple[Concern, Sequence[str]]] = []
    for found in analysis.concerns:
        if _is_taken(found, taken):
            continue
        row = proposed.pop(found.text, None) or Concern(
            meeting_id=result.meeting_id, revision_number=0, start=0, end=0, text=found.text
        )
        row.revision_number = result.revision_number
        row.start, row.end, row.score = found.start, found.end, found.score
        session.add(row)
        stored.append((row, found.topics))
        taken.append((found.start, found.end, found.text))
        result.concerns_proposed += 1
    # One flush for the new rows' ids; the topics of the proposals that were there before and of
    # those that are gone are deleted in one statement, then written again for the ones kept.
    session.flush()
    before = {row.id for row in rows}
    earlier = [row.id for row, _ in stored if row.id in before]
    earlier += [row.id for row in proposed.values()]
    if earlier:
        session.exec(delete(ConcernTopic).where(col(ConcernTopic.concern_id).in_(earlier)))
    for row, slugs in stored:
        assert row.id is not None
        for topic_id in dict.fromkeys(topic_ids[s] for s in slugs if s in topic_ids):
            session.add(ConcernTopic(concern_id=row.id, topic_id=topic_id))
    for row in proposed.values():
        session.delete(row)


def _store_actions(session: Session, result: StoreResult, analysis: nt.Analysis, text: str) -> None:
    rows = session.exec(select(ActionItem).where(ActionItem.meeting_id == result.meeting_id)).all()
    taken = _keep_reviewed([r for r in rows if r.state != "proposed"], text, result)
    proposed = {row.text: row for row in rows if row.state == "proposed"}
    for found in analysis.actions:
        if _is_taken(found, taken):
            continue
        row = proposed.pop(found.text, None) or ActionItem(
            meeting_id=result.meeting_id, revision_number=0, start=0, end=0, text=found.text
        )
        row.revision_number = result.revision_number
        row.start, row.end, row.score = found.start, found.end, found.score
        row.owner_text = found.owner[:200] if found.owner else None
        row.due_date = found.due
        session.add(row)
        taken.append((found.start, found.end, found.text))
        result.actions_proposed += 1
    for row in proposed.values():
        session.delete(row)


# ---------------------------------------------------------------- the analysis record


def _store_record(
    session: Session, result: StoreResult, analysis: nt.Analysis, topic_list_version: str
) -> MinutesAnalysis:
    row = session.exec(
        select(MinutesAnalysis).where(MinutesAnalysis.meeting_id == result.meeting_id)
    ).first() or MinutesAnalysis(
        meeting_id=result.meeting_id, revision_number=0, pipeline_version="", topic_list_version=""
    )
    row.revision_number = result.revision_number
    row.pipeline_version = analysis.pipeline_version
    row.model_version = analysis.model_version
    row.topic_list_version = topic_list_version
    row.keywords = [{"term": k.term, "score": k.score, "count": k.count} for k in analysis.keywords]
    row.people = [
        {"start": p.start, "end": p.end, "text": p.text, "kind": p.kind} for p in analysis.people
    ]
    row.warnings = list(analysis.warnings)
    row.analysed_at = utcnow()
    session.add(row)
    return row


def store_analysis(
    session: Session,
    *,
    meeting_id: int,
    revision_number: int,
    text: str,
    analysis: nt.Analysis,
    topic_list_version: str,
) -> StoreResult:
    """Store what the pipeline found in revision `revision_number` (whose text is `text`) of a
    meeting's minutes, by the rules of this module. Flushes; never commits."""
    result = StoreResult(meeting_id=meeting_id, revision_number=revision_number)
    topic_ids = _active_topics(session)
    _store_meeting_topics(session, result, analysis, topic_ids)
    _store_mentions(session, result, analysis, topic_ids)
    _store_concerns(session, result, analysis, text, topic_ids)
    _store_actions(session, result, analysis, text)
    _store_record(session, result, analysis, topic_list_version)
    session.flush()
    return result
