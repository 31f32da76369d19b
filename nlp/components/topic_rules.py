"""Context rules of topic matching: names and titles, procedure, exclusions, scoring."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from nlp.components import words
from nlp.types import TopicDefinition


def default_rules() -> dict[str, Any]:
    """Word lists (lower-case lemmas) the context rules use; versioned as jcpp.topic_patterns.v1."""
    return {
        # Last words of names of bodies, places, events and titles: a term inside such a name
        # ("Traffic Safety Committee", "Training Room") is not a mention.
        "name_heads": words("""committee commission board council chair chairperson co-chair room
        hall outing golf gala foundation association coalition award awards fund office unit
        division bureau department task force league club center centre institute network
        alliance society church mosque temple clinic school university college academy
        street avenue road boulevard park plaza building"""),
        # Sentences with these lemmas are procedure (roll call, approvals, adjournment).
        "procedure": [
            "roll call",
            "call to order",
            "call the meeting to order",
            "adjourn",
            "adjournment",
            "quorum",
            "members present",
            "members absent",
            "also present",
            "present :",
            "absent :",
            "approve the minute",
            "approve the agenda",
            "approval of minute",
            "approval of the minute",
            "approval of agenda",
            "approval of the agenda",
            "minute be approve",
            "minute approve",
            "agenda approve",
            "next meeting",
            "minute record by",
        ],
        "heading_factor": 1.0,
        "body_factor": 1.0,
    }


class ContextRules:
    """Weighs one match in its context; 0 drops it."""

    def __init__(self, vocab: Vocab, rules: dict[str, Any]) -> None:
        self.vocab = vocab
        self.rules = rules
        self.name_heads = frozenset(rules["name_heads"])
        self.procedure = tuple(f" {p} " for p in rules["procedure"])
        self.exclusions: dict[str, frozenset[str]] = {}

    def set_exclusions(
        self, topics: Sequence[TopicDefinition], lemma_doc: Callable[[str], Doc]
    ) -> None:
        self.exclusions = {
            t.slug: frozenset(tok.lemma_ for e in t.exclusions for tok in lemma_doc(e))
            for t in topics
            if t.exclusions
        }

    def weight(self, span: Span, term: str, strength: float) -> float:
        sent = span.sent
        if self.is_procedure(sent) or self.in_name(span):
            return 0.0
        excluded = self.exclusions.get(span.label_)
        if excluded:
            doc = span.doc
            window = doc[max(sent.start, span.start - 3) : min(sent.end, span.end + 3)]
            if any(tok.lemma_ in excluded for tok in window):
                return 0.0
        return strength

    def is_procedure(self, sent: Span) -> bool:
        text = " " + " ".join(tok.lemma_ for tok in sent[:40]) + " "
        return any(p in text for p in self.procedure)

    def in_name(self, span: Span) -> bool:
        """Whether the match is part of a longer capitalised name ending in a name head."""
        if not all(tok.is_title or tok.is_upper for tok in span if tok.is_alpha):
            return False
        doc, sent = span.doc, span.sent
        end = span.end
        while end < sent.end and end - span.end < 5 and _capitalised(doc[end]):
            end += 1
        start = span.start
        while start > sent.start + 1 and span.start - start < 4 and _capitalised(doc[start - 1]):
            start -= 1
        outside = [tok for tok in doc[start:end] if tok.i < span.start or tok.i >= span.end]
        return any(tok.lemma_ in self.name_heads for tok in outside)


def _capitalised(token: Any) -> bool:
    return bool(token.is_title or (token.is_upper and len(token) > 1))


def drop_nested(mentions: list[Span]) -> list[Span]:
    """Keep, per topic, only the longest of overlapping matches."""
    mentions.sort(key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    last_end: dict[str, int] = {}
    for span in mentions:
        if last_end.get(span.label_, -1) > span.start:
            continue
        kept.append(span)
        last_end[span.label_] = span.end
    return kept


def score_topics(mentions: Sequence[Span], rules: dict[str, Any]) -> dict[str, float]:
    """Per topic, 1 − Π(1 − weight) over its mentions (a noisy-or)."""
    remaining: dict[str, float] = {}
    for span in mentions:
        remaining[span.label_] = remaining.get(span.label_, 1.0) * (1.0 - span._.weight)
    return {slug: round(1.0 - rest, 4) for slug, rest in remaining.items()}
