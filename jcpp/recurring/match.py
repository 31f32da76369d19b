"""When is a concern "raised again"? Pure functions, no database.

A later concern is the earlier one raised again when
- they were raised at different meetings, and neither was rejected (the caller leaves those out);
- they share at least one topic;
- they were raised in the same committee at most `same_committee_days` apart (180 by default),
  or in different cities at most `other_city_days` apart (365). Another committee of the same
  city is neither: the brief asks for "the same committee within a window or other cities";
- their wording is similar: the cosine of their content-word sets (below) is at least
  `threshold` and they share at least `min_shared` content words.

Content words: lower-cased words with English function words and the words every minute-taker
uses ("said", "asked", "residents", "police", titles such as "Ms.") removed, each folded by a few
suffix rules (cameras → camera, speeding → speed, stopped → stop), so that a liaison's
different wording of the same thing next month still meets. The `nlp` package has a lemmatizer,
but its public API gives lemmas only as document keywords, which leave out rare words; a
concern is one or two sentences and this folding is enough for them.

Threshold 0.30 with at least two shared words, chosen on tests/recurring/pairs.json: 140 pairs
of concerns from the project's hand-labelled evaluation minutes, from different minutes and
sharing a topic, drawn across similarity bands and labelled by hand (82 "the same concern raised
again", 58 "another concern on the topic"). At 0.30, 60 of the 82 same pairs match and 16 of the
58 others do. Weighting each band by how many pairs of that corpus fall in it: about 75% of the
proposals would be right and about 45% of the same-concern pairs found; at 0.25 about 61% right
and 79% found; at 0.35 86% right, 33% found. 0.30 is the middle: a wrong proposal costs a person
a "Split" click, and it joins two clusters, which is why recall was not pushed further; the
same-concern pairs missed share few words at all ("stops for expired tabs" against "stop stops
for expired registration"), which no threshold on word overlap finds without the noise.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

THRESHOLD = 0.30
MIN_SHARED_WORDS = 2
SAME_COMMITTEE_DAYS = 180
OTHER_CITY_DAYS = 365


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_FUNCTION_WORDS = _word_set("""
a about above after again against all almost also although always am among an and another any
anyone anything are around as at away back be because been before being below between both but
by can cannot could did do does doing done down during each either else even ever every few for
from further get gets getting go goes going gone got had has have having he her here hers herself
him himself his how however i if in into is it its itself just last least less let like lot lots
made make makes many may me might more most much must my myself near need needs neither never next
no nor not now of off often on once one only or other others our ours ourselves out over own per
perhaps quite rather really same several she should since so some someone something sometimes
still such than that the their theirs them themselves then there these they thing things this
those though through to too toward towards under until up upon us very via was way we well were
what when where whether which while who whom whose why will with within without would yet you
your yours yourself yourselves anybody anyone everybody everyone everything nobody nothing
don't doesn't didn't won't can't isn't aren't wasn't weren't haven't hasn't
two three four five six seven eight nine ten first second third year years month months week
weeks day days time times today
""")

# Words of reporting and of the setting: in every concern of every minutes, so they say
# nothing about which concern it is. Street types too: "Elm Street" and "Elm St" meet on "elm",
# and "Avenue" in two addresses says nothing.
_MINUTES_WORDS = _word_set("""
ask asked asking asks add added adds agree agreed answer answered believe believes comment
commented concern concerned concerns explain explained express expressed feel feeling feels felt
hear heard know knows mention mentioned note noted point pointed raise raised raises relay relayed
remark remarked report reported say said says share shared shares state stated suggest suggested
talk talked tell telling tells think thinks thought told want wanted wants wonder wondered worry
worried worries question questions issue issues problem problems
member members resident residents people person community communities committee commission
commissioner comm chair liaison staff public city cities department police officer officers chief
sgt lt cmdr mr mrs ms dr rev q
street st avenue ave boulevard blvd road rd drive parkway pkwy lane ln highway hwy
""")

STOP_WORDS = _FUNCTION_WORDS | _MINUTES_WORDS

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_VOWEL = re.compile(r"[aeiouy]")


_IRREGULAR = {"women": "woman", "men": "man", "children": "child", "kids": "kid"}


@functools.lru_cache(maxsize=20_000)
def fold(word: str) -> str:
    """A word's rough stem: plural, -ing and -ed endings and a final e removed."""
    word = re.sub(r"['’]s?$", "", word)
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith("eed"):
            break  # speed, need: not a past tense
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and _VOWEL.search(stem):
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeioulsz":
                stem = stem[:-1]  # stopped → stop, but calling → call
            word = stem
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # drive and driving meet as "driv"
    return word


@functools.lru_cache(maxsize=20_000)
def content_words(text: str) -> frozenset[str]:
    """The folded content words of a concern's text."""
    words = [w for w in _WORD.findall(text.lower().replace("’", "'")) if len(w) > 1]
    return (
        frozenset(fold(word) for word in words if word not in STOP_WORDS and not word.isdigit())
        - STOP_WORDS
        - {""}
    )


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two word sets (shared words over the geometric mean of their sizes), 0..1."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def group_similarity(words: frozenset[str], group: Sequence[frozenset[str]]) -> float:
    """Cosine of a word set with a group's words counted together (how many of the group use
    each word): the similarity to the group as a whole. For a group of one, `similarity`."""
    counts: dict[str, int] = {}
    for member in group:
        for word in member:
            counts[word] = counts.get(word, 0) + 1
    if not words or not counts:
        return 0.0
    norm = math.sqrt(sum(n * n for n in counts.values()))
    return sum(counts.get(word, 0) for word in words) / (math.sqrt(len(words)) * norm)


def fits(words: frozenset[str], group: Sequence[frozenset[str]], rules: Rules) -> bool:
    """Whether a concern matched to one concern of a recurring concern also fits the recurring
    concern as a whole: without this, A like B, B like C, C like D would make D (far from A)
    the same concern as A. On the demo's minutes the largest recurring concern went from 18
    concerns drifting over three subjects to 11 on one."""
    return group_similarity(words, group) >= rules.threshold


@dataclass(frozen=True)
class Rules:
    """The windows and the wording threshold (see the module docstring for why)."""

    threshold: float = THRESHOLD
    min_shared_words: int = MIN_SHARED_WORDS
    same_committee_days: int = SAME_COMMITTEE_DAYS
    other_city_days: int = OTHER_CITY_DAYS


@dataclass(frozen=True)
class RaisedConcern:
    """What matching needs to know of a concern: where and when it was raised, its topics and
    its words."""

    concern_id: int
    meeting_id: int
    committee_id: int
    city_id: int
    day: dt.date
    topic_ids: frozenset[int]
    words: frozenset[str]

    @classmethod
    def of(
        cls,
        *,
        concern_id: int,
        meeting_id: int,
        committee_id: int,
        city_id: int,
        day: dt.date,
        topic_ids: Iterable[int],
        text: str,
    ) -> RaisedConcern:
        return cls(
            concern_id, meeting_id, committee_id, city_id, day, frozenset(topic_ids),
            content_words(text),
        )  # fmt: skip


@dataclass(frozen=True)
class Match:
    """`later` is `earlier` raised again, this similar."""

    earlier: RaisedConcern
    later: RaisedConcern
    similarity: float
    shared_topic_ids: frozenset[int]
    shared_words: frozenset[str]


def within_window(a: RaisedConcern, b: RaisedConcern, rules: Rules = Rules()) -> bool:
    """Raised at different meetings, in the same committee within its window or in different
    cities within theirs."""
    if a.meeting_id == b.meeting_id:
        return False
    days = abs((a.day - b.day).days)
    if a.committee_id == b.committee_id:
        return days <= rules.same_committee_days
    if a.city_id != b.city_id:
        return days <= rules.other_city_days
    return False


def raised_again(a: RaisedConcern, b: RaisedConcern, rules: Rules = Rules()) -> Match | None:
    """The match of two concerns (earlier first), or None when one is not the other raised
    again."""
    shared_topics = a.topic_ids & b.topic_ids
    if not shared_topics or not within_window(a, b, rules):
        return None
    shared_words = a.words & b.words
    score = similarity(a.words, b.words)
    if len(shared_words) < rules.min_shared_words or score < rules.threshold:
        return None
    earlier, later = sorted((a, b), key=lambda c: (c.day, c.meeting_id, c.concern_id))
    return Match(earlier, later, round(score, 3), shared_topics, shared_words)


def find_matches(
    concerns: Sequence[RaisedConcern],
    candidates: Sequence[RaisedConcern],
    rules: Rules = Rules(),
) -> list[Match]:
    """Every match between one of `concerns` (e.g. one meeting's) and one of `candidates`
    (earlier or later), most similar first; each pair once."""
    found: dict[tuple[int, int], Match] = {}
    for concern in concerns:
        for candidate in candidates:
            if candidate.concern_id == concern.concern_id:
                continue
            match = raised_again(concern, candidate, rules)
            if match is not None:
                key = (match.earlier.concern_id, match.later.concern_id)
                found.setdefault(key, match)
    return sorted(
        found.values(),
        key=lambda m: (-m.similarity, m.earlier.day, m.later.day, m.later.concern_id),
    )


_LEADS = (
    re.compile(r"^[#*_>•\s-]+"),  # markdown marks, bullets
    re.compile(r"^(?:concerns?|issue|question)\s*:[*_\s]*", re.IGNORECASE),  # "**Concern:**"
    re.compile(r"^[QA]\s*(?:\([^)]*\))?\s*:\s*"),  # "Q:", "Q (Farah):"
    re.compile(r"^(?:[A-Z*][\w.'’*-]*\s+){0,3}[A-Z][\w.'’*-]*\s*:\s+"),  # "Ilhan Noor:"
    re.compile(  # "Ms. Noor said that", "Several residents asked whether"
        r"^(?:(?:a|the|several|many|some|one|another)\s+)?"
        r"(?:(?:[A-Z*][\w.'’*-]*|residents?|members?|speakers?|parents?|people)\s+){0,4}?"
        r"(?:said|asked|shared|raised|noted|reported|added|relayed|stated|told\s+\w+)"
        r"(?:\s+(?:a|the)\s+concerns?(?:\s+from\s+\w+)?(?:\s+about)?)?(?:\s+that)?\s+",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:a|the)\s+concerns?\s+(?:from\s+\w+\s+)?(?:that|about)\s+", re.IGNORECASE),
)
TITLE_CHARS = 120


def title_from(text: str, limit: int = TITLE_CHARS) -> str:
    """A recurring concern's title from a concern's words: without a leading "Q:" or "Ms. Noor
    said that", capitalised, cut at a word boundary."""
    words = " ".join(text.split())
    stripped = words
    for lead in _LEADS:
        stripped = lead.sub("", stripped, count=1)
    if len(stripped) < 12:  # the speaker rule ate nearly everything: keep the words as they were
        stripped = words
    title = stripped[0].upper() + stripped[1:] if stripped else stripped
    title = title.rstrip(" .;:,")
    if len(title) <= limit:
        return title
    cut = title[: limit - 1].rsplit(" ", 1)[0].rstrip(" .,;:")
    return cut + "…"
