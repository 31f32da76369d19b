"""Keywords in the manner of Council Data Project: lemmatised 1–3-grams, TF-IDF, decayed by age.

Candidates are runs of content words inside one sentence: no n-gram crosses a sentence boundary,
punctuation, a number or a stop word, and procedure words ("motion", "adjourn", "minute") and
calendar words are not content. A term's score in a document is its count times its inverse
document frequency, from a small reference corpus shipped with the package (`data/idf.json`,
counted over the project's demo and development minutes) plus the documents analysed together,
times a decay by the document's age when dates are given (half-life one year). Counting is done
on arrays of lemma hashes, so no Python loop runs per token.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp.components import doc_text, tokentable, words
from nlp.types import Keyword

if TYPE_CHECKING:
    from nlp.pipeline import Pipeline

TOP_N = 10
MIN_PHRASE_COUNT = 2
MARKUP = re.compile(r"</?[A-Za-z][^<>]{0,300}>")
HALF_LIFE_DAYS = 365.0
REFERENCE_FILE = "idf.json"
PROCEDURE_WORDS = frozenset(
    words("""motion second seconded approve approval approved minute agenda adjourn adjournment
    adjourned quorum roll call order meeting present absent excused chair vice member
    committee unanimously carry carried pass passed aye nay abstain abstention item
    p.m a.m pm am january february march april may june july august september october
    november december monday tuesday wednesday thursday friday saturday sunday jan feb mar
    apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun next last also said
    say note report update ask asked will would could should tonight today""")
)


@cache
def reference() -> tuple[int, dict[str, int]]:
    """(number of documents, document frequency per term) of the shipped reference corpus."""
    path = resources.files("nlp").joinpath("data", REFERENCE_FILE)
    if not path.is_file():
        return 0, {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return int(data["documents"]), {str(k): int(v) for k, v in data["df"].items()}


def term_counts(
    doc: Doc,
    stop_lemmas: frozenset[int],
    known_words: frozenset[str] = frozenset(),
    min_phrase_count: int = MIN_PHRASE_COUNT,
) -> Counter[str]:
    """Counts of the lemmatised 1–3-grams of one document (see the module's docstring).

    Personal names are never keywords: words inside `doc.spans["people"]` are left out, and so
    is a capitalised word in mid-sentence that is not a known English word (`known_words`, when
    given): a resident's surname must not end up as a published tag.
    """
    if len(doc) == 0:
        return Counter()
    array = tokentable.columns(doc, ["IS_ALPHA", "IS_STOP", "LENGTH", "SENT_START", "IS_TITLE"])
    array = array.astype(numpy.int64)
    lemmas = tokentable.columns(doc, ["LEMMA"]).ravel()
    content = (array[:, 0] == 1) & (array[:, 1] == 0) & (array[:, 2] > 1)
    content &= ~_is_in(lemmas, _sorted_ints(stop_lemmas))
    starts = array[:, 3] == 1
    for span in doc.spans.get("people", ()):
        content[span.start : span.end] = False
    content &= ~_in_markup(doc)
    titles = array[:, 4] == 1
    content &= ~_names(titles, starts)
    if known_words:
        # Only a capitalised content word in mid-sentence is looked up among the known words.
        asked = numpy.flatnonzero(content & titles & ~starts)
        if len(asked):
            lowers = tokentable.columns(doc, ["LOWER"]).ravel()[asked]
            content[asked[~_is_in(lowers, _sorted_hashes(known_words))]] = False
    counts: Counter[str] = Counter()
    strings = doc.vocab.strings
    for n in (1, 2, 3):
        keys = _ngram_keys(lemmas, content, starts, n)
        if keys is None:
            continue
        # One 64-bit key per n-gram (a rolling hash of its lemma hashes) makes the counting a
        # one-dimensional `unique`, much faster than unique rows.
        combined = keys[:, 0].copy()
        for k in range(1, n):
            combined = combined * numpy.uint64(1_000_003) + keys[:, k]
        _, first, freq = numpy.unique(combined, return_index=True, return_counts=True)
        if n > 1:  # a phrase said once is not yet a keyword (and costs a string each)
            first, freq = first[freq >= min_phrase_count], freq[freq >= min_phrase_count]
        if n == 1:
            for word, count in zip(keys[first, 0].tolist(), freq.tolist(), strict=True):
                counts[strings[word]] += count
            continue
        for row, count in zip(keys[first].tolist(), freq.tolist(), strict=True):
            words = [strings[h] for h in row]
            counts[" ".join(words)] += count
    return counts


def _in_markup(doc: Doc) -> numpy.ndarray:
    """Tokens inside HTML or XML tags (`<script …>`, `</p>`): pasted markup is not content."""
    inside = numpy.zeros(len(doc), dtype=bool)
    text = doc_text(doc)
    if "<" not in text:
        return inside
    idx = doc.to_array(["IDX"]).ravel().astype(numpy.int64)
    for match in MARKUP.finditer(text):
        first, last = numpy.searchsorted(idx, [match.start(), match.end()], side="left")
        inside[first:last] = True
    return inside


def _names(titles: numpy.ndarray, starts: numpy.ndarray) -> numpy.ndarray:
    """Tokens in runs of two or more capitalised words that begin mid-sentence ("Cub Foods")."""
    previous = numpy.concatenate(([False], titles[:-1]))
    run_start = titles & (~previous | starts)
    run_id = numpy.cumsum(run_start) * titles
    sizes = numpy.bincount(run_id)
    first_is_start = numpy.zeros(len(sizes), dtype=bool)
    first_is_start[run_id[run_start]] = starts[run_start]
    names: numpy.ndarray = titles & (sizes[run_id] >= 2) & ~first_is_start[run_id]
    return names


def _is_in(values: numpy.ndarray, ordered: numpy.ndarray) -> numpy.ndarray:
    """Per value, whether it is one of the sorted `ordered` (`numpy.isin`, without sorting the
    values every time)."""
    if not len(ordered):
        return numpy.zeros(len(values), dtype=bool)
    at = numpy.minimum(numpy.searchsorted(ordered, values), len(ordered) - 1)
    found: numpy.ndarray = ordered[at] == values
    return found


@lru_cache(maxsize=4)
def _sorted_hashes(known_words: frozenset[str]) -> numpy.ndarray:
    """The sorted string hashes of a word list (computed once per list: a frozenset keeps its
    own hash, so looking the list up again costs nothing)."""
    return numpy.sort(numpy.fromiter(map(StringStore().as_int, known_words), dtype=numpy.uint64))


@lru_cache(maxsize=4)
def _sorted_ints(values: frozenset[int]) -> numpy.ndarray:
    return numpy.sort(numpy.fromiter(values, dtype=numpy.uint64, count=len(values)))


def _ngram_keys(
    lemmas: numpy.ndarray, content: numpy.ndarray, starts: numpy.ndarray, n: int
) -> numpy.ndarray | None:
    """Rows of n lemma hashes for every run of n content tokens within one sentence."""
    size = len(lemmas) - n + 1
    if size <= 0:
        return None
    ok = content[:size].copy()
    for k in range(1, n):
        ok &= content[k : k + size] & ~starts[k : k + size]
    if not ok.any():
        return None
    keys: numpy.ndarray = numpy.stack([lemmas[k : k + size][ok] for k in range(n)], axis=1)
    return keys


def stop_lemma_hashes(doc_vocab: Vocab, extra: Iterable[str] = PROCEDURE_WORDS) -> frozenset[int]:
    """Hashes of the lemmas that are never content: spaCy's stop words and procedure words."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(doc_vocab.strings.add(w) for w in (*extra, *STOP_WORDS))


def decay(date: dt.date | None, now: dt.date | None) -> float:
    """Weight of a document of that date: halves every HALF_LIFE_DAYS; 1 without dates."""
    if date is None:
        return 1.0
    today = now or dt.date.today()
    age = max(0, (today - date).days)
    return float(0.5 ** (age / HALF_LIFE_DAYS))


def score_documents(
    counts: Sequence[Counter[str]],
    *,
    dates: Sequence[dt.date | None] | None = None,
    now: dt.date | None = None,
    top_n: int = TOP_N,
) -> list[list[Keyword]]:
    """Top keywords per document by TF-IDF over the reference corpus plus these documents."""
    ref_docs, ref_df = reference()
    batch_df: Counter[str] = Counter()
    for doc_counts in counts:
        batch_df.update(doc_counts.keys())
    total = ref_docs + len(counts)
    # Per term of the batch, its idf and its length factor (a term is in several documents).
    factors: dict[str, tuple[float, float]] = {}
    for term, df_batch in batch_df.items():
        length = term.count(" ") + 1
        df = ref_df.get(term, 0) + df_batch
        factors[term] = (math.log((1 + total) / (1 + df)) + 1.0, 1 + 0.25 * (length - 1))
    result = []
    for k, doc_counts in enumerate(counts):
        weight = decay(dates[k] if dates else None, now)
        scored = []
        for term, count in doc_counts.items():
            idf, longer = factors[term]
            # Negated, so that sorting the tuples puts the best first, ties by term.
            scored.append((-(count * idf * longer * weight), term, count))
        scored.sort()
        result.append([Keyword(t, round(-s, 4), c) for s, t, c in scored[:top_n] if c > 0])
    return result


def keywords(
    texts: Sequence[str],
    dates: Sequence[dt.date | None] | None = None,
    now: dt.date | None = None,
    *,
    top_n: int = TOP_N,
    pipeline: Pipeline | None = None,
) -> list[list[Keyword]]:
    """Top keywords of each text (the same as `Analysis.keywords`, without the rest)."""
    import nlp

    chosen = pipeline or nlp.default_pipeline()
    docs = [doc for doc, _ in chosen.docs(list(texts), dates=dates)]
    counts = [term_counts(doc, chosen.stop_lemmas, chosen.known_words) for doc in docs]
    return score_documents(counts, dates=dates, now=now, top_n=top_n)


def build_reference(counts: Sequence[Counter[str]], min_df: int = 2) -> dict[str, Any]:
    """The layout of `data/idf.json` from the term counts of a reference corpus."""
    df: Counter[str] = Counter()
    for doc_counts in counts:
        df.update(doc_counts.keys())
    kept = {term: n for term, n in sorted(df.items()) if n >= min_df}
    return {"documents": len(counts), "df": kept}
