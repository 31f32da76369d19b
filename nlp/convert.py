"""The one place where a processed `Doc` becomes the plain dataclasses of `nlp.types`."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Any

import numpy
from spacy.tokens import Doc, Span

from nlp.components import doc_text, tokentable
from nlp.components.topic_rules import sentence_owners
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
MAX_EVIDENCE_CHARS = 600


def doc_to_analysis(
    doc: Doc,
    *,
    keywords: Sequence[Keyword] = (),
    pipeline_version: str,
    model_version: str | None = None,
    warnings: Iterable[str] = (),
) -> Analysis:
    """Everything the pipeline found in one document, as dataclasses with character offsets."""
    text = doc_text(doc)
    sentence_index = SentenceIndex(doc)
    sentences = EvidenceSentences(text, sentence_index)
    mentions = tuple(_mentions(doc, text, sentences))
    index = MentionIndex(doc, mentions, sentence_index)
    concern_scores = _span_scores(doc, CONCERNS_KEY)
    action_scores = _span_scores(doc, ACTIONS_KEY)
    return Analysis(
        sections=tuple(_sections(doc)),
        topics=tuple(_topic_scores(doc, mentions)),
        mentions=mentions,
        concerns=tuple(
            _concern(span, text, index, concern_scores) for span in _spans(doc, CONCERNS_KEY)
        ),
        actions=tuple(
            _action(span, text, index, action_scores) for span in _spans(doc, ACTIONS_KEY)
        ),
        keywords=tuple(keywords),
        people=tuple(_person(span, text) for span in _spans(doc, PEOPLE_KEY)),
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


def _text_span(text: str, start: int, end: int) -> TextSpan:
    return TextSpan(start, end, text[start:end])


def _mentions(doc: Doc, text: str, sentences: EvidenceSentences) -> list[TopicMention]:
    """The topic mentions in text order, with the weights and terms kept beside the spans."""
    if TOPICS_KEY not in doc.spans:
        return []
    group = doc.spans[TOPICS_KEY]
    weights = group.attrs.get("weights") or [1.0] * len(group)
    matched = group.attrs.get("matched") or [""] * len(group)
    found = [
        TopicMention(
            slug=span.label_,
            start=span.start_char,
            end=span.end_char,
            text=text[span.start_char : span.end_char],
            sentence=sentences.around(span),
            score=round(float(weight), 4),
            matched=str(term),
            source=str(span.kb_id_ or "rules"),
        )
        for span, weight, term in zip(group, weights, matched, strict=False)
    ]
    return sorted(found, key=lambda m: (m.start, m.end, m.slug))


class EvidenceSentences:
    """The sentence around a span, without surrounding white space, one per sentence; in a
    run-on text without sentence ends, a window of words around the span."""

    def __init__(self, text: str, index: SentenceIndex) -> None:
        self.text = text
        self.index = index
        self.cache: dict[int, TextSpan] = {}

    def around(self, span: Span) -> TextSpan:
        first, last = self.index.bounds(span.start)
        found = self.cache.get(first)
        if found is not None:
            return found
        text = self.text
        start, end = self.index.chars(first, last)
        window = end - start > MAX_EVIDENCE_CHARS
        if window:
            start, end = _window(text, span.start_char, span.end_char, start, end)
        raw = text[start:end]
        start += len(raw) - len(raw.lstrip())
        end -= len(raw) - len(raw.rstrip())
        found = _text_span(text, start, max(start, end))
        if not window:
            self.cache[first] = found
        return found


def _window(text: str, start: int, end: int, lower: int, upper: int) -> tuple[int, int]:
    """About MAX_EVIDENCE_CHARS around [start, end), cut at spaces, within [lower, upper)."""
    half = MAX_EVIDENCE_CHARS // 2
    left = max(lower, start - half)
    right = min(upper, end + half)
    space = text.find(" ", left, start)
    if space >= 0:
        left = space + 1
    space = text.rfind(" ", end, right)
    if space >= 0:
        right = space
    return left, right


class SentenceIndex:
    """Sentence boundaries of a doc as an array (`Span.sent` walks the tokens every time), and
    the tokens' character offsets as lists (a token object per look-up costs more)."""

    def __init__(self, doc: Doc) -> None:
        table = tokentable.columns(doc, ["SENT_START", "IDX", "LENGTH"]).astype(numpy.int64)
        starts = numpy.flatnonzero(table[:, 0] == 1)
        if len(doc) and (len(starts) == 0 or starts[0] != 0):
            starts = numpy.concatenate(([0], starts))
        self.starts = starts
        self.size = len(doc)
        self.owners, self.edges = sentence_owners(starts, len(doc))
        self.char_starts: list[int] = table[:, 1].tolist()
        self.char_ends: list[int] = (table[:, 1] + table[:, 2]).tolist()

    def bounds(self, i: int) -> tuple[int, int]:
        k = self.owners[min(i, self.size - 1)]
        return self.edges[k], self.edges[k + 1]

    def chars(self, first: int, last: int) -> tuple[int, int]:
        """The character range of tokens [first, last) (last > first)."""
        return self.char_starts[first], self.char_ends[last - 1]


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


class MentionIndex:
    """Topic mentions by character offset, for the topics near a concern or action item."""

    def __init__(
        self, doc: Doc, mentions: Sequence[TopicMention], sentences: SentenceIndex
    ) -> None:
        self.sentences = sentences
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.starts = [m.start for m in self.mentions]
        self.longest = max((m.end - m.start for m in mentions), default=0)
        self.sections = sorted(_spans(doc, SECTIONS_KEY), key=lambda s: s.start_char)
        self.section_starts = [s.start_char for s in self.sections]

    def slugs_between(self, start: int, end: int) -> tuple[str, ...]:
        first = bisect.bisect_left(self.starts, start - self.longest)
        last = bisect.bisect_left(self.starts, end)
        slugs: list[str] = []
        for m in self.mentions[first:last]:
            if m.end > start and m.slug not in slugs:
                slugs.append(m.slug)
        return tuple(slugs)

    def section_around(self, char: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(self.section_starts, char) - 1
        for section in reversed(self.sections[max(0, k - 5) : k + 1]):
            if section.start_char <= char < section.end_char:
                return section.start_char, section.end_char
        return None

    def topics_near(self, span: Span) -> tuple[str, ...]:
        """Topics mentioned in the sentences the span touches (its section's when none)."""
        start, end = span.start_char, span.end_char
        if len(span):
            first = self.sentences.bounds(span.start)[0]
            last = self.sentences.bounds(span.end - 1)[1]
            start, end = self.sentences.chars(first, last)
        found = self.slugs_between(start, end)
        if not found:
            section = self.section_around(span.start_char)
            if section is not None:
                found = self.slugs_between(*section)
        return found


def _concern(
    span: Span, text: str, index: MentionIndex, scores: dict[tuple[int, int], float]
) -> Concern:
    score = scores.get((span.start, span.end), 1.0)
    return Concern(
        start=span.start_char,
        end=span.end_char,
        text=text[span.start_char : span.end_char],
        topics=index.topics_near(span),
        score=score,
    )


def _action(
    span: Span, text: str, index: MentionIndex, scores: dict[tuple[int, int], float]
) -> ActionItem:
    owner = span._.owner
    return ActionItem(
        start=span.start_char,
        end=span.end_char,
        text=text[span.start_char : span.end_char],
        owner=str(owner) if owner else None,
        due=span._.due,
        topics=index.topics_near(span),
        score=scores.get((span.start, span.end), 1.0),
    )


def _span_scores(doc: Doc, key: str) -> dict[tuple[int, int], float]:
    """Scores a component kept in `doc.spans[key].attrs["scores"]`, one per span, by span."""
    if key not in doc.spans:
        return {}
    group = doc.spans[key]
    scores = group.attrs.get("scores") or ()
    return {
        (span.start, span.end): round(float(score), 4)
        for span, score in zip(group, scores, strict=False)
    }


def _person(span: Span, text: str) -> PersonName:
    start, end = span.start_char, span.end_char
    return PersonName(start, end, text[start:end], kind=span.label_ or "unknown")


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
