"""Analysing minutes with the NLP pipeline and keeping the findings as proposals.

`analyse_minutes` runs `nlp.analyse` over one revision and stores the result (`store_analysis`,
rules in `jcpp.analysis.store`); `retag` re-analyses the newest revision of many meetings after
the topic list, the pipeline or the model changed; `stale_meeting_ids` finds those that need it.
People review the proposals through `jcpp.analysis.review` (topics, concerns),
`jcpp.analysis.actions` (action items, follow-ups) and `jcpp.analysis.view` (what to show).

The pipeline for the database's topic list is built once per process and topic-list version
and classifier (building takes a few tenths of a second, analysing a page of minutes a few
milliseconds).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlmodel import Session, col, select

import nlp
from jcpp.analysis.store import StoreResult, store_analysis
from jcpp.audit.service import record
from jcpp.config import get_settings
from jcpp.db import get_engine
from jcpp.errors import NotFound
from jcpp.models import Meeting, Membership, Minutes, MinutesAnalysis, MinutesRevision, NlpModel
from jcpp.models import Person as PersonRow
from jcpp.recurring.service import propose_recurrences, release_proposals
from jcpp.topics.service import ensure_topic_list, fingerprint, topics_for_pipeline
from nlp.classifier import shipped_version
from nlp.types import TopicDefinition

__all__ = [
    "RetagSummary",
    "StoreResult",
    "analyse_minutes",
    "pipeline_for",
    "retag",
    "stale_meeting_ids",
    "store_analysis",
]

_PIPELINE_CACHE_SIZE = 4
log = logging.getLogger(__name__)

_pipelines: dict[tuple[str, str | None], nlp.Pipeline] = {}
_pipelines_lock = threading.Lock()


# ---------------------------------------------------------------- the pipeline


def active_model_version(session: Session) -> str | None:
    """The version of the trained classifier marked active in the database, if any."""
    return session.exec(
        select(NlpModel.version)
        .where(col(NlpModel.active).is_(True))
        .order_by(col(NlpModel.created_at).desc())
    ).first()


def current_model_version(session: Session) -> str:
    """The classifier in use: the database's active one, else the shipped one."""
    return active_model_version(session) or shipped_version()


def _model_artifact(session: Session, version: str) -> bytes | None:
    return session.exec(select(NlpModel.artifact).where(NlpModel.version == version)).first()


def _cached_pipeline(
    session: Session, definitions: Sequence[TopicDefinition], model_version: str | None
) -> tuple[nlp.Pipeline, str]:
    version = fingerprint(definitions)
    key = (version, model_version)
    with _pipelines_lock:
        pipeline = _pipelines.get(key)
        if pipeline is None:
            # The database's active model, else the shipped one (`nlp.load`'s default).
            artifact = _model_artifact(session, model_version) if model_version else None
            pipeline = nlp.load(list(definitions), model=artifact)
            if len(_pipelines) >= _PIPELINE_CACHE_SIZE:
                _pipelines.pop(next(iter(_pipelines)))
            _pipelines[key] = pipeline
    return pipeline, version


def pipeline_for(session: Session) -> tuple[nlp.Pipeline, str]:
    """The pipeline for the database's topic list (loading the shipped list into an empty
    database first) and its active classifier, with the topic-list version it was built from."""
    ensure_topic_list(session)
    definitions = topics_for_pipeline(session)
    return _cached_pipeline(session, definitions, active_model_version(session))


def warm_up() -> None:
    """Build the pipeline for the database's topic list and classifier now, so that the first
    save of minutes does not wait for it; changes nothing. A database not ready yet (not
    migrated, unreachable) is left for the first request to report."""
    try:
        with Session(get_engine()) as session:
            pipeline_for(session)
            session.rollback()  # an empty database's shipped list is loaded by a real write
    except Exception as error:  # noqa: BLE001  (only a head start: the request will say why)
        log.warning("NLP pipeline not built ahead: %s", error)


def forget_pipelines() -> None:
    """Drop the cached pipelines (tests; a process that changed the shipped data)."""
    with _pipelines_lock:
        _pipelines.clear()


# ---------------------------------------------------------------- one meeting


def _meeting_date(meeting: Meeting) -> dt.date:
    return meeting.start_at.astimezone(get_settings().zone).date()


def _roster_names(session: Session, meeting: Meeting) -> list[str]:
    """Names on the committee's roster on the meeting's date (found in the text as people)."""
    day = _meeting_date(meeting)
    rows = session.exec(
        select(PersonRow.name, Membership)
        .join(Membership, col(Membership.person_id) == PersonRow.id)
        .where(Membership.committee_id == meeting.committee_id)
    ).all()
    return sorted({name for name, membership in rows if membership.active_on(day)})


def analyse_minutes(
    session: Session,
    *,
    meeting_id: int,
    revision_number: int,
    text: str,
    topics: Sequence[TopicDefinition] | None = None,
    pipeline: nlp.Pipeline | None = None,
) -> StoreResult:
    """Analyse one revision of a meeting's minutes and store the findings as proposals.

    Uses `pipeline` when given, else a pipeline for `topics` when given, else the one for the
    database's topic list. Checks no permission: callers (saving minutes, `retag`) have.
    """
    if pipeline is not None:
        topic_list_version = fingerprint(pipeline.topics)
    elif topics is not None:
        pipeline, topic_list_version = _cached_pipeline(session, topics, None)
    else:
        pipeline, topic_list_version = pipeline_for(session)
    return _analyse_and_store(
        session,
        meeting_id=meeting_id,
        revision_number=revision_number,
        text=text,
        pipeline=pipeline,
        topic_list_version=topic_list_version,
    )


def _analyse_and_store(
    session: Session,
    *,
    meeting_id: int,
    revision_number: int,
    text: str,
    pipeline: nlp.Pipeline,
    topic_list_version: str,
) -> StoreResult:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("There is no such meeting.")
    analysis = nlp.analyse(
        [text],
        pipeline=pipeline,
        dates=[_meeting_date(meeting)],
        roster=_roster_names(session, meeting),
    )[0]
    # Recurring concerns: the analysis may remove the meeting's unreviewed concerns, so their
    # proposed recurrences are taken back first, and put back or proposed after (jcpp.recurring).
    released = release_proposals(session, meeting_id=meeting_id)
    result = store_analysis(
        session,
        meeting_id=meeting_id,
        revision_number=revision_number,
        text=text,
        analysis=analysis,
        topic_list_version=topic_list_version,
    )
    propose_recurrences(session, meeting_id=meeting_id, released=released)
    return result


# ---------------------------------------------------------------- many meetings


def stale_meeting_ids(session: Session) -> list[int]:
    """Meetings whose newest minutes were never analysed, or were analysed at an older
    revision, pipeline, model or topic list than the current ones."""
    ensure_topic_list(session)
    topic_list_version = fingerprint(topics_for_pipeline(session))
    model_version = current_model_version(session)
    model_differs = or_(
        col(MinutesAnalysis.model_version).is_(None),
        col(MinutesAnalysis.model_version) != model_version,
    )
    rows = session.exec(
        select(Minutes.meeting_id)
        .join(
            MinutesAnalysis,
            col(MinutesAnalysis.meeting_id) == Minutes.meeting_id,
            isouter=True,
        )
        .where(col(Minutes.current_revision) > 0)
        .where(
            or_(
                col(MinutesAnalysis.id).is_(None),
                col(MinutesAnalysis.revision_number) != Minutes.current_revision,
                col(MinutesAnalysis.pipeline_version) != nlp.PIPELINE_VERSION,
                col(MinutesAnalysis.topic_list_version) != topic_list_version,
                model_differs,
            )
        )
        .order_by(col(Minutes.meeting_id))
    ).all()
    return list(rows)


@dataclass
class RetagSummary:
    meetings: int = 0
    topics_proposed: int = 0
    concerns_proposed: int = 0
    actions_proposed: int = 0
    reviewed_kept: int = 0
    missing: int = 0
    topic_list_version: str = ""
    pipeline_version: str = nlp.PIPELINE_VERSION
    skipped: list[int] = field(default_factory=list)  # asked for, but without minutes

    def add(self, result: StoreResult) -> None:
        self.meetings += 1
        self.topics_proposed += result.topics_proposed
        self.concerns_proposed += result.concerns_proposed
        self.actions_proposed += result.actions_proposed
        self.reviewed_kept += result.reviewed_kept
        self.missing += result.missing


def _newest_revisions(session: Session, meeting_ids: Sequence[int] | None) -> list[tuple[int, int]]:
    query = (
        select(Minutes.meeting_id, Minutes.current_revision)
        .where(col(Minutes.current_revision) > 0)
        .order_by(col(Minutes.meeting_id))
    )
    if meeting_ids is not None:
        query = query.where(col(Minutes.meeting_id).in_(list(meeting_ids)))
    return [(meeting_id, number) for meeting_id, number in session.exec(query).all()]


def retag(
    session: Session,
    *,
    meeting_ids: Sequence[int] | None = None,
    user_id: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    checkpoint: Callable[[], None] | None = None,
    batch_size: int = 50,
) -> RetagSummary:
    """Re-analyse the newest revision of each meeting's minutes (all meetings when
    `meeting_ids` is None), keeping what people reviewed.

    `progress(done, total)` is called after each meeting, `checkpoint()` after every
    `batch_size` meetings (a command or job commits there, so that a long run holds no long
    transaction). Flushes; the caller commits at the end (one audit event for the run)."""
    pipeline, version = pipeline_for(session)
    targets = _newest_revisions(session, meeting_ids)
    summary = RetagSummary(topic_list_version=version)
    if meeting_ids is not None:
        summary.skipped = sorted(set(meeting_ids) - {meeting_id for meeting_id, _ in targets})
    for done, (meeting_id, number) in enumerate(targets, start=1):
        revision = session.exec(
            select(MinutesRevision).where(
                MinutesRevision.meeting_id == meeting_id, MinutesRevision.number == number
            )
        ).one()
        result = _analyse_and_store(
            session,
            meeting_id=meeting_id,
            revision_number=number,
            text=revision.text,
            pipeline=pipeline,
            topic_list_version=version,
        )
        summary.add(result)
        if progress is not None:
            progress(done, len(targets))
        if checkpoint is not None and done % batch_size == 0:
            checkpoint()
    if summary.meetings:
        record(
            session,
            user_id=user_id,
            action="retag_minutes",
            entity_type="minutes",
            entity_id=None,
            summary=f"Re-analysed the minutes of {summary.meetings} meetings",
            after={
                "meetings": summary.meetings,
                "topic_list_version": version,
                "pipeline_version": summary.pipeline_version,
            },
        )
    return summary
