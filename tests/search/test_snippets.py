"""Snippets: the passage around the matches, the matched words marked, everything else text."""

from __future__ import annotations

from bs4 import BeautifulSoup

from jcpp.search.snippets import WIDTH, make_snippet


def _parts(html: str) -> tuple[str, list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    return soup.get_text(), [mark.get_text() for mark in soup.select("mark")]


def test_the_passage_holds_the_most_query_words_and_marks_them() -> None:
    text = (
        "Parking downtown was mentioned. "
        + "Unrelated words fill this part of the minutes. " * 10
        + "Residents said parking near the school causes traffic stops every morning."
    )
    snippet = make_snippet(text, ["parking", "traffic", "stop"])
    shown, marks = _parts(snippet.html)
    assert marks == ["parking", "traffic", "stops"]
    assert shown.startswith("…") and "school" in shown
    assert len(shown) <= WIDTH + 2
    assert snippet.phrase == "parking near the school"  # the first match shown
    assert snippet.text_fragment == ":~:text=parking%20near%20the%20school"


def test_markup_signs_and_line_breaks_are_left_out_but_html_stays_text() -> None:
    text = "# Old business\n\n**Traffic** on <i>Elm</i> & Oak"
    shown, marks = _parts(make_snippet(text, ["traffic"]).html)
    assert shown == "Old business Traffic on <i>Elm</i> & Oak"
    assert marks == ["Traffic"]


def test_a_text_without_the_words_shows_its_beginning_unmarked() -> None:
    snippet = make_snippet("The budget was adopted.", ["parking"])
    assert _parts(snippet.html) == ("The budget was adopted.", [])
    assert snippet.text_fragment == ""
