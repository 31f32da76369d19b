"""The demo minutes generator: every shape, determinism, length, roll call and variety."""

from __future__ import annotations

import datetime as dt
import random
import re
import string
from typing import Any

from jcpp.demo.minutes_text import (
    DISCUSSION_ITEMS,
    PLACEHOLDERS,
    SHAPES,
    RosterEntry,
    _next_meeting_date,
    write_minutes,
)

ROSTER = [
    RosterEntry("Amina Farah", "chair", None),
    RosterEntry("Jorge Castañeda", "member", None),
    RosterEntry("Mai Lee Vang", "member", None),
    RosterEntry("Erik Lindqvist", "member", None),
    RosterEntry("Deqa Ali", "member", None),
    RosterEntry("Maria Alvarez", "police", "Chief"),
    RosterEntry("Marcus Okafor", "police", "Lt."),
    RosterEntry("Pao Vang", "police", "Sgt."),
    RosterEntry("Rosa Rivera", "liaison", None),
]
PRESENT = ["Amina Farah", "Jorge Castañeda", "Erik Lindqvist", "Deqa Ali", "Maria Alvarez",
           "Marcus Okafor", "Rosa Rivera"]  # fmt: skip
CITIES = ("Bloomington", "Brooklyn Center", "Brooklyn Park", "Crystal", "Edina", "Hopkins",
          "Minnetonka", "New Hope", "Richfield", "Robbinsdale", "St. Louis Park")  # fmt: skip
SPEAKER_LINE = re.compile(r"^(Chief|Lt\.|Sgt\.|Officer|Commander) \w+: ", re.MULTILINE)


def _doc(seed: int | str, shape: str | None = None, *, city: str = "Richfield",
         day: dt.date = dt.date(2024, 3, 20), present: list[str] | None = None,
         **options: Any) -> str:  # fmt: skip
    return write_minutes(
        random.Random(seed),
        city=city,
        committee=f"{city} Multicultural Advisory Committee",
        meeting_date=day,
        roster=ROSTER,
        present=PRESENT if present is None else present,
        shape=shape,
        **options,
    )


def _flat(text: str) -> str:
    return " ".join(text.split())


def _guess_shape(text: str) -> str:
    if "\n" not in text:
        return "pdf_flat"
    markers = (
        ("markdown", "\n## "),
        ("qa", "\nQ: "),
        ("roman", "\nVI. New Business"),
        ("numbered", "\n1. Call to order"),
        ("bullets", "\n● "),
        ("bullets", "\n• "),
    )
    for shape, marker in markers:
        if marker in text:
            return shape
    return "speakers" if SPEAKER_LINE.search(text) else "unknown"


def _opening_marks() -> list[str]:
    """The longest fixed piece of every opening template, lower-cased, in pool order."""
    marks = []
    for item in DISCUSSION_ITEMS:
        for template in item.openings:
            pieces = [literal for literal, _, _, _ in string.Formatter().parse(template)]
            marks.append(max(pieces, key=len).strip().lower())
    return marks


def test_the_shapes_are_the_seven_known_ones() -> None:
    assert set(SHAPES) == {"numbered", "roman", "bullets", "qa", "speakers", "pdf_flat", "markdown"}


def test_each_shape_is_produced_and_differs_from_the_others() -> None:
    texts = {shape: _doc(7, shape) for shape in SHAPES}
    assert len(set(texts.values())) == len(SHAPES)
    assert {shape: _guess_shape(text) for shape, text in texts.items()} == {s: s for s in SHAPES}
    assert "2. Roll call" in texts["numbered"] and "\n      i. " in texts["numbered"]
    assert all(mark in texts["bullets"] for mark in ("●", "•", "\n   o ", "\n- "))
    assert "\nA: " in texts["qa"]
    assert "## Old business" in texts["markdown"] and "**" in texts["markdown"]


def test_shape_none_picks_every_shape_over_many_documents() -> None:
    assert {_guess_shape(_doc(seed)) for seed in range(80)} == set(SHAPES)


def test_same_seed_gives_the_same_text_and_other_seeds_differ() -> None:
    for shape in (*SHAPES, None):
        assert _doc("a:2024-03-20", shape) == _doc("a:2024-03-20", shape)
    assert len({_doc(seed, "numbered") for seed in range(10)}) == 10


def test_word_counts_stay_between_300_and_1500() -> None:
    for seed in range(40):
        for shape in SHAPES:
            words = len(_doc(seed, shape, city=CITIES[seed % len(CITIES)]).split())
            assert 300 <= words <= 1500, (seed, shape, words)


def test_short_or_odd_rosters_still_make_full_minutes() -> None:
    for present in ([], ["Someone Not On The Roster"], ["Amina Farah"]):
        for shape in SHAPES:
            words = len(_doc(3, shape, present=present).split())
            assert 300 <= words <= 1500, (present, shape, words)


def test_the_roll_call_names_everyone_present_and_the_city() -> None:
    for seed in range(5):
        for shape in SHAPES:
            text = _flat(_doc(seed, shape, city="Crystal"))
            assert all(name in text for name in PRESENT), (seed, shape)
            assert "crystal" in text.lower()


def test_police_speak_with_their_titles() -> None:
    text = _doc(11, "speakers")
    assert SPEAKER_LINE.search(text)
    assert "Lt. Okafor" in text or "Chief Alvarez" in text


def test_pdf_flat_is_one_line_with_a_page_header_in_the_middle() -> None:
    for seed in range(20):
        text = _doc(seed, "pdf_flat")
        assert "\n" not in text
        at = text.find("Page 2")
        assert 0.2 * len(text) < at < 0.9 * len(text)
        assert "  " in text


def test_next_meeting_keeps_the_weekday_and_week_of_the_month() -> None:
    assert _next_meeting_date(dt.date(2024, 3, 20)) == dt.date(2024, 4, 17)
    assert _next_meeting_date(dt.date(2024, 1, 31)) == dt.date(2024, 2, 28)
    assert _next_meeting_date(dt.date(2024, 12, 2)) == dt.date(2025, 1, 6)


def test_the_pool_is_large_and_its_templates_use_known_placeholders() -> None:
    assert len(DISCUSSION_ITEMS) >= 60
    assert len({item.topic for item in DISCUSSION_ITEMS}) == 26
    for item in DISCUSSION_ITEMS:
        assert len(item.openings) >= 3 and item.actions and item.qa
        texts = [*item.openings, *item.details, *item.concerns, *(vp for _, vp in item.actions)]
        texts += [part for pair in item.qa for part in pair]
        fields = {f for text in texts for _, f, _, _ in string.Formatter().parse(text) if f}
        assert fields <= set(PLACEHOLDERS), item.subject


def test_a_large_sample_covers_many_distinct_discussion_items() -> None:
    marks = _opening_marks()
    seen: set[int] = set()
    golf = 0
    for index in range(200):
        month = dt.date(2023 + index // 132, 1 + index // 11 % 12, 15)
        text = _flat(_doc(f"sample:{index}", city=CITIES[index % 11], day=month))
        lowered = text.lower()
        seen |= {i for i, mark in enumerate(marks) if mark in lowered}
        golf += "Safety Fair Golf Outing" in text
    assert len(seen) >= 120
    items = {i // 3 for i in seen}
    assert len(items) >= 55
    assert golf > 0


def test_minutes_state_the_meeting_s_own_time_and_place() -> None:
    made_up = ("Room 104", "Council Chambers", "Meeting Room B", "Microsoft Teams", "Training Room")
    stated = 0
    for seed, shape in enumerate(SHAPES * 4):
        text = _doc(
            seed, shape, city="Crystal", start=dt.time(19, 15),
            place="Crystal Community Center, Gym B",
        )  # fmt: skip
        assert not any(marker in text for marker in made_up), (shape, text[:300])
        opened = re.search(r"(?:order|meeting) at (\d{1,2}):(\d{2})", text)
        if opened:
            assert (int(opened[1]), int(opened[2])) >= (7, 15), (shape, opened[0])
        stated += "Gym B" in text
    assert stated >= len(SHAPES)  # most shapes name the place in their heading


def test_a_topic_left_out_is_not_raised_in_public_comment_either() -> None:
    topic = "hate-bias-incidents"
    clauses = [c.split("{")[0] for i in DISCUSSION_ITEMS if i.topic == topic for c in i.concerns]
    marks = [m for m in clauses if len(m) > 20]
    assert marks
    public_comment = 0
    for seed in range(60):
        text = _doc(seed, city="Hopkins", day=dt.date(2025, 3, 20), exclude=(topic,))
        public_comment += "Public Comment" in text or "Public comment" in text
        flat = _flat(text)
        assert not [m for m in marks if _flat(m) in flat], seed
    assert public_comment
