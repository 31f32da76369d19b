"""Search terms: the index and the query see words alike."""

from __future__ import annotations

import random
from pathlib import Path

from nlp import index_terms, matching_spans, query_terms, term_spans


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


def test_the_matches_of_some_terms_are_the_spans_of_those_terms() -> None:
    """What snippets mark: for every labelled minutes document (accents, digits, PDF breaks)
    and every query, exactly the spans of those terms, in order."""
    docs = sorted((Path(__file__).parents[2] / "nlp/data/eval/docs").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in docs]
    texts += [
        "Residents: STOPS, stop-signs! stop_signs stops2 ¿stop? Stöp",
        "STOPPED, Stopping and stop_Signs; CAMERAS, cameraE 911s 911 SPED speeders, Near-by",
        "“Stops” – Ms. Ödön’s stöps; stopé stops² x\u0301stop schoolş",
        "İstanbul stops İnterpreter speeding",  # a lower case longer than the letter
    ]
    assert sum(text.isascii() for text in texts) > 10 and not all(map(str.isascii, texts))
    queries = ["stop", "speeding near the school", "body cameras", "interpreter 911", "stöp"]
    found = 0
    for query in queries:
        wanted = set(query_terms(query))
        for text in texts:
            expected = [span for span in term_spans(text) if span[2] in wanted]
            assert matching_spans(text, wanted) == expected, (query, text[:60])
            found += len(expected)
    assert found > 100


def test_the_matches_in_texts_of_mixed_letters_are_the_spans_of_those_terms() -> None:
    """Snippets find the same words as the index in any text: random runs of ASCII and other
    letters, digits, underscores, combining marks, curly quotes and letters whose lower case is
    longer, against the words each query should find."""
    rng = random.Random(20261127)
    pieces = [
        *("stop", "Stops", "STOPPED", "stöp", "camera", "Cameras", "school", "SCHOOLS", "sped"),
        *("ing", "é", "İ", "ß", "911", "²", "_", " ", " ", "-", "’", "“", "\u0301"),
        *("K9", "\u212a9", "k"),  # the Kelvin sign, whose lower case is an ASCII "k"
    ]
    queries = ["stop", "body cameras", "speeding near the school", "interpreter 911", "stöp k9"]
    found = 0
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        for query in queries:
            wanted = set(query_terms(query))
            expected = [span for span in term_spans(text) if span[2] in wanted]
            assert matching_spans(text, wanted) == expected, (query, text)
            found += len(expected)
    assert found > 300
