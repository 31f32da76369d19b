"""Cross-validation on the dev part: folds by writer, each document analysed once."""

from __future__ import annotations

from nlp import crossval
from nlp import evaluate as ev


def test_folds_deal_each_writer_s_documents_round_robin() -> None:
    names = ["a01", "a02", "a03", "a04", "a05", "b01", "b02", "v01"]
    folds = crossval.assign_folds(names, 2)

    assert folds == {
        "a01": 0, "a02": 1, "a03": 0, "a04": 1, "a05": 0, "b01": 0, "b02": 1, "v01": 0,
    }  # fmt: skip


def test_every_dev_document_is_scored_once_by_a_model_trained_without_it() -> None:
    pairs = ev.read_gold(crossval.GOLD_DIR, None, {"a01", "a02", "b01", "b02"})
    report = crossval.cross_validate(pairs, folds=2, epochs=1)

    assert report.documents == 4
    assert set(report.errors) == {"a01.txt", "a02.txt", "b01.txt", "b02.txt"}
    rules = crossval.cross_validate(pairs, rules_only=True)
    assert rules.documents == 4
    assert rules.concerns.as_dict() == report.concerns.as_dict()  # the classifier adds topics only
