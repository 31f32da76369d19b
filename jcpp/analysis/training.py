"""Training the topic classifier on what people reviewed (`jcpp nlp train`).

Examples are the project's own (`nlp.classifier.project_examples`) and the deployment's reviews:
the sentences where the pipeline found a topic that a person then confirmed (examples of that
topic) or rejected (examples against it), and confirmed concerns with the topics a person gave
them. The trained model is stored in `nlp_model` with its version and figures; the active one is
used by every analysis from then on (`jcpp nlp retag --stale` re-analyses older minutes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select, update

import nlp
from jcpp.audit.service import record
from jcpp.models import Concern, ConcernTopic, MeetingTopic, NlpModel, Topic, TopicMention
from jcpp.topics.service import ensure_topic_list, topics_for_pipeline
from nlp import classifier as model
from nlp import evaluate as ev


@dataclass(frozen=True)
class TrainingResult:
    classifier: model.TopicClassifier
    project_examples: int
    reviewed_examples: int
    metrics: dict[str, Any]


def _slug_by_topic_id(session: Session) -> dict[int, str]:
    """Topic ids to the slug the pipeline knows them by (a merged topic's, its target's)."""
    topics = {t.id: t for t in session.exec(select(Topic)).all() if t.id is not None}
    slugs = {}
    for topic_id, topic in topics.items():
        target = topic
        seen = {topic_id}
        while target.merged_into_id is not None and target.merged_into_id not in seen:
            seen.add(target.merged_into_id)
            target = topics[target.merged_into_id]
        if target.active:
            slugs[topic_id] = target.slug
    return slugs


def reviewed_examples(
    session: Session, language: Any, labels: Sequence[str]
) -> list[model.TrainingExample]:
    """Examples from people's reviews of the pipeline's topics and of concerns."""
    slugs = _slug_by_topic_id(session)
    wanted = set(labels)
    verdicts: dict[tuple[int, int], float] = {}
    for meeting_id, topic_id, state in session.exec(
        select(MeetingTopic.meeting_id, MeetingTopic.topic_id, MeetingTopic.state).where(
            col(MeetingTopic.state).in_(("confirmed", "rejected"))
        )
    ).all():
        verdicts[(meeting_id, topic_id)] = 1.0 if state == "confirmed" else 0.0
    sentences: dict[tuple[int, int, int], dict[str, float]] = {}
    texts: dict[tuple[int, int, int], str] = {}
    if verdicts:
        meeting_ids = sorted({meeting_id for meeting_id, _ in verdicts})
        mentions = session.exec(
            select(TopicMention).where(col(TopicMention.meeting_id).in_(meeting_ids))
        ).all()
        for mention in mentions:
            verdict = verdicts.get((mention.meeting_id, mention.topic_id))
            slug = slugs.get(mention.topic_id)
            if verdict is None or slug not in wanted:
                continue
            key = (mention.meeting_id, mention.revision_number, mention.sentence_start)
            sentences.setdefault(key, {})[str(slug)] = verdict
            texts[key] = mention.sentence
    examples = [
        model.TrainingExample(tuple(model.passage_words(language, texts[key])), cats)
        for key, cats in sorted(sentences.items())
    ]
    concern_topics: dict[int, set[str]] = {}
    for concern_id, topic_id in session.exec(
        select(ConcernTopic.concern_id, ConcernTopic.topic_id)
        .join(Concern, col(Concern.id) == ConcernTopic.concern_id)
        .where(Concern.state == "confirmed")
    ).all():
        slug = slugs.get(topic_id)
        if slug in wanted:
            concern_topics.setdefault(concern_id, set()).add(str(slug))
    if concern_topics:
        for concern in session.exec(
            select(Concern).where(col(Concern.id).in_(sorted(concern_topics)))
        ).all():
            cats = {slug: 1.0 for slug in concern_topics[concern.id or 0]}
            words = tuple(model.passage_words(language, concern.shown_text))
            examples.append(model.TrainingExample(words, cats))
    return [e for e in examples if e.words]


def train_classifier(
    session: Session,
    *,
    epochs: int = model.EPOCHS,
    now: dt.datetime | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> TrainingResult:
    """Train a classifier for the database's topic list on the project's examples and the
    deployment's reviews, and measure it on the project's labelled test minutes."""
    ensure_topic_list(session)
    definitions = topics_for_pipeline(session)
    rules_only = nlp.load(definitions, shipped_model=False)
    labels = [d.slug for d in definitions]
    own = model.project_examples(rules_only, labels)
    reviewed = reviewed_examples(session, rules_only.language, labels)
    classifier = model.train(
        [*own, *reviewed], labels, version=model.new_version(now), epochs=epochs, progress=progress
    )
    classifier.metrics = measure(rules_only, classifier)
    return TrainingResult(classifier, len(own), len(reviewed), classifier.metrics)


def measure(pipeline: nlp.Pipeline, classifier: model.TopicClassifier) -> dict[str, Any]:
    """Topic figures of the pipeline with the classifier on the project's labelled test part."""
    gold_dir = model.DATA_DIR / "eval" / "gold"
    pairs = ev.read_gold(gold_dir, None, ev.split_names("test"))
    pipeline.use_classifier(classifier)
    try:
        report = ev.evaluate(pairs, nlp.analyse([text for _, text in pairs], pipeline=pipeline))
    finally:
        pipeline.use_classifier(None)
    return {"project_test": {"documents": report.documents, "topics": report.topics.as_dict()}}


def store_classifier(
    session: Session,
    result: TrainingResult,
    *,
    activate: bool = True,
    user_id: int | None = None,
) -> NlpModel:
    """Keep a trained classifier in `nlp_model`; when `activate`, it replaces the active one."""
    classifier = result.classifier
    if activate:
        session.exec(update(NlpModel).values(active=False))
    row = NlpModel(
        version=classifier.version,
        trained_on=classifier.trained_on,
        metrics={
            **result.metrics,
            "project_examples": result.project_examples,
            "reviewed_examples": result.reviewed_examples,
        },
        artifact=classifier.to_bytes(),
        active=activate,
    )
    session.add(row)
    session.flush()
    record(
        session,
        user_id=user_id,
        action="train_model",
        entity_type="nlp_model",
        entity_id=row.id,
        summary=f"Topic classifier {row.version} trained on {row.trained_on} examples"
        + (" and made active" if activate else ""),
        after={"version": row.version, "active": activate, "trained_on": row.trained_on},
    )
    return row
