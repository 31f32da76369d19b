"""The demo's older minutes, analysed in bulk: two years of trends without replaying saves.

Each committee's minutes go through the pipeline in one batch, and what it found is written
with bulk inserts: the same rows `jcpp.analysis.store.store_analysis` writes for minutes
analysed for the first time (proposed topics with their evidence, concerns with their topics,
action items, the analysis record). Concerns raised again are matched only for the latest
meetings (analysed one by one by the loader, as saving them would), so that loading stays fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import Session, col, select

import nlp
from jcpp.analysis.service import pipeline_for
from jcpp.analysis.store import overlaps
from jcpp.derived import mark_meeting_changed
from jcpp.models import (
    ActionItem,
    Concern,
    ConcernTopic,
    Meeting,
    MeetingTopic,
    Membership,
    MinutesAnalysis,
    Person,
    Topic,
    TopicMention,
)
from jcpp.models.base import utcnow
from nlp import types as nt

Minutes = tuple[Meeting, int, str]  # a meeting, the number of its newest revision, its text


def _topic_ids(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Topic.slug, Topic.id).where(
            col(Topic.active).is_(True), col(Topic.merged_into_id).is_(None)
        )
    ).all()
    return {slug: topic_id for slug, topic_id in rows if topic_id is not None}


def _roster(session: Session, committee_id: int) -> list[str]:
    """Everyone who sat on the committee (names the pipeline finds as people)."""
    return sorted(
        set(
            session.exec(
                select(Person.name)
                .join(Membership, col(Membership.person_id) == Person.id)
                .where(Membership.committee_id == committee_id)
            ).all()
        )
    )


def _first_found(found: Sequence[nt.Concern] | Sequence[nt.ActionItem]) -> list[Any]:
    """What a first analysis keeps: none repeating (same words, or mostly the same span) one
    kept before it (the store's rule)."""
    kept: list[Any] = []
    for item in found:
        if not any(
            item.text == k.text or overlaps(item.start, item.end, k.start, k.end) for k in kept
        ):
            kept.append(item)
    return kept


class _Rows:
    """The rows of many analyses, written table by table."""

    def __init__(self, topic_ids: dict[str, int], topic_list_version: str) -> None:
        self.topic_ids = topic_ids
        self.topic_list_version = topic_list_version
        self.records: list[dict[str, Any]] = []
        self.meeting_topics: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []
        self.concerns: list[tuple[Concern, tuple[str, ...]]] = []
        self.actions: list[ActionItem] = []

    def add(self, meeting_id: int, number: int, analysis: nt.Analysis) -> None:
        versions = {
            "pipeline_version": analysis.pipeline_version,
            "model_version": analysis.model_version,
        }
        for scored in analysis.topics:
            if scored.slug in self.topic_ids:
                matched = list(dict.fromkeys(m.matched for m in scored.evidence))[:20]
                self.meeting_topics.append(
                    {"meeting_id": meeting_id, "topic_id": self.topic_ids[scored.slug],
                     "state": "proposed", "origin": "nlp", "score": scored.score,
                     "matched": matched, "created_at": utcnow(), **versions}
                )  # fmt: skip
        for mention in analysis.mentions:
            if mention.slug in self.topic_ids:
                row = _mention(meeting_id, number, mention, self.topic_ids, versions)
                self.mentions.append(row)
        self._add_concerns_and_actions(meeting_id, number, analysis)
        self.records.append(_record(meeting_id, number, analysis, self.topic_list_version))

    def _add_concerns_and_actions(
        self, meeting_id: int, number: int, analysis: nt.Analysis
    ) -> None:
        for found in _first_found(analysis.concerns):
            concern = Concern(meeting_id=meeting_id, revision_number=number, start=found.start,
                              end=found.end, text=found.text, score=found.score)  # fmt: skip
            self.concerns.append((concern, found.topics))
        for item in _first_found(analysis.actions):
            self.actions.append(
                ActionItem(
                    meeting_id=meeting_id, revision_number=number, start=item.start,
                    end=item.end, text=item.text, score=item.score, due_date=item.due,
                    owner_text=item.owner[:200] if item.owner else None,
                )
            )  # fmt: skip

    def write(self, session: Session) -> None:
        for model, rows in (
            (MinutesAnalysis, self.records),
            (MeetingTopic, self.meeting_topics),
            (TopicMention, self.mentions),
        ):
            if rows:
                session.exec(insert(model), params=rows)
        session.add_all([concern for concern, _slugs in self.concerns])
        session.add_all(self.actions)
        session.flush()
        links = {
            (concern.id or 0, self.topic_ids[slug])
            for concern, slugs in self.concerns
            for slug in slugs
            if slug in self.topic_ids
        }
        if links:
            session.exec(
                insert(ConcernTopic),
                params=[{"concern_id": c, "topic_id": t} for c, t in sorted(links)],
            )


def _mention(
    meeting_id: int, number: int, mention: nt.TopicMention, topic_ids: dict[str, int],
    versions: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    return {
        "meeting_id": meeting_id, "revision_number": number, "topic_id": topic_ids[mention.slug],
        "start": mention.start, "end": mention.end, "text": mention.text[:500],
        "sentence_start": mention.sentence.start, "sentence_end": mention.sentence.end,
        "sentence": mention.sentence.text, "score": mention.score,
        "matched": mention.matched[:200], "source": mention.source, **versions,
    }  # fmt: skip


def _record(
    meeting_id: int, number: int, analysis: nt.Analysis, topic_list_version: str
) -> dict[str, Any]:
    return {
        "meeting_id": meeting_id,
        "revision_number": number,
        "pipeline_version": analysis.pipeline_version,
        "model_version": analysis.model_version,
        "topic_list_version": topic_list_version,
        "keywords": [
            {"term": k.term, "score": k.score, "count": k.count} for k in analysis.keywords
        ],
        "people": [
            {"start": p.start, "end": p.end, "text": p.text, "kind": p.kind}
            for p in analysis.people
        ],
        "warnings": list(analysis.warnings),
        "analysed_at": utcnow(),
    }


def analyse_in_bulk(session: Session, minutes: Sequence[Minutes], *, zone: ZoneInfo) -> int:
    """Analyse these minutes (meetings without an analysis yet) and store the proposals;
    returns how many. Flushes, never commits."""
    pipeline, topic_list_version = pipeline_for(session)
    rows = _Rows(_topic_ids(session), topic_list_version)
    by_committee: dict[int, list[Minutes]] = {}
    for entry in minutes:
        by_committee.setdefault(entry[0].committee_id, []).append(entry)
    for committee_id, entries in by_committee.items():
        dates: list[dt.date | None] = [m.start_at.astimezone(zone).date() for m, _n, _t in entries]
        analyses = nlp.analyse(
            [text for _m, _n, text in entries], pipeline=pipeline, dates=dates,
            roster=_roster(session, committee_id),
        )  # fmt: skip
        for (meeting, number, _text), analysis in zip(entries, analyses, strict=True):
            mark_meeting_changed(session, meeting.id)  # bulk rows: the flush does not see them
            rows.add(meeting.id or 0, number, analysis)
    rows.write(session)
    return len(minutes)
