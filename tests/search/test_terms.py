"""Search terms: the index and the query see words alike."""

from __future__ import annotations

from nlp import index_terms, query_terms, term_spans


def test_plural_and_inflected_forms_meet_their_lemma() -> None:
    assert query_terms("stops") == ["stop"]
    assert query_terms("meetings") == ["meeting"]
    assert index_terms("The officers stopped two cars") == "officer stop two car"


def test_words_the_pipeline_keeps_as_nouns_stay_nouns() -> None:
    # The pipeline's overrides: "housing" is not "house", "training" is not "train".
    assert index_terms("Housing and training") == "housing training"


def test_case_accents_and_function_words() -> None:
    assert index_terms("CAFÉ Résumé of the Mayor") == "cafe resume mayor"
    assert query_terms("the of and") == []


def test_query_terms_are_distinct_in_the_order_typed() -> None:
    assert query_terms("parking Parking stops park") == ["parking", "stop", "park"]


def test_spans_point_at_the_original_words() -> None:
    text = "Residents: STOPS, stop-signs!"
    spans = list(term_spans(text))
    assert [(text[s:e], term) for s, e, term in spans] == [
        ("Residents", "resident"),
        ("STOPS", "stop"),
        ("stop", "stop"),
        ("signs", "sign"),
    ]


def test_terms_hold_letters_and_digits_only() -> None:
    for text in ("½ ﬁne ǅemal", "l'été", 'say "hi" & bye | ok!', "x\u0301y"):
        for term in index_terms(text).split():
            assert term.isalnum(), (text, term)
    assert index_terms("½") == "12"
