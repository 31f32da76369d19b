"""Context rules of topic matching: names and titles, procedure, attendance, context, scoring.

The word lists are data, returned by the registered, versioned `jcpp.topic_patterns.v1`
(`default_rules`); a change to them or to these rules bumps `nlp.PIPELINE_VERSION`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.tokens import Doc, Span, Token

from nlp.components import words
from nlp.components.topic_combinations import default_combinations

OFFICER_WORDS = words(
    """officer officers police department dept sworn patrol deputy deputies sergeant
    sergeants sgt lieutenant lt recruit recruits cadet cadets squad cop cops enforcement chief
    pd investigator investigators detective detectives k9 dispatcher dispatchers trooper troopers
    mpd sheriff"""
)
MEMBER_WORDS = words(
    """member members committee commission commissioner commissioners mac board
    chair"""
)
PROTEST_WORDS = words(
    """protest protester protestor demonstration demonstrator unrest riot loot
    trial verdict emergency guard rally march marcher vigil crowd"""
)
TRAFFIC_WORDS = words(
    """car cars driver drivers drive driving vehicle vehicles street streets road
    traffic speed pedestrian intersection crosswalk bike bicycle bus lane highway hwy avenue ave
    st blvd boulevard parking park"""
)
STOP_WORDS = words(
    """driver drivers drive driving car cars vehicle vehicles traffic squad pull stop
    license registration taillight search"""
)
TRAINING_EVENT_WORDS = words("""attend complete take receive give get offer hold provide""")


def default_rules() -> dict[str, Any]:
    """Word lists (lower-case lemmas) the context rules use; versioned as jcpp.topic_patterns.v1."""
    return {
        # Last words of names of bodies, places, events and titles: a term inside such a
        # capitalised name ("Traffic Safety Committee", "Training Room") is not a mention.
        "name_heads": words(
            """committee commission board council chair chairperson co-chair room hall outing
            golf gala foundation association coalition award awards fund office unit division
            bureau department task force league club center centre institute network alliance
            society church mosque temple clinic university college street avenue road
            boulevard park plaza building stoppers coordinator coordinators director manager"""
        ),
        # A line starting with one of these and a colon lists who attended.
        "attendance_labels": words(
            """present absent staff police pd attendance attending guest guests visitor visitors
            county jcpp liaison members commissioners excused also others city"""
        ),
        "attendance_words": words("present absent attend represent excuse guest"),
        "approval_words": words("approve approval adopt amend accept defer correction correct"),
        "procedure_patterns": [
            # A roll call item or vote; not "training at roll call" (a police briefing).
            r"^\W*(?:\w{1,4}\W+)?roll call\b",
            r"\broll call (?:vote|be take|take)\b",
            r"\bcall (?:the meeting )?to order\b",
            r"\badjourn",
            r"\bquorum\b",
            r"\brecord by\b",
            r"\brespectfully submit",
        ],
        # Weak terms of these topics count fully only with one of the words in their sentence
        # or its section heading; otherwise their weight is multiplied by the factor.
        "needs_context": {
            "training": {"words": OFFICER_WORDS, "factor": 0.3},
            "complaints-oversight": {"words": OFFICER_WORDS, "factor": 0.5},
            "recruitment-staffing": {"words": OFFICER_WORDS + ["staffing", "csos"], "factor": 0.4},
            "use-of-force": {"words": OFFICER_WORDS, "factor": 0.6},
            "committee-business": {"words": MEMBER_WORDS + ["bylaw", "seat"], "factor": 0.4},
            "protests-public-order": {"words": PROTEST_WORDS, "factor": 0.25},
            "traffic-safety": {"words": TRAFFIC_WORDS, "factor": 0.4},
            "traffic-stops": {"words": STOP_WORDS, "factor": 0.4},
        },
        # Words right after a term that make it part of the name of a body or place
        # ("violent crime task force", "training room").
        "compound_heads": words("task force room rm center centre facility bureau office"),
        # Training given to the committee's own members is the committee's business.
        "member_training": {
            "from": "training",
            "to": "committee-business",
            "weight": 0.6,
            "verbs": TRAINING_EVENT_WORDS,
        },
        # Two or more languages named in one sentence, with English or a word about speaking
        # or materials, are about language access ("a flyer in English, Spanish and Somali").
        "language_list": {
            "slug": "language-access",
            "weight": 0.6,
            "languages": words(
                """english spanish somali hmong oromo karen amharic tigrinya arabic vietnamese
                chinese mandarin cantonese russian ukrainian lao khmer swahili french
                portuguese haitian creole nepali burmese korean tagalog hindi urdu bengali
                farsi dari pashto"""
            ),
            "cues": words(
                """english speaker speak speaking language version flyer translate translation
                handout material brochure interpreter form sign"""
            ),
        },
        # Topics described without their terms: a word of every list in one sentence.
        "combinations": default_combinations(),
        "officer_words": OFFICER_WORDS,
        "member_words": MEMBER_WORDS,
        "heading_factor": 1.6,
        # A term's second, third … mention counts this much less each time.
        "repeat_decay": 0.6,
    }


PROCEDURE_TRIGGERS = frozenset(words("roll call adjourn adjournment quorum record respectfully"))


@dataclass
class DocArrays:
    """Per-document arrays the rules read instead of token objects, and a sentence cache."""

    lemmas: numpy.ndarray
    titles: numpy.ndarray
    spaces: numpy.ndarray
    puncts: numpy.ndarray
    uppers: numpy.ndarray
    alphas: numpy.ndarray
    sent_starts: numpy.ndarray
    cache: dict[int, SentenceInfo]
    # Per token, its sentence's number, and the sentences' edges (made on first use): a list
    # look-up is much cheaper than a `searchsorted` call per mention.
    owners: list[int] | None = None
    edges: list[int] | None = None
    words: dict[int, str] | None = None  # lemma hash → lemma, for the doc's distinct lemmas

    def word_of(self, doc: Doc) -> dict[int, str]:
        """The doc's lemmas by hash (one string look-up per distinct lemma, made on first use)."""
        if self.words is None:
            strings = doc.vocab.strings
            self.words = {h: strings[h] for h in numpy.unique(self.lemmas).tolist()}
        return self.words

    @classmethod
    def of(cls, doc: Doc) -> DocArrays:
        flags = doc.to_array(
            ["IS_TITLE", "IS_SPACE", "IS_PUNCT", "IS_UPPER", "IS_ALPHA", "SENT_START"]
        )
        flags = flags.astype(numpy.int64)
        starts = numpy.flatnonzero(flags[:, 5] == 1)
        if len(doc) and (len(starts) == 0 or starts[0] != 0):
            starts = numpy.concatenate(([0], starts))
        lemmas = doc.to_array(["LEMMA"]).ravel()
        title, space, punct, upper, alpha = (flags[:, k] == 1 for k in range(5))
        return cls(lemmas, title, space, punct, upper, alpha, starts, {})

    def bounds(self, i: int) -> tuple[int, int]:
        """The token range of the sentence that holds token i."""
        if self.owners is None or self.edges is None:
            self.owners, self.edges = sentence_owners(self.sent_starts, len(self.lemmas))
        k = self.owners[min(i, len(self.owners) - 1)]
        return self.edges[k], self.edges[k + 1]


def sentence_owners(starts: numpy.ndarray, size: int) -> tuple[list[int], list[int]]:
    """Per token, the number of its sentence; and the sentences' starts with the end after."""
    owners = numpy.searchsorted(starts, numpy.arange(size), side="right") - 1
    return owners.tolist(), [*starts.tolist(), size]


@dataclass
class SentenceInfo:
    kind: str  # "procedure", "attendance", "heading" or "body"
    lemmas: frozenset[str]


class ContextRules:
    """Weighs one match in its context; 0 drops it."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self.rules = rules
        self.name_heads = frozenset(rules["name_heads"])
        self.attendance_labels = frozenset(rules["attendance_labels"])
        self.attendance_words = frozenset(rules["attendance_words"])
        self.approval_words = frozenset(rules["approval_words"])
        self.procedure = re.compile("|".join(rules["procedure_patterns"]))
        self.needs = {
            slug: (frozenset(spec["words"]), float(spec["factor"]))
            for slug, spec in rules["needs_context"].items()
        }
        self.officer_words = frozenset(rules["officer_words"])
        self.member_words = frozenset(rules["member_words"])
        self.training_verbs = frozenset(rules["member_training"]["verbs"])
        self.compound_heads = frozenset(rules["compound_heads"])

    def sentence(self, doc: Doc, bounds: tuple[int, int], arrays: DocArrays) -> SentenceInfo:
        info = arrays.cache.get(bounds[0])
        if info is None:
            info = arrays.cache[bounds[0]] = self._sentence_info(doc, bounds, arrays)
        return info

    def _sentence_info(self, doc: Doc, bounds: tuple[int, int], arrays: DocArrays) -> SentenceInfo:
        start, end = bounds
        word = arrays.word_of(doc)
        hashes = arrays.lemmas[start:end]
        lemma_set = frozenset(map(word.__getitem__, set(hashes.tolist())))
        if lemma_set & PROCEDURE_TRIGGERS:
            lemmas = map(word.__getitem__, hashes[:80].tolist())
            text = " ".join(w for w in lemmas if not w.isspace())
            if self.procedure.search(text):
                return SentenceInfo("procedure", lemma_set)
        if self._is_approval(lemma_set, len(hashes)):
            return SentenceInfo("procedure", lemma_set)
        head = [w for w in map(word.__getitem__, hashes[:8].tolist()) if not w.isspace()][:6]
        titles = int(arrays.titles[start:end].sum())
        if self._is_attendance(head, lemma_set, titles):
            return SentenceInfo("attendance", lemma_set)
        if is_heading(doc, bounds, arrays):
            return SentenceInfo("heading", lemma_set)
        return SentenceInfo("body", lemma_set)

    def _is_approval(self, lemmas: frozenset[str], size: int) -> bool:
        if ("minute" in lemmas or "agenda" in lemmas) and lemmas & self.approval_words:
            return True
        return "next" in lemmas and "meeting" in lemmas and size <= 16

    def _is_attendance(self, head: list[str], lemma_set: frozenset[str], titles: int) -> bool:
        if ":" in head and any(w in self.attendance_labels for w in head[: head.index(":")]):
            return True
        return titles >= 6 and bool(lemma_set & self.attendance_words)

    def weight(
        self,
        span: Span,
        strength: float,
        info: SentenceInfo,
        heading: str,
        arrays: DocArrays,
    ) -> float:
        """How much one match counts, 0..1, from its term's strength and its context."""
        if (
            info.kind in ("procedure", "attendance")
            or self.in_compound(span)
            or self.in_name(span, arrays)
        ):
            return 0.0
        weight = strength
        need = self.needs.get(span.label_)
        if need is not None and strength < 1.0:
            context = info.lemmas | frozenset(heading.lower().split())
            if not context & need[0]:
                weight *= need[1]
        if info.kind == "heading":
            weight = min(1.0, weight * float(self.rules["heading_factor"]))
        return round(weight, 4)

    def is_member_training(self, info: SentenceInfo) -> bool:
        """Training the committee's members attend, receive, are given … (no officers in it)."""
        lemmas = info.lemmas
        if lemmas & self.officer_words or not lemmas & self.training_verbs:
            return False
        return bool(lemmas & self.member_words) and "family" not in lemmas

    def in_compound(self, span: Span) -> bool:
        """Whether the words after the match make it part of a name ("… task force")."""
        doc = span.doc
        return span.end < len(doc) and doc[span.end].lemma_ in self.compound_heads

    def in_name(self, span: Span, arrays: DocArrays) -> bool:
        """Whether the match is part of a longer capitalised name ending in a name head."""
        if not all(tok.is_title or tok.is_upper for tok in span if tok.is_alpha):
            return False
        doc = span.doc
        sent_start, sent_end = arrays.bounds(span.start)
        alphas = arrays.alphas[sent_start:sent_end]
        if alphas.any() and bool(arrays.uppers[sent_start:sent_end][alphas].all()):
            return False  # a heading in capitals is not a name
        end = span.end
        while end < sent_end and end - span.end < 5 and _capitalised(doc[end]):
            end += 1
        start = span.start
        while start > sent_start + 1 and span.start - start < 4 and _capitalised(doc[start - 1]):
            start -= 1
        outside = [tok for tok in doc[start:end] if tok.i < span.start or tok.i >= span.end]
        return any(tok.lemma_ in self.name_heads for tok in outside)


def _capitalised(token: Token) -> bool:
    return bool(token.is_title or (token.is_upper and len(token) > 1))


def is_heading(doc: Doc, bounds: tuple[int, int], arrays: DocArrays) -> bool:
    """A short line of its own that does not read as a sentence (an agenda item or heading)."""
    start, end = bounds
    solid = numpy.flatnonzero(~arrays.spaces[start:end])
    words_ = int((~arrays.spaces[start:end] & ~arrays.puncts[start:end]).sum())
    if len(solid) == 0 or words_ == 0 or words_ > 12:
        return False
    last = doc[start + int(solid[-1])]
    if last.text in (".", "?", "!"):
        return False
    if "\n" in last.whitespace_ or end == len(doc):
        return True
    return "\n" in doc[end - 1].text if doc[end - 1].is_space else False


def drop_nested(mentions: list[tuple[Span, str, float]]) -> list[tuple[Span, str, float]]:
    """One match per topic and place (the strongest); none inside a longer match, nor sharing
    words with a longer match of another topic."""
    best: dict[tuple[str, int, int], tuple[Span, str, float]] = {}
    for mention in mentions:
        span = mention[0]
        key = (span.label_, span.start, span.end)
        if key not in best or best[key][2] < mention[2]:
            best[key] = mention
    unique = list(best.values())
    covering: dict[int, list[int]] = {}
    for k, (span, _, _) in enumerate(unique):
        for i in range(span.start, span.end):
            covering.setdefault(i, []).append(k)
    kept = []
    for k, mention in enumerate(unique):
        span = mention[0]
        others = {j for i in range(span.start, span.end) for j in covering[i] if j != k}
        if not any(_contains_longer(unique[j][0], span) for j in others):
            kept.append(mention)
    return kept


def _contains_longer(other: Span, span: Span) -> bool:
    """Whether `other` is longer and holds `span`'s words, or, for another topic, some of them
    ("camera program" against "body worn camera program": a word belongs to one term)."""
    if (other.end - other.start) <= (span.end - span.start):
        return False
    if other.label_ != span.label_:
        return other.start < span.end and span.start < other.end
    return other.start <= span.start and other.end >= span.end


class SectionIndex:
    """Finds the innermost section around a character offset (sections sorted by start)."""

    def __init__(self, sections: Sequence[Span]) -> None:
        self.sections = sorted(sections, key=lambda s: s.start_char)
        self.starts = [s.start_char for s in self.sections]

    def heading(self, char: int) -> str:
        k = bisect.bisect_right(self.starts, char) - 1
        for section in reversed(self.sections[max(0, k - 5) : k + 1]):
            if section.start_char <= char < section.end_char:
                return str(section._.heading)
        return ""


def score_topics(
    mentions: Sequence[Span], weights: Sequence[float], rules: dict[str, Any]
) -> dict[str, float]:
    """Per topic, 1 − Π(1 − weight): a noisy-or over its mentions, strongest first, where the
    k-th mention counts `repeat_decay`**k as much (many weak mentions add up, but slowly)."""
    decay = float(rules["repeat_decay"])
    rank: dict[str, int] = {}
    remaining: dict[str, float] = {}
    for span, weight in sorted(zip(mentions, weights, strict=True), key=lambda m: -m[1]):
        k = rank.get(span.label_, 0)
        rank[span.label_] = k + 1
        remaining[span.label_] = remaining.get(span.label_, 1.0) * (1.0 - weight * decay**k)
    return {slug: round(1.0 - rest, 4) for slug, rest in remaining.items()}
