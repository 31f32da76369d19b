"""Titles made from Markdown minutes read as plain words (jcpp.web.markdown.plain_words)."""

from __future__ import annotations

import pytest

from jcpp.web.markdown import plain_piece, plain_words


@pytest.mark.parametrize(
    ("span", "title"),
    [
        (
            "The liaison** will invite the **county** engineer",
            "The liaison will invite the county engineer",
        ),
        ("*Staff* will   look\nfor a `larger` room", "Staff will look for a larger room"),
        ("__Chief__ will send the stop_data file", "Chief will send the stop_data file"),
    ],
)
def test_emphasis_marks_and_extra_space_go(span: str, title: str) -> None:
    assert plain_words(span) == title


@pytest.mark.parametrize(
    ("piece", "shown"),
    [
        ("Concern:** Tenants say  the\nwebsite", "Concern: Tenants say the website"),
        ("## Chief's report\nThe chief ", "Chief's report The chief "),
        (" the **body camera** ", " the body camera "),
        (" # 5 was broken into", " # 5 was broken into"),
        ("Calls:\n# Patrol\nUnit # 5", "Calls: Patrol Unit # 5"),
    ],
)
def test_a_piece_loses_its_marks_and_keeps_its_ends(piece: str, shown: str) -> None:
    assert plain_piece(piece) == shown
