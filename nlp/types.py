"""What the NLP pipeline returns: plain dataclasses, no spaCy objects.

Offsets are character offsets into the text as given to `nlp.analyse`, end exclusive, and every
`text` field equals `source[start:end]`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Section:
    """A part of the minutes: an agenda item or heading with the text under it."""

    start: int
    end: int
    heading: str
    level: int = 1


@dataclass(frozen=True)
class TopicMention:
    """A place where a topic is discussed."""

    slug: str
    start: int
    end: int
    text: str  # the matched words
    sentence: Span  # the evidence sentence around them
    score: float  # 0..1, how sure the pipeline is
    matched: str  # what matched: the term, or "model" for the trained classifier
    source: str = "rules"  # "rules" or "model"


@dataclass(frozen=True)
class TopicScore:
    """A topic of the whole document with its evidence."""

    slug: str
    score: float
    evidence: tuple[TopicMention, ...]


@dataclass(frozen=True)
class Concern:
    start: int
    end: int
    text: str
    topics: tuple[str, ...] = ()
    score: float = 1.0


@dataclass(frozen=True)
class ActionItem:
    start: int
    end: int
    text: str
    owner: str | None = None  # as written ("Lt. Okafor", "Staff", "The outreach subcommittee")
    due: dt.date | None = None  # when the text states one
    topics: tuple[str, ...] = ()
    score: float = 1.0


@dataclass(frozen=True)
class Keyword:
    term: str  # lemmatised 1–3-gram
    score: float
    count: int = 1


@dataclass(frozen=True)
class PersonName:
    start: int
    end: int
    text: str
    kind: str = "unknown"  # "roster", "titled" (Chief, Lt., Ms. …), "listed" (Guests: …)


@dataclass(frozen=True)
class Analysis:
    sections: tuple[Section, ...]
    topics: tuple[TopicScore, ...]
    mentions: tuple[TopicMention, ...]
    concerns: tuple[Concern, ...]
    actions: tuple[ActionItem, ...]
    keywords: tuple[Keyword, ...]
    people: tuple[PersonName, ...]
    pipeline_version: str
    model_version: str | None = None
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class TopicDefinition:
    """One entry of the topic list as the pipeline needs it (from data or from the database)."""

    slug: str
    name: str
    description: str = ""
    terms: tuple[str, ...] = ()
    # Words that, next to a term, mean the term is used in another sense.
    exclusions: tuple[str, ...] = ()
