"""Lookup lemmas on the lower-case form (`jcpp_lemmatizer`), and words broken across lines.

spaCy's lookup table (spacy-lookups-data) is case-sensitive, so "Officers" would stay "Officers";
this component looks up the lower-case form instead, so every lemma is lower case. A few nouns
the table turns into verbs keep their noun ("training" would become "train", "housing" "house",
"trafficking" "traffic"). Lemmas are computed once per distinct word of a document and set in one
array operation; so is the norm, the lower-case form (not spaCy's norms, which turn "won't" into
"will not"), on which the cue phrases of concerns and action items match.

White space inside a paragraph (a line break, or spaces a PDF left) gets one lemma and norm,
LINE_BREAK, so a term or cue phrase that a hard wrap split ("stop\ndata", "concerns\nabout")
can match as one (see `jcpp_topics`, `docfacts.CueMatcher`); a blank line keeps its own.

It also rejoins words that a PDF or a hard wrap broke with a hyphen and a space or line break
("neigh- borhood"; "anti-Semitic" and "depart ment" are left alone): the pieces become one
token whose lemma is the whole word, so topic terms still match; the token's text keeps the
original characters and offsets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry

from nlp.components import doc_text, words

if TYPE_CHECKING:
    from thinc.types import Ints2d

OVERRIDES_VERSION = "jcpp.lemma_overrides.v1"
# Rejoining is a retokenisation, whose cost grows with the document: real minutes break a few
# dozen words, garbage may break thousands.
MAX_JOINS = 300
# The lemma of white space that holds at most one line break.
LINE_BREAK = "\n"
BROKEN_WORD = re.compile(r"\b([A-Za-z]{2,})-(?:[ \t]*\n[ \t]*|[ \t]+)([a-z]{2,})\b")


ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def broken_words(text: str) -> Iterator[re.Match[str]]:
    """The matches of BROKEN_WORD in the text, in order, found from its hyphens (rare) rather than
    by trying the pattern at every offset. A match holds one hyphen and can only start where the
    run of letters before that hyphen starts (`\\b`), and not inside the match before it."""
    free = 0  # where the next match may start
    hyphen = text.find("-")
    while hyphen >= 0:
        start = hyphen
        while start > free and text[start - 1] in ASCII_LETTERS:
            start -= 1
        if hyphen - start >= 2:
            match = BROKEN_WORD.match(text, start)
            if match is not None:
                yield match
                free = match.end()
                hyphen = text.find("-", free)
                continue
        hyphen = text.find("-", hyphen + 1)


def lemma_overrides_v1() -> dict[str, str]:
    """Words whose lookup lemma changes their sense in minutes: they keep their own form."""
    nouns = words(
        """training trainings housing trafficking meeting shooting shootings parking policing
    building hearing briefing funding sentencing warning booking profiling counseling
    counselling screening gathering crossing recording listening planning opening morning
    evening wedding filing clothing bullying vaping lighting outing outings stabbing stabbings
    spending staffing wellbeing being data media police"""
    )
    overrides = {word: word for word in nouns}
    overrides.update({"trainings": "training", "meetings": "meeting", "stabbings": "stabbing"})
    overrides.update({"shootings": "shooting", "outings": "outing", "hearings": "hearing"})
    return overrides


registry.misc.register(OVERRIDES_VERSION, func=lemma_overrides_v1)


def load_lookup_tables() -> tuple[dict[str, str], frozenset[str]]:
    """The English lemma lookup table of spacy-lookups-data, and its list of known words."""
    import spacy_lookups_data  # type: ignore[import-untyped]
    from spacy.util import load_language_data

    table = cast(dict[str, str], load_language_data(spacy_lookups_data.en["lemma_lookup"]))
    index = cast(dict[str, list[str]], load_language_data(spacy_lookups_data.en["lemma_index"]))
    words = frozenset(w for part in index.values() for w in part if w.isalpha())
    return table, words | frozenset(table) | frozenset(table.values())


class LowerLookupLemmatizer:
    """Sets `token.lemma_` from the lookup table on the lower-case form (see the module)."""

    def __init__(self, nlp: Language, name: str, overrides: dict[str, str]) -> None:
        self.name = name
        self.overrides = dict(overrides)
        self.table: dict[str, str] = {}
        self.words: frozenset[str] = frozenset()
        self._cache: dict[int, int] = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        if not self.table:
            self._set_table(*load_lookup_tables())

    def _set_table(self, table: dict[str, str], words: frozenset[str]) -> None:
        self.table = table
        self.words = words
        self._cache = {}

    def lemma_of(self, lower: str) -> str:
        if lower.isspace() and lower.count("\n") <= 1:
            return LINE_BREAK
        return self.overrides.get(lower) or self.table.get(lower, lower)

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        lowers = doc.to_array(["LOWER"]).ravel()
        unique, inverse = numpy.unique(lowers, return_inverse=True)
        strings = doc.vocab.strings
        cache = self._cache
        mapped = numpy.empty(len(unique), dtype=numpy.uint64)
        for k, key in enumerate(unique.tolist()):
            lemma = cache.get(key)
            if lemma is None:
                lemma = cache[key] = strings.add(self.lemma_of(strings[key]))
            mapped[k] = lemma
        lemmas = mapped[inverse]
        # NORM is the lower-case form (not spaCy's norms: "won't" stays "wo" + "n't"), with
        # white space inside a paragraph as LINE_BREAK: the cue phrases of concerns and action
        # items match on it, wrapped like the text.
        norms = lowers.copy()
        norms[lemmas == strings.add(LINE_BREAK)] = strings[LINE_BREAK]
        doc.from_array(["LEMMA", "NORM"], cast("Ints2d", numpy.stack([lemmas, norms], axis=1)))
        self._join_broken_words(doc)
        return doc

    def _join_broken_words(self, doc: Doc) -> None:
        text = doc_text(doc)
        if "-" not in text:
            return
        spans: list[tuple[Span, str, str]] = []
        for match in broken_words(text):
            if len(spans) >= MAX_JOINS:
                break
            word = (match.group(1) + match.group(2)).lower()
            if word not in self.words:
                continue
            span = doc.char_span(match.start(), match.end(), alignment_mode="strict")
            if span is not None and len(span) > 1:
                spans.append((span, self.lemma_of(word), word))
        if spans:
            with doc.retokenize() as retokenizer:
                for span, lemma, word in spans:
                    retokenizer.merge(span, attrs={"LEMMA": lemma, "NORM": word})

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        content = {"table": self.table, "overrides": self.overrides, "words": sorted(self.words)}
        return _dumps(content)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> LowerLookupLemmatizer:
        content = _loads(data)
        self.overrides = content["overrides"]
        self._set_table(content["table"], frozenset(content["words"]))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        Path(path, "lemmas.msgpack").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> LowerLookupLemmatizer:
        return self.from_bytes(Path(path, "lemmas.msgpack").read_bytes())


@Language.factory(
    "jcpp_lemmatizer",
    assigns=["token.lemma", "token.norm"],
    default_config={"overrides": {"@misc": OVERRIDES_VERSION}},
)
def make_lemmatizer(nlp: Language, name: str, overrides: dict[str, str]) -> LowerLookupLemmatizer:
    return LowerLookupLemmatizer(nlp, name, overrides)


def _dumps(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False).encode("utf-8")


def _loads(data: bytes) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(data.decode("utf-8"))
    return content
