"""Personal names for redaction: roster names and names after a title."""

from __future__ import annotations

import pytest

import nlp


@pytest.fixture(scope="module")
def pipeline() -> nlp.Pipeline:
    return nlp.load(roster=["Amina Farah", "Tom Lindgren"])


def people(pipeline: nlp.Pipeline, text: str, **kwargs: object) -> list[tuple[str, str]]:
    (result,) = nlp.analyse([text], pipeline=pipeline, **kwargs)  # type: ignore[arg-type]
    for person in result.people:
        assert text[person.start : person.end] == person.text
    return [(p.text, p.kind) for p in result.people]


@pytest.mark.parametrize(
    "name",
    [
        "Chief Alvarez",
        "Lt. Okafor",
        "Sgt. Dana Kowalczyk",
        "Officer Yer Moua",
        "Deputy Chief Ruth Engebretson",
        "Commissioner Lindqvist",
        "Capt. Anne Sørensen",
        "Cmdr. Thorsby",
        "Det. Rahimi",
        "CSO Jama",
        "Ms. Tran",
        "Mr. Kollie",
        "Mrs. Olsen",
        "Dr. Lee",
        "Rev. Samuel Adjei",
        "Imam Hassan",
        "Rabbi Miriam Feld",
        "Pastor Dennis Oyelaran",
        "Council Member Diaz",
        "Police Chief Engquist",
        "liaison Grace Ndungu",
    ],
)
def test_a_title_and_the_capitalised_words_after_it_are_a_name(
    pipeline: nlp.Pipeline, name: str
) -> None:
    assert people(pipeline, f"Yesterday {name} spoke about the park.") == [(name, "titled")]


def test_words_after_a_title_that_are_not_names_are_left_out(pipeline: nlp.Pipeline) -> None:
    assert people(pipeline, "The Chief's Report was short. Officer Safety Week starts.") == []


def test_roster_names_and_their_surnames_are_found(pipeline: nlp.Pipeline) -> None:
    found = people(pipeline, "Amina Farah asked a question. Farah said thanks. TOM LINDGREN left.")
    assert found == [("Amina Farah", "roster"), ("Farah", "roster"), ("TOM LINDGREN", "roster")]


def test_a_roster_can_be_given_per_call(pipeline: nlp.Pipeline) -> None:
    found = people(pipeline, "Pa Houa Xiong raised the issue.", roster=["Pa Houa Xiong"])
    assert found == [("Pa Houa Xiong", "roster")]
    assert people(pipeline, "Pa Houa Xiong raised the issue.") == []
