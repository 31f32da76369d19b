"""The search documents of meetings and follow-ups, read from the source rows in a few
set-wise queries (one per kind, for a whole batch of meetings).

What a document holds (its words, lemmatised by `nlp.search_terms`):
- minutes: the current revision's text;
- agenda item: title and notes;
- concern: the text as shown (a person's wording, else the minutes'); rejected ones are not
  concerns and are left out;
- follow-up: title and description.
Minutes and agenda items carry the meeting's topics (not rejected), concerns and follow-ups
their own. Everything carries its meeting's city, committee and date (county time).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from jcpp.config import get_settings
from jcpp.models import (
    AgendaItem,
    Committee,
    Concern,
    ConcernTopic,
    FollowUp,
    FollowUpTopic,
    Meeting,
    MeetingTopic,
    Minutes,
    MinutesRevision,
)
from jcpp.models.search import document_id
from nlp import index_terms


def scope_terms(*, city_id: int, committee_id: int) -> str:
    """Words naming the document's city and committee, indexed with its own, so that the text
    index itself narrows a liaison's or a member's search to her scope (the query's WHERE clause
    still decides). No word of a text looks like them."""
    return f"zzcity{city_id} zzcommittee{committee_id}"


YEAR_PREFIX = "zzyear"


def year_term(year: int) -> str:
    """The word naming the year of the document's meeting, indexed last: PostgreSQL's text index
    hands matches over unordered, and this word lets it find the newest among the last years'
    documents alone (see `jcpp.search.service`)."""
    return f"{YEAR_PREFIX}{year}"


@dataclass(frozen=True)
class MeetingFacts:
    city_id: int
    committee_id: int
    meeting_date: dt.date


@dataclass
class Batch:
    """Rows ready to insert: documents and (topic, document) pairs."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    topics: list[dict[str, int]] = field(default_factory=list)

    def add(
        self,
        facts: MeetingFacts,
        *,
        kind: str,
        source_id: int,
        meeting_id: int,
        status: str,
        text: str,
        topic_ids: Iterable[int],
    ) -> None:
        terms = index_terms(text)
        if not terms:
            return
        terms += f" {scope_terms(city_id=facts.city_id, committee_id=facts.committee_id)}"
        terms += f" {year_term(facts.meeting_date.year)}"
        doc_id = document_id(kind, source_id, facts.meeting_date)
        self.documents.append(
            {
                "id": doc_id,
                "kind": kind,
                "source_id": source_id,
                "city_id": facts.city_id,
                "committee_id": facts.committee_id,
                "meeting_id": meeting_id,
                "meeting_date": facts.meeting_date,
                "status": status,
                "terms": terms,
            }
        )
        self.topics.extend({"topic_id": t, "document_id": doc_id} for t in sorted(set(topic_ids)))


def meeting_facts(session: Session, meeting_ids: Collection[int]) -> dict[int, MeetingFacts]:
    zone = get_settings().zone
    rows = session.exec(
        select(Meeting.id, Meeting.committee_id, Committee.city_id, Meeting.start_at)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(col(Meeting.id).in_(meeting_ids))
    ).all()
    return {
        meeting_id: MeetingFacts(city_id, committee_id, start.astimezone(zone).date())
        for meeting_id, committee_id, city_id, start in rows
        if meeting_id is not None
    }


def _pairs(rows: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for key, value in rows:
        grouped[key].append(value)
    return grouped


def _meeting_topics(session: Session, meeting_ids: Collection[int]) -> dict[int, list[int]]:
    return _pairs(
        session.exec(
            select(MeetingTopic.meeting_id, MeetingTopic.topic_id).where(
                col(MeetingTopic.meeting_id).in_(meeting_ids), MeetingTopic.state != "rejected"
            )
        ).all()
    )


def _add_minutes(session: Session, batch: Batch, facts: dict[int, MeetingFacts]) -> None:
    topics = _meeting_topics(session, facts)
    rows = session.exec(
        select(Minutes.meeting_id, Minutes.status, MinutesRevision.text)
        .join(
            MinutesRevision,
            and_(
                col(MinutesRevision.meeting_id) == Minutes.meeting_id,
                col(MinutesRevision.number) == Minutes.current_revision,
            ),
        )
        .where(col(Minutes.meeting_id).in_(facts))
    ).all()
    for meeting_id, status, text in rows:
        batch.add(
            facts[meeting_id], kind="minutes", source_id=meeting_id, meeting_id=meeting_id,
            status=status, text=text, topic_ids=topics.get(meeting_id, ()),
        )  # fmt: skip
    items = session.exec(
        select(AgendaItem.id, AgendaItem.meeting_id, AgendaItem.title, AgendaItem.notes).where(
            col(AgendaItem.meeting_id).in_(facts)
        )
    ).all()
    for item_id, meeting_id, title, notes in items:
        assert item_id is not None
        batch.add(
            facts[meeting_id], kind="agenda_item", source_id=item_id, meeting_id=meeting_id,
            status="", text=f"{title}\n{notes or ''}", topic_ids=topics.get(meeting_id, ()),
        )  # fmt: skip


def _add_concerns(session: Session, batch: Batch, facts: dict[int, MeetingFacts]) -> None:
    rows = session.execute(
        select_columns(
            col(Concern.id),
            col(Concern.meeting_id),
            col(Concern.text),
            col(Concern.edited_text),
            col(Concern.state),
        )
        .where(col(Concern.meeting_id).in_(facts), col(Concern.state) != "rejected")
        .order_by(col(Concern.id))
    ).all()
    ids = [row[0] for row in rows]
    topics = _pairs(
        session.exec(
            select(ConcernTopic.concern_id, ConcernTopic.topic_id).where(
                col(ConcernTopic.concern_id).in_(ids)
            )
        ).all()
    )
    for concern_id, meeting_id, text, edited_text, state in rows:
        assert concern_id is not None
        batch.add(
            facts[meeting_id], kind="concern", source_id=concern_id, meeting_id=meeting_id,
            status=state, text=edited_text or text, topic_ids=topics.get(concern_id, ()),
        )  # fmt: skip


def _add_follow_ups(
    session: Session, batch: Batch, facts: dict[int, MeetingFacts], where: Any
) -> None:
    rows = session.execute(
        select_columns(
            col(FollowUp.id),
            col(FollowUp.meeting_id),
            col(FollowUp.title),
            col(FollowUp.description),
            col(FollowUp.status),
        ).where(where)
    ).all()
    ids = [row[0] for row in rows]
    topics = _pairs(
        session.exec(
            select(FollowUpTopic.follow_up_id, FollowUpTopic.topic_id).where(
                col(FollowUpTopic.follow_up_id).in_(ids)
            )
        ).all()
    )
    for follow_up_id, meeting_id, title, description, status in rows:
        assert follow_up_id is not None
        if meeting_id not in facts:
            continue
        batch.add(
            facts[meeting_id], kind="follow_up", source_id=follow_up_id, meeting_id=meeting_id,
            status=status, text=f"{title}\n{description}", topic_ids=topics.get(follow_up_id, ()),
        )  # fmt: skip


def meeting_documents(session: Session, meeting_ids: Collection[int]) -> Batch:
    """Every document of these meetings: minutes, agenda items, concerns and follow-ups."""
    batch = Batch()
    facts = meeting_facts(session, meeting_ids)
    if facts:
        _add_minutes(session, batch, facts)
        _add_concerns(session, batch, facts)
        _add_follow_ups(session, batch, facts, col(FollowUp.meeting_id).in_(facts))
    return batch


def follow_up_documents(session: Session, follow_up_ids: Collection[int]) -> Batch:
    batch = Batch()
    meeting_ids = session.exec(
        select(FollowUp.meeting_id).where(col(FollowUp.id).in_(follow_up_ids)).distinct()
    ).all()
    facts = meeting_facts(session, meeting_ids)
    _add_follow_ups(session, batch, facts, col(FollowUp.id).in_(follow_up_ids))
    return batch
