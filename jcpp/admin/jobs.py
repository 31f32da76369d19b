"""The admin Jobs page's rules and queries: each job of the scheduler's list with its next run
(from APScheduler's job store), its last run and any "run now" request waiting; the history of
runs; and asking for a run. The web process never runs a job: it records a request that the
scheduler picks up within seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import column, func, inspect, table
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.audit import service as audit
from jcpp.auth.permissions import Viewer, require_admin
from jcpp.errors import NotFound
from jcpp.models import JobRequest, JobRun, User
from jcpp.models.scheduler import JOB_STORE_TABLE
from scheduler.jobs import REQUESTS_JOB_ID
from scheduler.spec import JobSpec

# The scheduler polls for requests every 10 s by default: a poll this late means it is not running.
SCHEDULER_SILENT_AFTER = dt.timedelta(minutes=2)


@dataclass(frozen=True)
class JobRow:
    spec: JobSpec
    next_run_at: dt.datetime | None
    last_run: JobRun | None
    waiting: JobRequest | None


@dataclass(frozen=True)
class HistoryRow:
    run: JobRun
    requested_by: str | None


def next_runs(session: Session) -> dict[str, dt.datetime]:
    """Each job's next try, as the job store has it (nothing before a scheduler first ran)."""
    if not inspect(session.connection()).has_table(JOB_STORE_TABLE):
        return {}
    store = table(JOB_STORE_TABLE, column("id"), column("next_run_time"))
    rows = session.execute(
        store.select().where(store.c.next_run_time.is_not(None))  # paused jobs have none
    ).all()
    return {job_id: dt.datetime.fromtimestamp(float(at), dt.UTC) for job_id, at in rows}


def scheduler_running(next_run_times: Mapping[str, dt.datetime]) -> bool:
    """Whether a scheduler seems to be running: its request poller's next try is not long past."""
    poll = next_run_times.get(REQUESTS_JOB_ID)
    return poll is not None and poll > clock.now() - SCHEDULER_SILENT_AFTER


def job_rows(
    session: Session, *, jobs: Mapping[str, JobSpec], next_run_times: Mapping[str, dt.datetime]
) -> list[JobRow]:
    """The jobs of the list in its order, with their next try, last run and waiting request."""
    last = _last_runs(session, list(jobs))
    waiting = {
        request.job_id: request
        for request in session.exec(
            select(JobRequest)
            .where(col(JobRequest.picked_at).is_(None))
            .order_by(col(JobRequest.id).desc())
        )
    }
    return [
        JobRow(spec, next_run_times.get(job_id), last.get(job_id), waiting.get(job_id))
        for job_id, spec in jobs.items()
    ]


def _last_runs(session: Session, job_ids: list[str]) -> dict[str, JobRun]:
    latest = (
        select(JobRun.job_id, func.max(JobRun.id).label("id"))
        .where(col(JobRun.job_id).in_(job_ids))
        .group_by(col(JobRun.job_id))
        .subquery()
    )
    runs = session.exec(select(JobRun).join(latest, col(JobRun.id) == latest.c.id))
    return {run.job_id: run for run in runs}


def run_history(
    session: Session, *, job_id: str | None, page: int, per_page: int
) -> tuple[list[HistoryRow], int]:
    """Runs newest first (all jobs, or one), a page of them, and how many there are."""
    where = [col(JobRun.job_id) == job_id] if job_id else []
    total = session.exec(select(func.count()).select_from(JobRun).where(*where)).one()
    rows = session.exec(
        select(JobRun, User.name)
        .outerjoin(User, col(User.id) == col(JobRun.requested_by_id))
        .where(*where)
        .order_by(col(JobRun.started_at).desc(), col(JobRun.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return [HistoryRow(run, name) for run, name in rows], total


def request_run(
    session: Session, job_id: str, *, jobs: Mapping[str, JobSpec], by: Viewer
) -> tuple[JobRequest, bool]:
    """Ask the scheduler to run a job now: (the request, whether it is new). A request still
    waiting for the same job is returned instead of asking twice."""
    require_admin(by)
    if job_id not in jobs:
        raise NotFound("There is no such job.")
    waiting = session.exec(
        select(JobRequest).where(JobRequest.job_id == job_id, col(JobRequest.picked_at).is_(None))
    ).first()
    if waiting is not None:
        return waiting, False
    request = JobRequest(job_id=job_id, requested_by_id=by.id, requested_at=clock.now())
    session.add(request)
    session.flush()
    audit.record(
        session,
        user_id=by.id,
        action="request_job_run",
        entity_type="job_request",
        entity_id=request.id,
        summary=f"Asked the scheduler to run the job {job_id} now",
        after={"job_id": job_id},
    )
    session.flush()
    return request, True
