"""Cross-validation on the dev part of the labelled minutes: how the rules and the classifier do on
minutes the classifier was not trained on.

    .venv/bin/python -m nlp.crossval [--folds 4] [--rules-only] [--errors]

`jcpp nlp evaluate --split dev` scores the shipped classifier, which is trained on every dev
document, so its dev figures flatter it. Here the dev documents are dealt into folds, round robin
within each writer (the first letter of a name), so every fold holds some of every writer's
minutes; for each fold a classifier is trained on the labelled passages and the other folds'
documents, and it analyses the fold. The test part is never read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

import nlp
from nlp import classifier as model
from nlp import evaluate as ev
from nlp import taxonomy
from nlp.types import Analysis

GOLD_DIR = model.DATA_DIR / "eval" / "gold"


def assign_folds(names: Sequence[str], folds: int) -> dict[str, int]:
    """Fold per document name: round robin, in name order, within each writer."""
    by_writer: dict[str, list[str]] = {}
    for name in sorted(names):
        by_writer.setdefault(name[:1], []).append(name)
    return {name: k % folds for group in by_writer.values() for k, name in enumerate(group)}


def cross_validate(
    pairs: Sequence[tuple[dict[str, Any], str]],
    *,
    folds: int = 4,
    rules_only: bool = False,
    epochs: int = model.EPOCHS,
) -> ev.Report:
    """The report over all the documents, each analysed by a classifier trained without it."""
    rules = nlp.load(shipped_model=False)
    texts = [text for _, text in pairs]
    if rules_only:
        return ev.evaluate(pairs, nlp.analyse(texts, pipeline=rules))
    labels = [topic.slug for topic in taxonomy.default_topics()]
    names = [_stem(gold) for gold, _ in pairs]
    fold_of = assign_folds(names, folds)
    passages = model.passage_examples(rules.language, model.read_passages(), labels)
    docs = rules.docs(texts)
    per_doc = [
        model.document_examples(doc, gold, text, labels)
        for (gold, text), (doc, _) in zip(pairs, docs, strict=True)
    ]
    analyses: list[Analysis | None] = [None] * len(pairs)
    for fold in range(folds):
        held = [k for k, name in enumerate(names) if fold_of[name] == fold]
        if not held:
            continue
        examples = list(passages)
        for name, found in zip(names, per_doc, strict=True):
            if fold_of[name] != fold:
                examples.extend(found)
        trained = model.train(examples, labels, version=f"fold-{fold}", epochs=epochs)
        pipeline = nlp.load(model=trained)
        results = nlp.analyse([texts[k] for k in held], pipeline=pipeline)
        for k, analysis in zip(held, results, strict=True):
            analyses[k] = analysis
        print(f"fold {fold + 1}/{folds}: {len(held)} documents", file=sys.stderr)
    done = [a for a in analyses if a is not None]
    assert len(done) == len(pairs), "every document is in one fold"
    return ev.evaluate(pairs, done)


def _stem(gold: dict[str, Any]) -> str:
    return str(gold["file"]).rsplit(".", 1)[0]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--rules-only", action="store_true", help="no classifier at all")
    parser.add_argument("--errors", action="store_true", help="missed and extra topics per file")
    args = parser.parse_args(argv)
    pairs = ev.read_gold(GOLD_DIR, None, ev.split_names("dev"))
    report = cross_validate(pairs, folds=args.folds, rules_only=args.rules_only)
    print(ev.format_report(report))
    if args.errors:
        for name, errors in sorted(report.errors.items()):
            if errors["missed_topics"] or errors["extra_topics"]:
                print(f"{name}: missed {errors['missed_topics']}, extra {errors['extra_topics']}")


if __name__ == "__main__":
    main()
