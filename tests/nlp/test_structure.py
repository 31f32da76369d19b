"""Sections of minutes from agenda numbering and headings."""

from __future__ import annotations

import pytest

import nlp


@pytest.fixture(scope="module")
def pipeline() -> nlp.Pipeline:
    return nlp.load()


def sections(pipeline: nlp.Pipeline, text: str) -> list[tuple[str, int]]:
    (result,) = nlp.analyse([text], pipeline=pipeline)
    for section in result.sections:
        assert 0 <= section.start < section.end <= len(text)
    return [(s.heading, s.level) for s in result.sections]


def test_numbered_agenda_with_lettered_and_roman_items(pipeline: nlp.Pipeline) -> None:
    text = (
        "1. Call to order\nChair Ali opened the meeting.\n\n"
        "2. Work plan\na. Review of goals\n   i. Members reviewed the goals.\nb. Membership\n"
        "Two applications are pending.\n\nVI. New Business\nNone.\n"
    )
    assert sections(pipeline, text) == [
        ("Call to order", 1),
        ("Work plan", 1),
        ("Review of goals", 2),
        ("Membership", 2),
        ("New Business", 1),
    ]


def test_a_section_runs_to_the_next_heading_of_its_level(pipeline: nlp.Pipeline) -> None:
    text = "1. Traffic\na. Speeding\nCars race.\nb. Parking\nCars park.\n2. Events\nNNO.\n"
    (result,) = nlp.analyse([text], pipeline=pipeline)
    traffic, speeding, parking, events = result.sections
    assert (
        text[traffic.start : traffic.end]
        == "1. Traffic\na. Speeding\nCars race.\nb. Parking\nCars park."
    )
    assert text[speeding.start : speeding.end] == "a. Speeding\nCars race."
    assert text[events.start : events.end] == "2. Events\nNNO."
    assert parking.level == 2


def test_markdown_table_bullet_and_capital_headings(pipeline: nlp.Pipeline) -> None:
    markdown = "## Minutes\n#### 2. Drones — pilot\nSgt. Ahn described the pilot.\n"
    assert sections(pipeline, markdown) == [("Minutes", 1), ("Drones — pilot", 3)]
    table = "| # | Item | Discussion |\n|---|---|---|\n| 2 | Staffing | Four vacancies. |\n"
    assert ("Staffing", 1) in sections(pipeline, table)
    bullets = "• Year-end numbers\n   o Calls for service are down.\n• Survey\n   o Results.\n"
    assert sections(pipeline, bullets) == [("Year-end numbers", 1), ("Survey", 1)]
    pdf = "APPROVAL OF MINUTES The minutes were approved. NEW BUSINESS Chief Ali said more."
    assert sections(pipeline, pdf) == [("APPROVAL OF MINUTES", 1), ("NEW BUSINESS", 1)]
