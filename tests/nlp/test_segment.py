"""Sentence segmentation of minutes: lists, headings, Q&A, speakers, PDF text, abbreviations."""

from __future__ import annotations

import pytest

import nlp
from nlp.components.segment import MAX_SENTENCE_TOKENS


@pytest.fixture(scope="module")
def pipeline() -> nlp.Pipeline:
    return nlp.load()


def sentences(pipeline: nlp.Pipeline, text: str) -> list[str]:
    ((doc, _),) = pipeline.docs([text])
    return [s.text.strip() for s in doc.sents if s.text.strip()]


def test_numbered_lettered_and_roman_items_each_start_a_sentence(pipeline: nlp.Pipeline) -> None:
    text = (
        "1. Call to order\nChair Ali opened the meeting.\n"
        "VI. New Business\n"
        "a. Review of draft goals\n   i. Members reviewed the goals.\n   ii. Discussion on rooms.\n"
    )
    assert sentences(pipeline, text) == [
        "1. Call to order",
        "Chair Ali opened the meeting.",
        "VI. New Business",
        "a. Review of draft goals",
        "i. Members reviewed the goals.",
        "ii. Discussion on rooms.",
    ]


def test_an_item_whose_marker_lost_its_space_still_starts_a_sentence(
    pipeline: nlp.Pipeline,
) -> None:
    # As PDF text often has it; "U.S." opening a line is no item.
    text = (
        "c.Chair Ali will send the bylaws.\nd.Commissioner Kinney would like to discuss\n"
        "stop data.\n5.Copies of the draft policy\n"
        "U.S. Attorney visit in May, prepared by Ali and\nJ.Smith of the clerk's office.\n"
    )
    assert sentences(pipeline, text) == [
        "c.Chair Ali will send the bylaws.",
        "d.Commissioner Kinney would like to discuss\nstop data.",
        "5.Copies of the draft policy",
        "U.S. Attorney visit in May, prepared by Ali and\nJ.Smith of the clerk's office.",
    ]


@pytest.mark.parametrize("bullet", ["●", "•", "o", "-", "▪"])
def test_bulleted_items_each_start_a_sentence(pipeline: nlp.Pipeline, bullet: str) -> None:
    text = f"Updates\n{bullet} Thefts are down\n{bullet} Speeding on 66th is up\n"
    assert sentences(pipeline, text) == [
        "Updates",
        f"{bullet} Thefts are down",
        f"{bullet} Speeding on 66th is up",
    ]


def test_abbreviations_do_not_end_sentences(pipeline: nlp.Pipeline) -> None:
    text = (
        "Lt. Okafor and Sgt. Vang met Dr. Lee on St. Paul Ave. at 6 p.m. Tuesday. "
        "The U.S. Attorney sent No. 5 to G. Ndungu. The meeting ended at 8 p.m. "
        "Next meeting in May."
    )
    assert sentences(pipeline, text) == [
        "Lt. Okafor and Sgt. Vang met Dr. Lee on St. Paul Ave. at 6 p.m. Tuesday.",
        "The U.S. Attorney sent No. 5 to G. Ndungu.",
        "The meeting ended at 8 p.m.",
        "Next meeting in May.",
    ]


def test_an_abbreviation_in_markdown_emphasis_does_not_end_a_sentence(
    pipeline: nlp.Pipeline,
) -> None:
    text = "- **Sgt. Ray** will bring the speed study. Then __Dr. Lee__ spoke.\n"
    assert sentences(pipeline, text) == [
        "- **Sgt. Ray** will bring the speed study.",
        "Then __Dr. Lee__ spoke.",
    ]


def test_questions_answers_and_speaker_lines(pipeline: nlp.Pipeline) -> None:
    text = (
        "Q: Why are the cameras off? A: Chief Alvarez said they are on.\n"
        "Chief Alvarez: We will post the policy.\n"
        "Ms. Tran: Thank you.\n"
    )
    assert sentences(pipeline, text) == [
        "Q: Why are the cameras off?",
        "A: Chief Alvarez said they are on.",
        "Chief Alvarez: We will post the policy.",
        "Ms. Tran: Thank you.",
    ]


def test_a_pdf_paragraph_without_line_breaks_is_split_at_headings_and_items(
    pipeline: nlp.Pipeline,
) -> None:
    text = (
        "APPROVAL OF MINUTES The minutes were approved. NEW BUSINESS – BODY CAMERAS "
        "Cmdr. Thorsby explained the pilot. 3. Roll call Members present. • Thefts are down"
    )
    assert sentences(pipeline, text) == [
        "APPROVAL OF MINUTES",
        "The minutes were approved.",
        "NEW BUSINESS – BODY CAMERAS",
        "Cmdr. Thorsby explained the pilot.",
        "3. Roll call Members present.",
        "• Thefts are down",
    ]


def test_hard_wrapped_lines_are_joined_and_blank_lines_separate(pipeline: nlp.Pipeline) -> None:
    text = (
        "Inspector Halvorsen said calls by victims of crime are not counted against a\n"
        "property under the ordinance, but agreed that tenants may not know that. The\n"
        "committee agreed to ask Inspector\n"
        "Halvorsen to attend.\n\n"
        "Adjourned"
    )
    assert sentences(pipeline, text) == [
        "Inspector Halvorsen said calls by victims of crime are not counted against a\n"
        "property under the ordinance, but agreed that tenants may not know that.",
        "The\ncommittee agreed to ask Inspector\nHalvorsen to attend.",
        "Adjourned",
    ]


def test_a_word_broken_across_lines_is_one_token_with_the_whole_words_lemma(
    pipeline: nlp.Pipeline,
) -> None:
    text = "Residents of the neigh- borhood asked about traf-\nficking."
    ((doc, _),) = pipeline.docs([text])
    broken = [t for t in doc if "-" in t.text and len(t.text) > 1]
    assert [(t.text, t.lemma_) for t in broken] == [
        ("neigh- borhood", "neighborhood"),
        ("traf-\nficking", "trafficking"),
    ]
    assert doc.text == text


def test_a_run_on_text_is_cut_into_bounded_sentences(pipeline: nlp.Pipeline) -> None:
    text = "word " * (MAX_SENTENCE_TOKENS * 4)
    ((doc, _),) = pipeline.docs([text])
    assert max(len(s) for s in doc.sents) <= MAX_SENTENCE_TOKENS
