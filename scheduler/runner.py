"""Run one job for one period, exactly once, whichever scheduler process asks and however often.

1. Take the job's lease (a `job_lease` row; one conditional upsert that only one process wins,
   on SQLite and PostgreSQL alike). A lease held by another process: do nothing ("busy").
2. A run of the job for this period that succeeded: do nothing ("done"). Otherwise record the
   run as running (a new `job_run` row, or the failed one with one more attempt).
3. Run the job in a transaction of its own and, in that same transaction, mark the run
   succeeded with its outcome, but only if the run is still this process's attempt (a process
   whose lease expired mid-run and was taken over commits nothing). On an error: roll the job
   back and record the run failed with the error; the next tick tries again.
4. Release the lease.

Plain functions of an engine and the clock (`jcpp.clock`): no APScheduler here.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.db import writing
from jcpp.models import JobLease, JobRequest, JobRun
from scheduler.spec import JobSpec

log = logging.getLogger("scheduler")

RunStatus = Literal["succeeded", "failed", "done", "busy", "gone"]
OUTCOME_MAX = 500
ERROR_MAX = 8000


@dataclass(frozen=True)
class RunResult:
    """What one call of `run_job` did. done: the period had already succeeded; busy: another
    process held the lease (or took the run over); gone: the job is no longer in the list."""

    job_id: str
    period: str
    status: RunStatus
    run_id: int | None = None
    detail: str = ""


def this_process() -> str:
    """The lease holder's name: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


# ---------------------------------------------------------------- the lease


def take_lease(
    engine: Engine, job_id: str, *, holder: str, now: dt.datetime, until: dt.datetime
) -> bool:
    """Take the job's lease if it is free or expired. Not even its holder takes a lease it
    holds: in one process a scheduled run and a requested run of a job are two threads."""
    table = JobLease.__table__  # type: ignore[attr-defined]
    dialect_insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    insert = dialect_insert(table).values(job_id=job_id, holder=holder, expires_at=until)
    upsert = insert.on_conflict_do_update(
        index_elements=[table.c.job_id],
        set_={"holder": insert.excluded.holder, "expires_at": insert.excluded.expires_at},
        where=table.c.expires_at < now,
    ).returning(table.c.job_id)
    with writing(engine).begin() as connection:
        return connection.execute(upsert).first() is not None


def release_lease(engine: Engine, job_id: str, *, holder: str) -> None:
    with writing(engine).begin() as connection:
        connection.execute(
            delete(JobLease).where(col(JobLease.job_id) == job_id, col(JobLease.holder) == holder)
        )


def _is_dead_here(holder: str, host: str) -> bool:
    """A holder ("host:pid/token") that was a process of this host which no longer runs."""
    name, _, rest = holder.partition(":")
    pid = rest.partition("/")[0]
    if name != host or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # a live process of another user
    return False


def release_dead_leases(engine: Engine) -> list[str]:
    """Free the leases of this host's scheduler processes that are gone (killed, crashed), so
    that a scheduler started again after a kill does not wait out their expiry. Leases of other
    hosts, or of processes still running, wait for their expiry as before. Returns the jobs."""
    host = socket.gethostname()
    with writing(engine).begin() as connection:
        rows = connection.execute(select(JobLease.job_id, JobLease.holder)).all()
        dead = [job_id for job_id, holder in rows if _is_dead_here(holder, host)]
        for job_id, holder in rows:
            if job_id in dead:
                connection.execute(
                    delete(JobLease).where(
                        col(JobLease.job_id) == job_id, col(JobLease.holder) == holder
                    )
                )
    return dead


# ---------------------------------------------------------------- one run


@dataclass(frozen=True)
class _Attempt:
    run_id: int
    attempts: int


def run_job(
    engine: Engine,
    spec: JobSpec,
    *,
    holder: str,
    period: str | None = None,
    requested_by_id: int | None = None,
) -> RunResult:
    """Run `spec` for `period` (by default the period of now) unless it already succeeded or
    another process is running it."""
    now = clock.now()
    period = period or spec.schedule.period(now)
    # This call's own name on the lease: another thread of this process (a run-now request
    # while the scheduled run goes on past its lease) never releases it.
    lease_holder = f"{holder}/{secrets.token_hex(4)}"
    if not take_lease(engine, spec.id, holder=lease_holder, now=now, until=now + spec.lease):
        return RunResult(spec.id, period, "busy", detail="another scheduler holds the lease")
    try:
        attempt, done_id = _start(engine, spec.id, period, holder, now, requested_by_id)
        if attempt is None:
            return RunResult(spec.id, period, "done", done_id, "this period already succeeded")
        return _work(engine, spec, period, holder, now, attempt)
    finally:
        release_lease(engine, spec.id, holder=lease_holder)


def _start(
    engine: Engine,
    job_id: str,
    period: str,
    holder: str,
    now: dt.datetime,
    requested_by_id: int | None,
) -> tuple[_Attempt | None, int | None]:
    """Record the run as running: (the attempt, None), or (None, run id) if it succeeded."""
    with Session(writing(engine), expire_on_commit=False) as session:
        run = session.exec(
            select(JobRun).where(JobRun.job_id == job_id, JobRun.period == period)
        ).first()
        if run is not None and run.status == "succeeded":
            return None, run.id
        if run is None:
            run = JobRun(job_id=job_id, period=period, attempts=1, requested_by_id=requested_by_id)
        else:  # failed, or left running by a process that died: one more attempt
            run.attempts += 1
        run.status, run.started_at, run.finished_at, run.holder = "running", now, None, holder
        session.add(run)
        session.commit()
        assert run.id is not None
        return _Attempt(run.id, run.attempts), None


def _work(
    engine: Engine, spec: JobSpec, period: str, holder: str, now: dt.datetime, attempt: _Attempt
) -> RunResult:
    with Session(writing(engine), expire_on_commit=False) as session:
        try:
            outcome = spec.run(session, now=now, period=period)
            if not _finish(session, attempt, holder, outcome=outcome):
                session.rollback()
                log.warning("%s %s: taken over by another scheduler; rolled back", spec.id, period)
                return RunResult(spec.id, period, "busy", attempt.run_id, "taken over")
            session.commit()
        except Exception as error:
            session.rollback()
            text = _error_text(error)
            _fail(engine, attempt, holder, text)
            log.error("%s %s failed (attempt %d): %s", spec.id, period, attempt.attempts, text)
            return RunResult(spec.id, period, "failed", attempt.run_id, text)
    return RunResult(spec.id, period, "succeeded", attempt.run_id, outcome)


def _finish(session: Session, attempt: _Attempt, holder: str, *, outcome: str) -> bool:
    """Mark the run succeeded in the job's own transaction, if it is still this attempt."""
    result = session.execute(
        _this_attempt(attempt, holder).values(
            status="succeeded", outcome=str(outcome)[:OUTCOME_MAX], finished_at=clock.now()
        )
    )
    changed: int = result.rowcount  # type: ignore[attr-defined]
    return changed == 1


def _fail(engine: Engine, attempt: _Attempt, holder: str, text: str) -> None:
    with writing(engine).begin() as connection:
        connection.execute(
            _this_attempt(attempt, holder).values(
                status="failed", error=text, finished_at=clock.now()
            )
        )


def _this_attempt(attempt: _Attempt, holder: str):  # type: ignore[no-untyped-def]
    return update(JobRun).where(
        col(JobRun.id) == attempt.run_id,
        col(JobRun.holder) == holder,
        col(JobRun.attempts) == attempt.attempts,
        col(JobRun.status) == "running",
    )


def _error_text(error: BaseException) -> str:
    """The error and where it happened, the end kept when it is long."""
    text = "".join(traceback.format_exception(error)).strip()
    return text if len(text) <= ERROR_MAX else "…" + text[-ERROR_MAX:]


# ---------------------------------------------------------------- "run now"


def run_requested(engine: Engine, jobs: Mapping[str, JobSpec], *, holder: str) -> list[RunResult]:
    """Run the jobs asked for on the admin page, each request once (period "request-<id>").

    A request whose job is running now stays pending for the next poll; a request for a job no
    longer in the list is closed without a run.
    """
    results = []
    for request_id, job_id, by in _pending_requests(engine):
        spec = jobs.get(job_id)
        if spec is None:
            result = RunResult(job_id, f"request-{request_id}", "gone", detail="not in the list")
        else:
            period = f"request-{request_id}"
            result = run_job(engine, spec, holder=holder, period=period, requested_by_id=by)
            if result.status == "busy":
                continue
        _close_request(engine, request_id, result.run_id)
        results.append(result)
    return results


def _pending_requests(engine: Engine) -> list[tuple[int, str, int]]:
    with Session(engine) as session:
        rows = session.exec(
            select(JobRequest.id, JobRequest.job_id, JobRequest.requested_by_id)
            .where(col(JobRequest.picked_at).is_(None))
            .order_by(col(JobRequest.id))
        ).all()
        return [(request_id or 0, job_id, by) for request_id, job_id, by in rows]


def _close_request(engine: Engine, request_id: int, run_id: int | None) -> None:
    with writing(engine).begin() as connection:
        connection.execute(
            update(JobRequest)
            .where(col(JobRequest.id) == request_id, col(JobRequest.picked_at).is_(None))
            .values(picked_at=clock.now(), run_id=run_id)
        )
