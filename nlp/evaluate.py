"""Measuring the pipeline against hand-labelled minutes (the gold format of issue 3).

A gold file is `{"file": str, "topics": [{"slug", "evidence"}], "concerns": [{"text", "topics"}],
"actions": [{"text", "owner"}]}`, every quote an exact substring of the minutes. Topics are judged
per document (the set of slugs), micro-averaged over documents, and per topic. Concerns and actions
are judged as spans: a prediction matches a gold quote when their character spans overlap by at
least half of the shorter one; each gold quote and each prediction is matched at most once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.types import Analysis

SPLIT_FILE = Path(__file__).parent / "data" / "eval" / "split.json"


@dataclass
class Counts:
    """True positives, predictions and gold items, and the figures from them."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else (1.0 if not self.predicted else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "predicted": self.predicted,
            "gold": self.gold,
        }


@dataclass
class Report:
    """The figures of one evaluation run, and what went wrong per document."""

    documents: int = 0
    topics: Counts = field(default_factory=Counts)
    per_topic: dict[str, Counts] = field(default_factory=dict)
    concerns: Counts = field(default_factory=Counts)
    actions: Counts = field(default_factory=Counts)
    errors: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "topics": {
                "micro": self.topics.as_dict(),
                "per_topic": {s: c.as_dict() for s, c in sorted(self.per_topic.items())},
            },
            "concerns": self.concerns.as_dict(),
            "actions": self.actions.as_dict(),
        }


def overlaps_enough(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two character spans overlap by at least half of the shorter one."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return overlap > 0 and 2 * overlap >= shorter


def match_spans(predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]) -> Counts:
    """Counts of a one-to-one matching, greedy by largest overlap first."""
    pairs = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            if overlaps_enough(p, g):
                pairs.append((min(p[1], g[1]) - max(p[0], g[0]), i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return Counts(tp=len(used_p), predicted=len(predicted), gold=len(gold))


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where a gold quote is in the minutes (its first occurrence), or None."""
    start = text.find(quote)
    return (start, start + len(quote)) if start >= 0 and quote else None


def gold_spans(text: str, items: Iterable[dict[str, Any]]) -> list[tuple[int, int]]:
    spans = []
    for item in items:
        span = quote_span(text, item["text"])
        if span is None:
            raise ValueError(f"gold quote not found in the minutes: {item['text'][:60]!r}")
        spans.append(span)
    return spans


def score_document(gold: dict[str, Any], text: str, analysis: Analysis, report: Report) -> None:
    """Add one document's counts to the report."""
    name = str(gold["file"])
    gold_topics = {t["slug"] for t in gold.get("topics", ())}
    predicted_topics = {t.slug for t in analysis.topics}
    for slug in gold_topics | predicted_topics:
        counts = Counts(
            tp=int(slug in gold_topics and slug in predicted_topics),
            predicted=int(slug in predicted_topics),
            gold=int(slug in gold_topics),
        )
        report.topics.add(counts)
        report.per_topic.setdefault(slug, Counts()).add(counts)
    report.errors[name] = {
        "missed_topics": sorted(gold_topics - predicted_topics),
        "extra_topics": sorted(predicted_topics - gold_topics),
    }
    concerns = [(c.start, c.end) for c in analysis.concerns]
    report.concerns.add(match_spans(concerns, gold_spans(text, gold.get("concerns", ()))))
    actions = [(a.start, a.end) for a in analysis.actions]
    report.actions.add(match_spans(actions, gold_spans(text, gold.get("actions", ()))))
    report.documents += 1


def split_names(split: str, split_file: Path = SPLIT_FILE) -> set[str]:
    """The document names (without extension) of the `dev` or `test` part."""
    data = json.loads(split_file.read_text(encoding="utf-8"))
    if split not in data:
        raise ValueError(f"no split named {split!r} in {split_file}")
    return {str(name) for name in data[split]}


def read_gold(
    gold_dir: Path, minutes_dir: Path | None = None, only: set[str] | None = None
) -> list[tuple[dict[str, Any], str]]:
    """The gold files of a folder with the text of their minutes, sorted by name."""
    pairs = []
    for path in sorted(gold_dir.glob("*.json")):
        if only is not None and path.stem not in only:
            continue
        gold = json.loads(path.read_text(encoding="utf-8"))
        pairs.append((gold, minutes_path(gold_dir, minutes_dir, gold["file"]).read_text("utf-8")))
    return pairs


def minutes_path(gold_dir: Path, minutes_dir: Path | None, name: str) -> Path:
    """Minutes are looked for in `minutes_dir`, else beside the gold files, else in ../docs."""
    if minutes_dir is not None:
        return minutes_dir / name
    for candidate in (gold_dir / name, gold_dir.parent / "docs" / name):
        if candidate.is_file():
            return candidate
    return gold_dir / name


def evaluate(pairs: Sequence[tuple[dict[str, Any], str]], analyses: Sequence[Analysis]) -> Report:
    """The report for gold files and the pipeline's analyses of the same minutes, in order."""
    report = Report()
    for (gold, text), analysis in zip(pairs, analyses, strict=True):
        score_document(gold, text, analysis, report)
    return report


def format_report(report: Report) -> str:
    """The report as readable text."""
    lines = [f"documents: {report.documents}", "", "              precision  recall  f1"]
    for name, counts in (
        ("topics", report.topics),
        ("concerns", report.concerns),
        ("actions", report.actions),
    ):
        lines.append(_row(name, counts))
    lines += ["", "per topic:"]
    lines += [_row(slug, c, width=26) for slug, c in sorted(report.per_topic.items())]
    return "\n".join(lines)


def _row(name: str, c: Counts, width: int = 13) -> str:
    figures = f"{c.precision:9.3f} {c.recall:7.3f} {c.f1:5.3f}"
    return f"{name:<{width}}{figures}   (tp {c.tp}, predicted {c.predicted}, gold {c.gold})"
