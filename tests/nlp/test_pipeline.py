"""The pipeline's public face: load, analyse, offsets that are slices of the text."""

from __future__ import annotations

from pathlib import Path

import nlp
from nlp.types import Analysis

MINUTES = """1. Call to order
Chair Villalobos called the meeting to order at 6:34 p.m.

2. Police department report
Lt. Okafor reviewed calls for service. Residents on Elm Street say cars race past the school.
Lt. Okafor will bring stop data to the next meeting.
"""


def test_analyse_returns_one_analysis_per_text_with_the_version() -> None:
    results = nlp.analyse([MINUTES, ""])
    assert len(results) == 2
    assert all(isinstance(r, Analysis) for r in results)
    assert results[0].pipeline_version == nlp.PIPELINE_VERSION
    assert results[1].topics == () and results[1].mentions == ()


def test_every_offset_is_a_slice_of_the_text() -> None:
    (result,) = nlp.analyse([MINUTES])
    spans = [*result.mentions, *result.concerns, *result.actions, *result.people]
    spans += [m.sentence for m in result.mentions]
    assert spans
    for span in spans:
        assert MINUTES[span.start : span.end] == span.text


def test_the_default_pipeline_is_built_once() -> None:
    nlp.analyse(["Speeding near the school."])
    first = nlp.default_pipeline()
    nlp.analyse(["Speeding near the school."])
    assert nlp.default_pipeline() is first


def test_load_takes_a_topic_list() -> None:
    topics = [nlp.TopicDefinition(slug="bikes", name="Bikes", terms=("bicycle",))]
    pipeline = nlp.load(topics)
    (result,) = nlp.analyse(["Two bicycles were stolen from the rack."], pipeline=pipeline)
    assert [t.slug for t in result.topics] == ["bikes"]
    assert result.topics[0].evidence[0].text == "bicycles"


def test_a_saved_pipeline_loads_and_tags_the_same(tmp_path: Path) -> None:
    import spacy

    pipeline = nlp.load(roster=["Amina Farah"])
    pipeline.language.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    text = "Amina Farah said the Officers' training on body cameras was good."
    again = nlp.Pipeline(language=loaded, topics=pipeline.topics)
    (first,) = nlp.analyse([text], pipeline=pipeline)
    (second,) = nlp.analyse([text], pipeline=again)
    assert first == second
    assert {t.slug for t in second.topics} == {"training", "body-cameras"}


def test_a_list_number_that_lost_its_space_is_no_part_of_the_owner() -> None:
    # PDF text often glues the item number to the first word.
    text = (
        "New business\n4.Chief Ortiz will send the stop data to members.\n"
        "12.Sgt. Moua will meet the school district.\n"
    )
    (result,) = nlp.analyse([text])
    assert [a.owner for a in result.actions] == ["Chief Ortiz", "Sgt. Moua"]
    assert [a.text for a in result.actions] == [
        "Chief Ortiz will send the stop data to members.",
        "Sgt. Moua will meet the school district.",
    ]


def test_a_dash_glued_to_a_note_is_a_bullet_not_part_of_it() -> None:
    text = "Follow-up\n-Will set agenda with Superintendent.\n-Lou will contact the Chief.\n"
    (result,) = nlp.analyse([text])
    assert [(a.text, a.owner) for a in result.actions] == [
        ("Will set agenda with Superintendent.", None),
        ("Lou will contact the Chief.", "Lou"),
    ]


def test_a_line_break_kept_as_markup_ends_a_sentence() -> None:
    # Text copied from a web page's viewer keeps its "<br />" and no newline.
    text = (
        "The chief reviewed the stop data. <br />Tony Harrelson will send the flyer to members."
        " <br />Residents are worried about speeding on Elm."
    )
    (result,) = nlp.analyse([text])
    assert [(a.text, a.owner) for a in result.actions] == [
        ("Tony Harrelson will send the flyer to members.", "Tony Harrelson")
    ]
    assert [c.text for c in result.concerns] == ["Residents are worried about speeding on Elm."]
    (result,) = nlp.analyse(["Speeding is up. <BR/>Tony Harrelson will send the flyer."])
    assert [(a.text, a.owner) for a in result.actions] == [
        ("Tony Harrelson will send the flyer.", "Tony Harrelson")
    ]
