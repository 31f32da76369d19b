"""Titles made from Markdown minutes read as plain words (jcpp.web.markdown.plain_words)."""

from __future__ import annotations

import pytest

from jcpp.web.markdown import plain_words


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
