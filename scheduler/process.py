"""The scheduler process: an APScheduler 3 BlockingScheduler whose jobs live in the app database
(APScheduler's SQLAlchemyJobStore, table `apscheduler_job`), one entry per job of the list plus
the poller of "run now" requests. Each entry calls `scheduler.runner`, which does a job's work
at most once per period even when two scheduler processes share the database by mistake.

Missed runs are coalesced into one (coalesce=True, no misfire limit: a scheduler that was down
catches up once when it is back); a job never runs twice at once in one process
(max_instances=1), nor in two (the runner's lease).
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from dataclasses import dataclass
from types import FrameType
from typing import Any

from apscheduler.events import EVENT_SCHEDULER_STARTED, SchedulerEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import ConflictingIdError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, DBAPIError

from jcpp import clock
from jcpp.models.scheduler import JOB_STORE_TABLE
from scheduler.jobs import REQUESTS_JOB_ID
from scheduler.runner import RunResult, release_dead_leases, run_job, run_requested
from scheduler.spec import JobSpec

log = logging.getLogger("scheduler")

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


@dataclass(frozen=True)
class Context:
    """What the scheduled functions need: APScheduler stores only a reference to a function and
    its arguments (the job id), so the rest is this process's."""

    engine: Engine
    jobs: dict[str, JobSpec]
    holder: str


_context: list[Context] = []


def run_scheduled(job_id: str) -> None:
    """Called by APScheduler on a job's trigger."""
    context = _context[-1]
    spec = context.jobs.get(job_id)
    if spec is None:
        log.warning("%s is no longer in the list of jobs", job_id)
        return
    try:
        _log(run_job(context.engine, spec, holder=context.holder))
    except DBAPIError as error:  # busy (SQLite's write lock held by a long job) or away
        log.warning(
            "%s: database busy or unreachable (%s); tried at the next tick", job_id, error.orig
        )


def run_requests() -> None:
    """Called by APScheduler every few seconds: the "run now" requests of the admin page."""
    context = _context[-1]
    try:
        for result in run_requested(context.engine, context.jobs, holder=context.holder):
            _log(result)
    except DBAPIError as error:
        log.warning(
            "run-now requests: database busy or unreachable (%s); looked at again", error.orig
        )


def _log(result: RunResult) -> None:
    level = logging.ERROR if result.status == "failed" else logging.INFO
    detail = result.detail.splitlines()[-1] if result.detail else ""
    log.log(level, "%s %s %s: %s", result.job_id, result.period, result.status, detail)


# ---------------------------------------------------------------- the APScheduler side

RETRY_STORE_AFTER = dt.timedelta(seconds=10)


class JobStore(SQLAlchemyJobStore):  # type: ignore[misc]
    """APScheduler's job store in the app database, riding out a database that is busy (SQLite
    while a long job holds the write lock) or away for a moment: APScheduler's loop lets these
    errors end the process. A next run time that could not be saved leaves the job due, so it
    is tried again; the runner makes that harmless."""

    def update_job(self, job: Any) -> None:
        try:
            super().update_job(job)
        except DBAPIError as error:
            log.warning("%s: next run time not saved (%s); tried again", job.id, error.orig)

    def get_next_run_time(self) -> dt.datetime | None:
        try:
            next_run: dt.datetime | None = super().get_next_run_time()
            return next_run
        except DBAPIError as error:
            log.warning("job store unreadable (%s); looking again shortly", error.orig)
            return dt.datetime.now(dt.UTC) + RETRY_STORE_AFTER


def build(
    engine: Engine, jobs: dict[str, JobSpec], *, holder: str, poll: int
) -> tuple[BlockingScheduler, list[BaseException]]:
    """A scheduler whose store matches the list once it starts (see `sync_jobs`), and the list
    that holds the error if that failed (the scheduler has then stopped at once)."""
    _context.append(Context(engine=engine, jobs=jobs, holder=holder))
    store = JobStore(engine=engine, tablename=JOB_STORE_TABLE)
    _create_store_table(engine, store)
    scheduler = BlockingScheduler(
        jobstores={"default": store},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults=JOB_DEFAULTS,
        timezone=clock.zone(),
    )
    failures: list[BaseException] = []

    def on_start(_event: SchedulerEvent) -> None:
        try:
            sync_jobs(scheduler, jobs, poll=poll)
        except Exception as error:  # listeners' errors are only logged: stop instead
            failures.append(error)
            scheduler.shutdown(wait=False)

    scheduler.add_listener(on_start, EVENT_SCHEDULER_STARTED)
    return scheduler, failures


def _create_store_table(engine: Engine, store: JobStore) -> None:
    """Make the job store's table; two processes starting at once both try, one wins."""
    try:
        store.jobs_t.create(engine, checkfirst=True)
    except DatabaseError:
        if not inspect(engine).has_table(JOB_STORE_TABLE):
            raise


def triggers(jobs: dict[str, JobSpec], *, poll: int) -> dict[str, CronTrigger]:
    """Each job's trigger in the county's zone, and the request poller's every `poll` seconds."""
    zone = clock.zone()
    found = {
        job_id: CronTrigger(timezone=zone, **spec.schedule.cron) for job_id, spec in jobs.items()
    }
    found[REQUESTS_JOB_ID] = CronTrigger(second=f"*/{poll}", timezone=zone)
    return found


def sync_jobs(scheduler: BaseScheduler, jobs: dict[str, JobSpec], *, poll: int) -> None:
    """Make the job store hold the list: add new jobs, change the schedule of those whose
    trigger changed, remove those no longer listed. A job whose trigger is unchanged keeps its
    next run time, so a run missed while no scheduler was running is still made (once)."""
    wanted = triggers(jobs, poll=poll)
    for job_id, trigger in wanted.items():
        func = run_requests if job_id == REQUESTS_JOB_ID else run_scheduled
        args = [] if job_id == REQUESTS_JOB_ID else [job_id]
        existing = scheduler.get_job(job_id)
        if existing is None:
            try:
                scheduler.add_job(func, trigger, args=args, id=job_id, name=job_id)
                continue
            except ConflictingIdError:  # another scheduler process added it just now
                existing = scheduler.get_job(job_id)
        scheduler.modify_job(job_id, func=func, args=args, name=job_id, **JOB_DEFAULTS)
        if existing is None or _fingerprint(existing.trigger) != _fingerprint(trigger):
            scheduler.reschedule_job(job_id, trigger=trigger)
    for job in scheduler.get_jobs():
        if job.id not in wanted:
            scheduler.remove_job(job.id)
            log.info("removed %s from the job store: no longer in the list", job.id)


def _fingerprint(trigger: Any) -> tuple[str, str]:
    return str(trigger), str(getattr(trigger, "timezone", ""))


def next_tries(scheduler: BaseScheduler) -> dict[str, dt.datetime | None]:
    return {job.id: job.next_run_time for job in scheduler.get_jobs()}


def serve(engine: Engine, jobs: dict[str, JobSpec], *, holder: str, poll: int = 10) -> None:
    """Run until SIGTERM or SIGINT (jobs running then are finished first)."""
    scheduler, failures = build(engine, jobs, holder=holder, poll=poll)

    stopping: list[threading.Thread] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        # The shutdown runs in a thread of its own, never in the handler: the signal interrupts
        # the main thread wherever it is, perhaps holding a lock the shutdown waits for (the
        # thread pool's, while it hands the poller its next run), which would never be let go.
        if scheduler.running and not stopping:
            log.info("stopping (signal %d): waiting for running jobs", signum)
            stopping.append(threading.Thread(target=scheduler.shutdown, name="scheduler-stop"))
            stopping[0].start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for job_id in release_dead_leases(engine):
        log.warning("%s: lease of a scheduler process that is gone released", job_id)
    log.info("scheduler %s started with %d jobs", holder, len(jobs))
    scheduler.start()
    for thread in stopping:
        thread.join()
    if failures:
        raise failures[0]
    log.info("scheduler %s stopped", holder)
