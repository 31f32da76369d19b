"""Search terms: the words of a text as the search index and its queries see them.

Index and query go through the same function, so "stops" finds "stop" and "meetings" finds
"meeting": every word is lower-cased and looked up in the pipeline's own lemma table (the lookup
lemmatiser of `jcpp_lemmatizer`, with its overrides), then stripped of accents. Words are runs
of letters and digits; a small list of function words ("the", "of", "and" …) is left out of
both, so a query never has to match them.

No spaCy pipeline runs here: a regular expression and one dictionary look-up per distinct word
make this fast enough to index a state's minutes (about ten million words a minute).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator
from functools import cache, lru_cache

from nlp.components import words
from nlp.components.lemmas import lemma_overrides_v1, load_lookup_tables

WORD = re.compile(r"[^\W_]+")
# Function words only: content words that are often stop words elsewhere ("call", "move",
# "name", "show", "part") stay searchable.
STOP_WORDS = frozenset(
    words(
        """a an the and or but nor of to in on at by for from with into onto upon over under about
    as than then that this these those there here it its is are was were be been being am do
    does did doing have has had having i me my we us our you your he him his she her they them
    their what which who whom whose when where why how if so not no yes s t o"""
    )
)
MAX_CACHE = 400_000


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    table, _words = load_lookup_tables()
    return table, lemma_overrides_v1()


_cache: dict[str, str] = {}


def _fold(word: str) -> str:
    """Accents removed ("café" → "cafe"), so that both databases fold alike; only letters and
    digits are kept (a compatibility form may bring others: "½" is "1⁄2"), so a term never
    holds a quote or an operator of either database's query syntax."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if c.isalnum())


def lemma(word: str) -> str:
    """The search form of one word: "" for a function word."""
    found = _cache.get(word)
    if found is not None:
        return found
    result = _term(word.lower())
    if len(_cache) >= MAX_CACHE:
        _cache.clear()
    _cache[word] = result
    return result


def _term(lower: str) -> str:
    """The search form of a lower-cased word (a word's form depends on its lower case only)."""
    table, overrides = _tables()
    base = overrides.get(lower) or table.get(lower, lower)
    if not WORD.fullmatch(base):  # a lemma with an apostrophe or space: keep the word
        base = lower
    return "" if base in STOP_WORDS or lower in STOP_WORDS else _fold(base)


def index_terms(text: str) -> str:
    """The text's search terms in order, separated by spaces (what the index stores)."""
    get = _cache.get
    terms = [get(word) or lemma(word) for word in WORD.findall(text)]
    return " ".join(term for term in terms if term)


def query_terms(text: str) -> list[str]:
    """The distinct search terms of a query, in the order typed."""
    return list(dict.fromkeys(term for term in index_terms(text).split()))


def term_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, term) of every searchable word of `text` (for highlighting matches)."""
    for match in WORD.finditer(text):
        term = lemma(match.group())
        if term:
            yield match.start(), match.end(), term


def matching_spans(text: str, wanted: Collection[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of the words of `text` whose term is one of `wanted`, in order: what
    `term_spans` gives for them, found faster (for snippets: a page shows 20 documents of some
    hundred words each, a few of which match). The words of ASCII letters and digits are found
    by looking in the lower-cased text for the forms that may have those terms (each term, and
    the lemma table's words that become it: a word's term depends on its lower case only), each
    checked; the few words with other letters are looked up one by one. A word counts only as a
    whole run of letters and digits, as `WORD` reads it (which is what `str.isalnum` says)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ")
        return _spans_by_words(text, wanted)
    spans = _ascii_word_spans(text, lowered, wanted)
    if not text.isascii():
        spans += _other_word_spans(text, wanted)
    spans.sort()
    return spans


def _ascii_word_spans(
    text: str, lowered: str, wanted: Collection[str]
) -> list[tuple[int, int, str]]:
    size = len(text)
    spans = []
    for form in _ascii_forms_of(frozenset(wanted)):
        at = lowered.find(form)
        while at != -1:
            end = at + len(form)
            word = text[at:end]
            # A whole run, and ASCII in the text too (the Kelvin sign's lower case is "k"):
            # a run with other letters is `_other_word_spans`'s.
            if (
                (at == 0 or not lowered[at - 1].isalnum())
                and (end == size or not lowered[end].isalnum())
                and word.isascii()
                and (term := lemma(word)) in wanted
            ):
                spans.append((at, end, term))
            at = lowered.find(form, end)
    return spans


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _other_word_spans(text: str, wanted: Collection[str]) -> list[tuple[int, int, str]]:
    """The spans of the words holding a letter or digit outside ASCII."""
    size, done = len(text), 0
    spans = []
    for found in _NON_ASCII.finditer(text):
        at = found.start()
        if at < done or not text[at].isalnum():
            continue
        start, end = at, at + 1
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < size and text[end].isalnum():
            end += 1
        done = end
        term = lemma(text[start:end])
        if term in wanted:
            spans.append((start, end, term))
    return spans


def _spans_by_words(text: str, wanted: Collection[str]) -> list[tuple[int, int, str]]:
    """`matching_spans` by looking up each distinct word once."""
    forms: dict[str, str] = {}
    get = _cache.get
    for word in set(WORD.findall(text)):
        term = get(word)
        if term is None:
            term = lemma(word)
        if term in wanted:
            forms[word] = term
    if not forms:
        return []
    pattern = _forms_pattern(tuple(sorted(forms, key=lambda w: (-len(w), w))))
    return [(m.start(), m.end(), forms[m.group()]) for m in pattern.finditer(text)]


@cache
def _ascii_forms() -> dict[str, tuple[str, ...]]:
    """The ASCII words of the lemma table (and its overrides) that become each term."""
    table, overrides = _tables()
    forms: dict[str, list[str]] = {}
    for lower in {*table, *overrides}:
        if lower.isascii() and WORD.fullmatch(lower):
            forms.setdefault(_term(lower), []).append(lower)
    return {term: tuple(found) for term, found in forms.items()}


@lru_cache(maxsize=512)
def _ascii_forms_of(wanted: frozenset[str]) -> tuple[str, ...]:
    # A word outside the table is its own term, so every term is a form of itself.
    forms = {term for term in wanted if term.isascii()}
    for term in wanted:
        forms.update(_ascii_forms().get(term, ()))
    return tuple(sorted(forms))


@lru_cache(maxsize=512)
def _forms_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(form) for form in forms)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")
