"""The one place where a processed `Doc` becomes the plain dataclasses of `nlp.types`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from spacy.tokens import Doc, Span

from nlp.types import (
    ActionItem,
    Analysis,
    Concern,
    Keyword,
    PersonName,
    Section,
    TopicMention,
    TopicScore,
)
from nlp.types import Span as TextSpan

TOPICS_KEY = "topics"
CONCERNS_KEY = "concerns"
ACTIONS_KEY = "actions"
PEOPLE_KEY = "people"
SECTIONS_KEY = "sections"


def doc_to_analysis(
    doc: Doc,
    *,
    keywords: Sequence[Keyword] = (),
    pipeline_version: str,
    model_version: str | None = None,
    warnings: Iterable[str] = (),
) -> Analysis:
    """Everything the pipeline found in one document, as dataclasses with character offsets."""
    mentions = tuple(_mention(span) for span in _spans(doc, TOPICS_KEY))
    return Analysis(
        sections=tuple(_sections(doc)),
        topics=tuple(_topic_scores(doc, mentions)),
        mentions=mentions,
        concerns=tuple(_concern(span, mentions) for span in _spans(doc, CONCERNS_KEY)),
        actions=tuple(_action(span, mentions) for span in _spans(doc, ACTIONS_KEY)),
        keywords=tuple(keywords),
        people=tuple(_person(span) for span in _spans(doc, PEOPLE_KEY)),
        pipeline_version=pipeline_version,
        model_version=model_version,
        warnings=tuple(warnings),
    )


def _spans(doc: Doc, key: str) -> list[Span]:
    if key not in doc.spans:
        return []
    return sorted(doc.spans[key], key=lambda s: (s.start_char, s.end_char))


def _group_attr(doc: Doc, key: str, attr: str, default: Any) -> Any:
    if key not in doc.spans:
        return default
    return doc.spans[key].attrs.get(attr, default)


def _text_span(span: Span) -> TextSpan:
    return TextSpan(span.start_char, span.end_char, span.text)


def _mention(span: Span) -> TopicMention:
    return TopicMention(
        slug=span.label_,
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        sentence=_text_span(_evidence_sentence(span)),
        score=round(float(span._.weight), 4),
        matched=str(span._.matched),
        source=str(span.kb_id_ or "rules"),
    )


def _evidence_sentence(span: Span) -> Span:
    """The sentence around a span, without surrounding white space."""
    sent = span.sent
    start, end = sent.start, sent.end
    while start < span.start and sent.doc[start].is_space:
        start += 1
    while end > span.end and sent.doc[end - 1].is_space:
        end -= 1
    return sent.doc[start:end]


def _topic_scores(doc: Doc, mentions: Sequence[TopicMention]) -> list[TopicScore]:
    """Topics whose document score reaches the threshold, best first, evidence best first."""
    scores: dict[str, float] = _group_attr(doc, TOPICS_KEY, "scores", {})
    threshold: float = _group_attr(doc, TOPICS_KEY, "threshold", 0.5)
    result = []
    for slug, score in scores.items():
        if score < threshold:
            continue
        evidence = sorted(
            (m for m in mentions if m.slug == slug), key=lambda m: (-m.score, m.start)
        )
        result.append(TopicScore(slug=slug, score=round(float(score), 4), evidence=tuple(evidence)))
    result.sort(key=lambda t: (-t.score, t.slug))
    return result


def _topics_near(span: Span, mentions: Sequence[TopicMention]) -> tuple[str, ...]:
    """Topics mentioned in the sentences the span touches (its section's when there are none)."""
    doc = span.doc
    start = doc[span.start].sent.start_char if len(span) else span.start_char
    end = doc[span.end - 1].sent.end_char if len(span) else span.end_char
    found = _slugs_between(mentions, start, end)
    if not found:
        section = _section_around(doc, span.start_char)
        if section is not None:
            found = _slugs_between(mentions, section[0], section[1])
    return found


def _slugs_between(mentions: Sequence[TopicMention], start: int, end: int) -> tuple[str, ...]:
    slugs: list[str] = []
    for m in mentions:
        if m.start < end and m.end > start and m.slug not in slugs:
            slugs.append(m.slug)
    return tuple(slugs)


def _section_around(doc: Doc, char: int) -> tuple[int, int] | None:
    for section in _spans(doc, SECTIONS_KEY):
        if section.start_char <= char < section.end_char:
            return section.start_char, section.end_char
    return None


def _concern(span: Span, mentions: Sequence[TopicMention]) -> Concern:
    score = _span_score(span, CONCERNS_KEY)
    return Concern(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        topics=_topics_near(span, mentions),
        score=score,
    )


def _action(span: Span, mentions: Sequence[TopicMention]) -> ActionItem:
    owner = span._.owner
    return ActionItem(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        owner=str(owner) if owner else None,
        due=span._.due,
        topics=_topics_near(span, mentions),
        score=_span_score(span, ACTIONS_KEY),
    )


def _span_score(span: Span, key: str) -> float:
    group = span.doc.spans[key]
    scores = group.attrs.get("scores")
    if not scores:
        return 1.0
    for k, other in enumerate(group):
        if other.start == span.start and other.end == span.end and k < len(scores):
            return round(float(scores[k]), 4)
    return 1.0


def _person(span: Span) -> PersonName:
    return PersonName(span.start_char, span.end_char, span.text, kind=span.label_ or "unknown")


def _sections(doc: Doc) -> list[Section]:
    return [
        Section(
            start=span.start_char,
            end=span.end_char,
            heading=str(span._.heading),
            level=int(span._.level),
        )
        for span in _spans(doc, SECTIONS_KEY)
    ]
