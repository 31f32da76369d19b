"""The arithmetic of `nlp.evaluate` on a tiny hand-made gold set whose figures are known."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from nlp import evaluate as ev
from nlp.types import ActionItem, Analysis, Concern, TopicScore

TEXT = "Cars race past the school. Parents are afraid. Staff will call the district. Thanks."


def analysis(
    topics: Sequence[str],
    concerns: Sequence[tuple[int, int]] = (),
    actions: Sequence[tuple[int, int]] = (),
) -> Analysis:
    return Analysis(
        sections=(),
        topics=tuple(TopicScore(slug, 1.0, ()) for slug in topics),
        mentions=(),
        concerns=tuple(Concern(s, e, TEXT[s:e]) for s, e in concerns),
        actions=tuple(ActionItem(s, e, TEXT[s:e]) for s, e in actions),
        keywords=(),
        people=(),
        pipeline_version="test",
    )


def gold(
    topics: Sequence[str], concerns: Sequence[str] = (), actions: Sequence[str] = ()
) -> dict[str, Any]:
    return {
        "file": "m.txt",
        "topics": [{"slug": s, "evidence": "x"} for s in topics],
        "concerns": [{"text": c, "topics": []} for c in concerns],
        "actions": [{"text": a, "owner": None} for a in actions],
    }


def test_topics_are_micro_averaged_over_documents_and_counted_per_topic() -> None:
    # Document 1: gold {traffic-safety, youth}, predicted {traffic-safety, crime-trends}.
    # Document 2: gold {youth}, predicted {youth}.  tp 2, predicted 3, gold 3.
    pairs = [(gold(["traffic-safety", "youth"]), TEXT), (gold(["youth"]), TEXT)]
    analyses = [analysis(["traffic-safety", "crime-trends"]), analysis(["youth"])]

    report = ev.evaluate(pairs, analyses)

    assert (report.topics.tp, report.topics.predicted, report.topics.gold) == (2, 3, 3)
    assert report.topics.precision == pytest.approx(2 / 3)
    assert report.topics.recall == pytest.approx(2 / 3)
    assert report.topics.f1 == pytest.approx(2 / 3)
    assert report.per_topic["youth"].recall == pytest.approx(0.5)
    assert report.per_topic["youth"].precision == 1.0
    assert report.per_topic["crime-trends"].precision == 0.0
    assert report.per_topic["crime-trends"].f1 == 0.0
    assert report.documents == 2


def test_a_span_matches_when_the_overlap_is_at_least_half_of_the_shorter_one() -> None:
    assert ev.overlaps_enough((0, 10), (5, 30))  # overlap 5 = half of 10
    assert not ev.overlaps_enough((0, 10), (6, 30))  # overlap 4 < 5
    assert ev.overlaps_enough((0, 4), (0, 100))  # a short prediction inside a long quote
    assert not ev.overlaps_enough((0, 10), (10, 20))  # touching is no overlap


def test_each_gold_quote_and_each_prediction_is_matched_at_most_once() -> None:
    concern = "Parents are afraid."  # 27..46
    # Two predictions on the same gold quote: one true positive, one false positive.
    pairs = [(gold([], concerns=[concern], actions=["Staff will call the district."]), TEXT)]
    analyses = [analysis([], concerns=[(27, 46), (27, 40)], actions=[(0, 26)])]

    report = ev.evaluate(pairs, analyses)

    assert (report.concerns.tp, report.concerns.predicted, report.concerns.gold) == (1, 2, 1)
    assert report.concerns.precision == 0.5 and report.concerns.recall == 1.0
    assert report.concerns.f1 == pytest.approx(2 / 3)
    assert (report.actions.tp, report.actions.predicted, report.actions.gold) == (0, 1, 1)
    assert report.actions.f1 == 0.0


def test_the_matching_prefers_the_largest_overlap() -> None:
    # Prediction A overlaps both gold quotes; B only the second. The best matching is
    # A–first, B–second: two true positives, not one.
    counts = ev.match_spans([(0, 20), (18, 40)], [(0, 16), (14, 40)])
    assert counts.tp == 2


def test_nothing_predicted_and_nothing_expected_is_perfect() -> None:
    report = ev.evaluate([(gold([]), TEXT)], [analysis([])])
    assert report.topics.f1 == 1.0 and report.concerns.f1 == 1.0


def test_a_quote_missing_from_the_minutes_is_an_error() -> None:
    with pytest.raises(ValueError, match="not found"):
        ev.evaluate([(gold([], concerns=["Not in the text."]), TEXT)], [analysis([])])


def test_the_split_file_names_the_dev_and_test_documents() -> None:
    dev, test = ev.split_names("dev"), ev.split_names("test")
    documents = {path.stem for path in (ev.SPLIT_FILE.parent / "gold").glob("*.json")}
    assert len(dev) >= 60 and len(test) >= 24 and not dev & test
    assert dev | test == documents
