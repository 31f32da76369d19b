"""Keeping the analyses current: stored minutes re-analysed when the topic list, the pipeline
or the model changed (or never analysed), and the topic classifier retrained once enough new
reviews have accumulated, the old model kept if the new one scores worse on the project's
labelled test minutes."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

import nlp
from jcpp.analysis import training
from jcpp.analysis.service import active_model_version, retag, stale_meeting_ids
from jcpp.models import Concern, MeetingTopic, NlpModel
from jcpp.topics.service import ensure_topic_list, topics_for_pipeline
from jcpp.wording import plural
from nlp import classifier as model

# Seconds of re-analysis per run (the job runs every 10 minutes). On SQLite the job holds the
# database's write lock while it runs and web requests that write wait at most 5 seconds for it;
# PostgreSQL has no such lock. A meeting takes 0.05-0.15 s (a loaded two-core machine, demo
# minutes), so a topic-list change over ten years of eleven cities' minutes is re-analysed in
# about a day on SQLite and within the hour on PostgreSQL.
REANALYSE_SECONDS = {"sqlite": 2.5, "postgresql": 60.0}
FIRST_CHUNK = 2  # meetings timed first, to see how many more fit in the run's seconds
# Reviews (topics confirmed or rejected, concerns confirmed) since the last training that make
# it worth training again.
RETRAIN_MIN_REVIEWS = 50


def _seconds_for(session: Session) -> float:
    return REANALYSE_SECONDS.get(session.get_bind().dialect.name, REANALYSE_SECONDS["sqlite"])


def reanalyse_stale_minutes(
    session: Session, *, now: dt.datetime, period: str, seconds: float | None = None
) -> str:
    """Re-analyse stale minutes, oldest meeting first, for about `seconds` (by default the
    database's REANALYSE_SECONDS), keeping what people reviewed: a few meetings are timed
    first, then as many more as fit in the rest of the time."""
    budget = _seconds_for(session) if seconds is None else seconds
    stale = stale_meeting_ids(session)
    if not stale:
        return "every analysis is current"
    started = time.monotonic()
    first = retag(session, meeting_ids=stale[:FIRST_CHUNK])
    done, topics, kept = first.meetings, first.topics_proposed, first.reviewed_kept
    spent = time.monotonic() - started
    more = int((budget - spent) / (spent / max(done, 1))) if spent < budget else 0
    if more > 0 and len(stale) > FIRST_CHUNK:
        rest = retag(session, meeting_ids=stale[FIRST_CHUNK : FIRST_CHUNK + more])
        done, topics = done + rest.meetings, topics + rest.topics_proposed
        kept += rest.reviewed_kept
    left = len(stale) - min(len(stale), FIRST_CHUNK + max(more, 0))
    return (
        f"{plural(done, 'meeting')} re-analysed in {time.monotonic() - started:.1f} s "
        f"({topics} topics proposed, {kept} reviewed kept)"
        + (f"; {left} left for the next runs" if left > 0 else "")
    )


# ---------------------------------------------------------------- retraining


def last_training(session: Session) -> dt.datetime | None:
    """When a classifier was last trained here (kept in use or not)."""
    return session.exec(select(func.max(NlpModel.created_at))).one()


def reviews_since(session: Session, since: dt.datetime | None) -> int:
    """People's reviews since `since` (all of them when None): topics of meetings confirmed or
    rejected, concerns confirmed."""
    topics = select(func.count()).where(col(MeetingTopic.state).in_(("confirmed", "rejected")))
    concerns = select(func.count()).where(Concern.state == "confirmed")
    if since is not None:
        topics = topics.where(col(MeetingTopic.reviewed_at) > since)
        concerns = concerns.where(col(Concern.reviewed_at) > since)
    else:
        topics = topics.where(col(MeetingTopic.reviewed_at).is_not(None))
        concerns = concerns.where(col(Concern.reviewed_at).is_not(None))
    return int(session.exec(topics.select_from(MeetingTopic)).one()) + int(
        session.exec(concerns.select_from(Concern)).one()
    )


def _f1(metrics: dict[str, Any]) -> float:
    return float(metrics["project_test"]["topics"]["f1"])


def score_in_use(session: Session) -> tuple[str, float]:
    """The version of the classifier in use (the database's active one, else the shipped one)
    and its topic F1 on the project's labelled test minutes, measured now."""
    rules_only = nlp.load(topics_for_pipeline(session), shipped_model=False)
    version = active_model_version(session)
    artifact = (
        session.exec(select(NlpModel.artifact).where(NlpModel.version == version)).first()
        if version
        else None
    )
    if artifact:
        in_use = model.TopicClassifier.from_bytes(artifact)
    else:
        in_use = model.shipped_classifier(rules_only)
    return in_use.version, _f1(training.measure(rules_only, in_use))


def retrain_classifier(
    session: Session,
    *,
    now: dt.datetime,
    period: str,
    epochs: int = model.EPOCHS,
    min_reviews: int = RETRAIN_MIN_REVIEWS,
) -> str:
    """Train a new classifier when `min_reviews` reviews were made since the last training;
    use it from now on only if it scores at least as well as the one in use on the project's
    test minutes (else it is kept, inactive, for the record). Analyses made stale by a new
    model are re-run by `reanalyse_stale_minutes`."""
    since = last_training(session)
    reviews = reviews_since(session, since)
    if reviews < min_reviews:
        return f"{plural(reviews, 'new review')}; retraining waits for {min_reviews}"
    ensure_topic_list(session)
    old_version, old_f1 = score_in_use(session)
    result = training.train_classifier(session, epochs=epochs, now=now)
    new_f1 = _f1(result.metrics)
    better = new_f1 >= old_f1
    row = training.store_classifier(session, result, activate=better)
    row.created_at = now  # the job's moment: reviews after it count for the next training
    session.add(row)
    session.flush()
    verdict = "now in use" if better else f"not used: {old_version} stays in use"
    return (
        f"trained {row.version} on {plural(reviews, 'new review')}: topic F1 {new_f1:.3f} "
        f"against {old_f1:.3f} for {old_version}; {verdict}"
    )
