"""Hand-made pipeline results for storage tests: what `nlp.analyse` would return for a text,
built from phrases, so that the storage rules are tested independently of the rules' tuning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session, col, select

from jcpp.models import ActionItem, AuditEvent, Concern, Meeting, Minutes, MinutesRevision, Topic
from jcpp.topics.service import ensure_default_topics
from nlp import types as nt

PIPELINE = "test-1"
# The minutes of the `meeting` fixture (tests/analysis/conftest.py) and what it proposes.
OWNER = "Sgt. Moua will check the stop-arm camera footage by March 3."
WORRY = "A member asked why interpreters are not available at the front desk."
TEXT = f"Old business. {WORRY} {OWNER} Adjourned."


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def _sentence(text: str, start: int, end: int) -> nt.Span:
    left = text.rfind(".", 0, start) + 1
    right = text.find(".", end)
    right = len(text) if right == -1 else right + 1
    while left < start and text[left].isspace():
        left += 1
    return nt.Span(left, right, text[left:right])


def mention(text: str, slug: str, phrase: str, score: float = 1.0) -> nt.TopicMention:
    start, end = _span(text, phrase)
    return nt.TopicMention(
        slug=slug,
        start=start,
        end=end,
        text=phrase,
        sentence=_sentence(text, start, end),
        score=score,
        matched=phrase.lower(),
    )


def fake_analysis(
    text: str,
    *,
    topics: dict[str, Sequence[str]] | None = None,
    concerns: Sequence[tuple[str, Sequence[str]]] = (),
    actions: Sequence[tuple[str, str | None, dt.date | None]] = (),
) -> nt.Analysis:
    """An Analysis of `text`: topics by slug with their evidence phrases, concerns as (phrase,
    topic slugs), action items as (phrase, owner, due date)."""
    mentions = [mention(text, slug, p) for slug, phrases in (topics or {}).items() for p in phrases]
    scores = [
        nt.TopicScore(slug, 0.9, tuple(m for m in mentions if m.slug == slug))
        for slug in (topics or {})
    ]
    return nt.Analysis(
        sections=(),
        topics=tuple(scores),
        mentions=tuple(sorted(mentions, key=lambda m: m.start)),
        concerns=tuple(
            nt.Concern(*_span(text, p), p, topics=tuple(slugs), score=0.7) for p, slugs in concerns
        ),
        actions=tuple(
            nt.ActionItem(*_span(text, p), p, owner=owner, due=due, score=0.8)
            for p, owner, due in actions
        ),
        keywords=(nt.Keyword("stop data", 1.5, 1),),
        people=(),
        pipeline_version=PIPELINE,
    )


def add_revision(session: Session, meeting: Meeting, text: str) -> int:
    """Save a new revision of the meeting's minutes (as the minutes service would)."""
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()
    if minutes is None:
        minutes = Minutes(meeting_id=meeting.id or 0)
    minutes.current_revision += 1
    session.add(minutes)
    session.add(
        MinutesRevision(meeting_id=meeting.id or 0, number=minutes.current_revision, text=text)
    )
    session.flush()
    return minutes.current_revision


def load_topics(session: Session) -> None:
    ensure_default_topics(session)


def slug_id(session: Session, slug: str) -> int:
    return session.exec(select(Topic.id).where(Topic.slug == slug)).one() or 0


def the_concern(session: Session, meeting: Meeting) -> Concern:
    return session.exec(select(Concern).where(Concern.meeting_id == meeting.id)).one()


def the_action(session: Session, meeting: Meeting) -> ActionItem:
    return session.exec(select(ActionItem).where(ActionItem.meeting_id == meeting.id)).one()


def last_event(session: Session) -> AuditEvent:
    event = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    return event or AuditEvent(id=0, action="", entity_type="")
