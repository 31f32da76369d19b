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


def test_names_on_attendance_lines_of_people_are_found(pipeline: nlp.Pipeline) -> None:
    text = (
        "Members present: Amina Farah, Chue Lee and Omar Khalil\n"
        "Staff: Hodan Warsame (community liaison)\n"
        "Members absent – Patience Kamara (excused); Tamba Kollie\n"
        "e. Guests: Keisha Jackson of Oak Grove, Saw Lah Soe, Maria de la Cruz, Łucja Đặng\n"
        "Also present: Marcus Okafor (police), Jackson, Dana\n"
        "VISITORS: NGOZI ADEYEMI AND ZAHRA ALI\n"
        "Public comment\n"
        "Keisha Jackson said the videos of fights are shared online.\n"
    )
    assert people(pipeline, text) == [
        ("Amina Farah", "roster"),
        ("Chue Lee", "listed"),
        ("Omar Khalil", "listed"),
        ("Patience Kamara", "listed"),
        ("Tamba Kollie", "listed"),
        ("Keisha Jackson", "listed"),
        ("Saw Lah Soe", "listed"),
        ("Maria de la Cruz", "listed"),
        ("Łucja Đặng", "listed"),
        ("Jackson", "listed"),
        ("Dana", "listed"),
        ("NGOZI ADEYEMI", "listed"),
        ("ZAHRA ALI", "listed"),
    ]  # staff and people there for the police are left to the roster and the titles


def test_attendance_lines_without_names_name_nobody(pipeline: nlp.Pipeline) -> None:
    text = (
        "Present: 7 members, 2 staff\n"
        "Guests: none\n"
        "Absent: None.\n"
        "Visitors: two residents of Oak Grove\n"
        "Residents present said the crosswalk on Elm Street is dangerous.\n"
    )
    assert people(pipeline, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Guests" + " " * 200_000 + "x",
        "Guests: Ab Cd" + " " * 200_000 + "(x",
        "Guests: " + ", ".join(f"Aa{n} Bb{n}" for n in range(40_000)),
        "Present: " + "Ab " * 300_000,
    ],
)
def test_long_attendance_lines_take_bounded_time(pipeline: nlp.Pipeline, text: str) -> None:
    (result,) = nlp.analyse([text], pipeline=pipeline)  # would take minutes if quadratic
    assert all(text[p.start : p.end] == p.text for p in result.people)
