"""The NLP pipeline of jcpp: topics, concerns, action items, keywords and names in minutes.

Use `load()` for a pipeline with a given topic list and `analyse()` to run one (the default
pipeline, built once per process, when none is given). Results are the plain dataclasses of
`nlp.types`; no spaCy object leaves this package.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from pathlib import Path

from nlp.classifier import TopicClassifier
from nlp.pipeline import PIPELINE_VERSION, Pipeline, load_pipeline
from nlp.search_terms import index_terms, matching_spans, query_terms, term_spans
from nlp.types import Analysis, TopicDefinition

__all__ = [
    "PIPELINE_VERSION",
    "Analysis",
    "Pipeline",
    "TopicClassifier",
    "TopicDefinition",
    "analyse",
    "index_terms",
    "load",
    "matching_spans",
    "query_terms",
    "term_spans",
]

_default: Pipeline | None = None
_lock = threading.Lock()


def load(
    topics: Sequence[TopicDefinition] | None = None,
    *,
    model: bytes | TopicClassifier | None = None,
    model_dir: str | Path | None = None,
    shipped_model: bool = True,
    roster: Sequence[str] = (),
) -> Pipeline:
    """A pipeline for this topic list (the shipped default list when None) and roster of names,
    with a trained topic classifier: `model` (or its bytes), else the one in `model_dir`, else
    the shipped one unless `shipped_model` is False (see `nlp.classifier`)."""
    return load_pipeline(
        topics, model=model, model_dir=model_dir, shipped_model=shipped_model, roster=roster
    )


def default_pipeline() -> Pipeline:
    """The pipeline with the default topic list, built on first use and kept."""
    global _default
    with _lock:
        if _default is None:
            _default = load_pipeline()
        return _default


def analyse(
    texts: Sequence[str],
    *,
    pipeline: Pipeline | None = None,
    dates: Sequence[dt.date | None] | None = None,
    now: dt.date | None = None,
    roster: Sequence[str] = (),
) -> list[Analysis]:
    """Analyse minutes texts, one `Analysis` per text, in order.

    `dates` (the meetings' dates, one per text) give due dates their year and weigh keywords by
    age against `now`; `roster` adds names to find besides the pipeline's own roster.
    """
    if isinstance(texts, str):
        raise TypeError("analyse takes a sequence of texts, not one string")
    chosen = pipeline or default_pipeline()
    return chosen.analyse(list(texts), dates=dates, now=now, roster=roster)
