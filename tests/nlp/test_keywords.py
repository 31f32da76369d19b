"""Keywords in the manner of Council Data Project."""

from __future__ import annotations

import datetime as dt

import pytest

import nlp
from nlp.keywords import decay, keywords

TEXT = (
    "Residents reported catalytic converter thefts on Elm Street. "
    "Catalytic converter thefts doubled, said the sergeant. "
    "Motion to approve the minutes; the motion carried. "
    "Members asked about catalytic converter thefts again."
)


@pytest.fixture(scope="module")
def pipeline() -> nlp.Pipeline:
    return nlp.load()


def terms(result: list[nlp.types.Keyword]) -> list[str]:
    return [k.term for k in result]


def test_lemmatised_ngrams_rank_first_and_procedure_words_are_left_out(
    pipeline: nlp.Pipeline,
) -> None:
    (found,) = keywords([TEXT], pipeline=pipeline)
    assert "catalytic converter theft" in terms(found)[:3]
    for word in ("motion", "approve", "minute", "the"):
        assert all(word not in t.split() for t in terms(found))
    scores = [k.score for k in found]
    assert scores == sorted(scores, reverse=True)


def test_no_ngram_crosses_a_sentence_or_punctuation(pipeline: nlp.Pipeline) -> None:
    text = "Speeding trucks. Parking enforcement, snow plows, speeding trucks; parking enforcement."
    (found,) = keywords([text], pipeline=pipeline)
    for term in terms(found):
        assert term not in ("truck parking", "enforcement snow", "plow speed")
    assert {"speed truck", "parking enforcement"} <= set(terms(found))


def test_personal_names_are_never_keywords(pipeline: nlp.Pipeline) -> None:
    text = "Ms. Abdullahi asked. Then Fartun Abdullahi asked about drones. Drones were discussed."
    (found,) = keywords([text], pipeline=pipeline)
    assert not any("abdullahi" in t or "fartun" in t for t in terms(found))
    assert "drone" in terms(found)


def test_older_documents_weigh_less_when_dates_are_given(pipeline: nlp.Pipeline) -> None:
    now = dt.date(2026, 1, 1)
    old, new = keywords(
        [TEXT, TEXT], [dt.date(2024, 1, 1), dt.date(2025, 12, 1)], now, pipeline=pipeline
    )
    assert terms(old) == terms(new)
    assert old[0].score < new[0].score
    assert decay(now, now) == 1.0
    assert decay(dt.date(2025, 1, 1), now) == pytest.approx(0.5, abs=0.01)
    assert decay(None, now) == 1.0


def test_top_n_and_the_analysis_carry_the_same_keywords(pipeline: nlp.Pipeline) -> None:
    (three,) = keywords([TEXT], top_n=3, pipeline=pipeline)
    (result,) = nlp.analyse([TEXT], pipeline=pipeline)
    assert len(three) == 3
    assert terms(three) == terms(list(result.keywords))[:3]


def test_empty_text_has_no_keywords(pipeline: nlp.Pipeline) -> None:
    assert keywords(["", "   "], pipeline=pipeline) == [[], []]
