"""Bad input: no crash, bounded (linear) work, offsets still slices of the text.

Work is counted, not timed: the number of Python function calls an analysis makes (cProfile)
is the same on a quiet machine and a loaded one, and grows with the text as the time does.
"""

from __future__ import annotations

import cProfile
import random
from pathlib import Path

import pytest

import nlp
from nlp.types import Analysis

MINUTES = (Path(nlp.__file__).parent / "data" / "eval" / "docs" / "a01.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def pipeline() -> nlp.Pipeline:
    return nlp.load()


def analyse(pipeline: nlp.Pipeline, text: str) -> Analysis:
    (result,) = nlp.analyse([text], pipeline=pipeline)
    spans = [*result.mentions, *result.concerns, *result.actions, *result.people]
    spans += [m.sentence for m in result.mentions]
    for span in spans:
        assert text[span.start : span.end] == span.text
    for section in result.sections:
        assert 0 <= section.start < section.end <= len(text)
    return result


def calls(pipeline: nlp.Pipeline, text: str) -> int:
    """Python function calls made analysing `text`: the work done, independent of load."""
    profiler = cProfile.Profile()
    profiler.enable()
    analyse(pipeline, text)
    profiler.disable()
    return sum(entry.callcount for entry in profiler.getstats())


def ordinary(length: int) -> str:
    """Real minutes repeated to `length` characters."""
    return ((MINUTES + "\n") * (length // len(MINUTES) + 1))[:length]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", ".", "-", "•", "1.", "Q:", "A:\n"])
def test_empty_and_tiny_texts(pipeline: nlp.Pipeline, text: str) -> None:
    result = analyse(pipeline, text)
    assert result.topics == () and result.concerns == () and result.keywords == ()


def test_binary_garbage(pipeline: nlp.Pipeline) -> None:
    rng = random.Random(3)
    garbage = bytes(rng.randrange(256) for _ in range(60_000))
    analyse(pipeline, garbage.decode("utf-8", errors="replace"))
    analyse(pipeline, garbage.decode("latin-1"))
    analyse(pipeline, "\x00\x01\x02 text \x7f" * 2000)


def test_lone_surrogates_are_replaced_and_offsets_kept(pipeline: nlp.Pipeline) -> None:
    text = "Speeding \ud800 near the school.\udfff"
    (result,) = nlp.analyse([text], pipeline=pipeline)
    assert result.warnings
    for mention in result.mentions:
        assert mention.end <= len(text)


def test_non_english_text(pipeline: nlp.Pipeline) -> None:
    text = (
        "Собрание комитета. Полиция сообщила о кражах. 警察と地域社会の会議。 Reunión del comité. "
        * 200
    )
    result = analyse(pipeline, text)
    assert result.topics == ()


def test_html_and_script_are_text_like_any_other(pipeline: nlp.Pipeline) -> None:
    text = '<script>alert("x")</script><p onclick="x()">Speeding near the <b>school</b></p>\n' * 50
    result = analyse(pipeline, text)
    assert all("<" not in k.term and "script" not in k.term for k in result.keywords)


def test_minutes_ten_times_longer_take_about_ten_times_the_work(pipeline: nlp.Pipeline) -> None:
    analyse(pipeline, ordinary(10_000))  # warm caches, so both counts are of the same work
    small = calls(pipeline, ordinary(50_000))
    large = calls(pipeline, ordinary(500_000))
    assert large < 15 * small  # ten times the text, about ten times the work: not quadratic


@pytest.mark.parametrize(
    "text",
    [
        "Residents said speeding on Elm Street is a problem " * 20_000,  # one run-on sentence
        "." * 300_000,
        "\n" * 300_000,
        "neigh- borhood " * 30_000,
        "NEW BUSINESS " * 30_000,
        "1. a. i. • o - " * 30_000,
        "<" * 200_000,  # the tokenizer alone would take minutes on this
        "<script>alert(1)</script>" * 20_000,
        "a>b<c(d)[e]{f}" * 20_000,
    ],
)
def test_pathological_shapes_take_no_more_work_than_minutes(
    pipeline: nlp.Pipeline, text: str
) -> None:
    analyse(pipeline, ordinary(10_000))
    assert calls(pipeline, text) < 3 * calls(pipeline, ordinary(len(text)))
    ((doc, _),) = pipeline.docs([text])
    assert doc.text == text


def test_a_text_longer_than_the_limit_is_cut_with_a_warning(pipeline: nlp.Pipeline) -> None:
    from nlp.pipeline import MAX_CHARS

    text = "Speeding near the school. " + "x " * (MAX_CHARS // 2)
    (result,) = nlp.analyse([text], pipeline=pipeline)
    assert result.warnings
    assert "traffic-safety" in {t.slug for t in result.topics}


def test_analyse_refuses_a_single_string() -> None:
    with pytest.raises(TypeError):
        nlp.analyse("Speeding near the school.")  # type: ignore[arg-type]
