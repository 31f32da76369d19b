"""Per-doc facts shared by the concern and action components, and their cue matcher.

Token attributes are read once per doc as arrays (spaCy creates a Python object for every token
that is looked at, which is what makes per-token loops slow); word positions come from one sorted
index per doc. Cue phrases are matched by one PhraseMatcher on the tokens' norms (their
lower-case form; white space inside a paragraph is one line break, so a phrase a hard wrap broke
still matches).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, cast
from weakref import ReferenceType, WeakKeyDictionary
from weakref import ref as ref_to

import numpy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import StringStore
from spacy.tokens import Doc

from nlp.components import tokentable

if TYPE_CHECKING:
    from thinc.types import Ints2d

TABLE_CHARS = frozenset("|¦│")


def words(text: str) -> frozenset[str]:
    """A set of words written as one string, separated by white space."""
    return frozenset(text.split())


# Ids of the word lists looked up (a few dozen lists of the component modules; a caller's own
# lists are not kept past MAX_ID_SETS), with the string store they were added to.
_IDS: dict[frozenset[str], tuple[StringStore, frozenset[int]]] = {}
MAX_ID_SETS = 256


class DocFacts:
    """What the concern and action components both need about a doc, computed once per doc:
    token flags as arrays (no per-token Python objects), the units, their speakers."""

    def __init__(self, doc: Doc) -> None:
        self.length = len(doc)
        table = tokentable.columns(doc, ["LOWER", "IS_ALPHA", "IS_SPACE", "LENGTH"])
        self.strings = doc.vocab.strings
        self.lower = table[:, 0]
        self.alpha = numpy.concatenate(([0], numpy.cumsum(table[:, 1] > 0)))
        self.lower_ids: list[int] = self.lower.tolist()
        self.space: list[bool] = (table[:, 2] > 0).tolist()
        self.short: list[bool] = (table[:, 3] <= 4).tolist()
        self._positions: dict[frozenset[str], list[int]] = {}
        self._order: numpy.ndarray | None = None
        self._sorted: numpy.ndarray = self.lower
        self._ids: dict[frozenset[str], frozenset[int]] = {}
        self.subjects: dict[tuple[int, int], tuple[int, int] | None] = {}
        self.bars = self.positions(TABLE_CHARS)
        self.units: list[tuple[int, int]] | None = None  # set by `units.units`
        self.speakers: dict[tuple[int, int], tuple[int, int] | None] = {}

    def has_alpha(self, start: int, end: int) -> bool:
        return bool(self.alpha[end] > self.alpha[start])

    def positions(self, lower_words: frozenset[str]) -> list[int]:
        """Indices of the tokens whose lower-case form is one of the words, in order."""
        found = self._positions.get(lower_words)
        if found is None:
            if self._order is None:
                self._order = numpy.argsort(self.lower, kind="stable")
                self._sorted = self.lower[self._order]
            wanted = numpy.fromiter(self.ids(lower_words), dtype=self.lower.dtype)
            lows = numpy.searchsorted(self._sorted, wanted, side="left")
            highs = numpy.searchsorted(self._sorted, wanted, side="right")
            slices = [self._order[lo:hi] for lo, hi in zip(lows, highs, strict=True) if hi > lo]
            found = numpy.sort(numpy.concatenate(slices)).tolist() if slices else []
            self._positions[lower_words] = found
        return found

    def ids(self, lower_words: frozenset[str]) -> frozenset[int]:
        """The string-store ids of lower-case words, to compare with `lower_ids`."""
        found = self._ids.get(lower_words)
        if found is None:
            # The ids (hashes) of a word list are the same in every store; the words are added
            # to the doc's store once, and the list is kept with the store it was added to.
            kept = _IDS.get(lower_words)
            if kept is not None and kept[0] is self.strings:
                found = kept[1]
            else:
                found = frozenset(self.strings.add(w) for w in lower_words)
                if len(_IDS) < MAX_ID_SETS or lower_words in _IDS:
                    _IDS[lower_words] = (self.strings, found)
            self._ids[lower_words] = found
        return found

    def positions_in(self, lower_words: frozenset[str], start: int, end: int) -> list[int]:
        """Indices of those tokens between start (included) and end (excluded)."""
        found = self.positions(lower_words)
        return found[bisect_left(found, start) : bisect_left(found, end)]


_FACTS: WeakKeyDictionary[Doc, DocFacts] = WeakKeyDictionary()


_LAST: list[tuple[ReferenceType[Doc], DocFacts]] = []


def facts(doc: Doc) -> DocFacts:
    """The doc's facts, computed on first use (again if the doc was retokenized since)."""
    if _LAST:
        ref, last = _LAST[0]
        if ref() is doc and last.length == len(doc):
            return last
    found = _facts(doc)
    _LAST[:] = [(ref_to(doc), found)]
    return found


def _facts(doc: Doc) -> DocFacts:
    found = _FACTS.get(doc)
    if found is None or found.length != len(doc):
        found = _FACTS[doc] = DocFacts(doc)
    return found


def any_in(positions: list[int], start: int, end: int) -> bool:
    """Whether one of the sorted positions lies in [start, end)."""
    k = bisect_left(positions, start)
    return k < len(positions) and positions[k] < end


def _pattern(nlp: Language, text: str) -> Doc:
    """A cue phrase as a pattern: its norms are its lower-case forms, as `jcpp_lemmatizer`
    sets them in the text."""
    doc = nlp.make_doc(text)
    doc.from_array(["NORM"], cast("Ints2d", doc.to_array(["LOWER"]).reshape(-1, 1)))
    return doc


def wrapped(phrase: str) -> list[str]:
    """The phrase, then the phrase as a hard wrap may break it: one line break in place of each
    of its spaces in turn."""
    words = phrase.split(" ")
    return [phrase] + [
        " ".join(words[:k]) + "\n" + " ".join(words[k:]) for k in range(1, len(words))
    ]


def expand_phrase(phrase: str, limit: int = 5000) -> list[str]:
    """Every word sequence a compact phrase stands for: words are positions, `a|b` alternatives
    at one position, a trailing `?` makes a position optional ("raised the|a? issue")."""
    sequences: list[list[str]] = [[]]
    for position in phrase.split():
        optional = position.endswith("?") and len(position) > 1
        choices = position[:-1].split("|") if optional else position.split("|")
        grown = [seq + [choice] for seq in sequences for choice in choices]
        sequences = grown + (sequences if optional else [])
        if len(sequences) > limit:
            raise ValueError(f"phrase expands to too many word sequences: {phrase!r}")
    return [" ".join(seq) for seq in sequences if seq]


class CueMatcher:
    """Finds the cue phrases of named families in a doc, on the tokens' norms (their lower-case
    form, "n't" as "not"; white space inside a paragraph as one line break, see
    `jcpp_lemmatizer`), also where a hard wrap broke a phrase ("concerns\nabout").

    Phrases are expanded into fixed word sequences and tokenised like the text ("break-ins" is
    three tokens), then matched by one PhraseMatcher, whose cost hardly grows with the number of
    phrases (a token Matcher tries every pattern at every token).
    """

    def __init__(self, nlp: Language, families: dict[str, list[str]]) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        for family, phrases in families.items():
            texts = sorted({text for phrase in phrases for text in expand_phrase(phrase)})
            self.matcher.add(family, [_pattern(nlp, v) for text in texts for v in wrapped(text)])

    def starts(self, doc: Doc) -> dict[int, set[str]]:
        """Families by the token where one of their phrases starts."""
        found: dict[int, set[str]] = {}
        strings = doc.vocab.strings
        for match_id, start, _end in self.matcher(doc):
            found.setdefault(start, set()).add(strings[match_id])
        return found
