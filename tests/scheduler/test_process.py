"""The APScheduler side: the job store follows the list (added, rescheduled, removed), keeps a
missed run's time across a restart, and a scheduler started after missing runs makes one."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from jcpp.admin.jobs import next_runs
from jcpp.models import JobRun
from scheduler.jobs import REQUESTS_JOB_ID
from scheduler.process import JOB_DEFAULTS, RETRY_STORE_AFTER, build, sync_jobs
from scheduler.spec import JobSpec, daily, every, hourly
from tests.scheduler.sample_jobs import counting, effects

DAILY = JobSpec("count-b", "Counts its runs.", daily(at=6), counting("count-b"))


@pytest.fixture
def store(db: Engine) -> Iterator[BackgroundScheduler]:
    """A paused scheduler on the module's job store, emptied afterwards."""
    aps = BackgroundScheduler(job_defaults=JOB_DEFAULTS)
    aps.add_jobstore("sqlalchemy", engine=db, tablename="apscheduler_job")
    aps.start(paused=True)
    yield aps
    aps.remove_all_jobs()
    aps.shutdown(wait=False)


def test_the_store_follows_the_list(store: BackgroundScheduler) -> None:
    sync_jobs(store, {"count-b": DAILY}, poll=10)
    first = {job.id: str(job.trigger) for job in store.get_jobs()}

    moved = JobSpec("count-b", "Counts its runs.", hourly(minute=15), counting("count-b"))
    sync_jobs(store, {"count-b": moved}, poll=10)
    second = {job.id: str(job.trigger) for job in store.get_jobs()}
    minute = next_minute(store, "count-b")
    sync_jobs(store, {}, poll=10)

    assert first == {
        "count-b": "cron[hour='6-23', minute='0']",
        REQUESTS_JOB_ID: "cron[second='*/10']",
    }
    assert second["count-b"] == "cron[minute='15']"
    assert minute == 15
    assert [job.id for job in store.get_jobs()] == [REQUESTS_JOB_ID]


def next_minute(store: BackgroundScheduler, job_id: str) -> int:
    job = store.get_job(job_id)
    assert job is not None and job.next_run_time is not None
    return int(job.next_run_time.minute)


def test_a_restart_keeps_a_missed_run(store: BackgroundScheduler) -> None:
    sync_jobs(store, {"count-b": DAILY}, poll=10)
    missed = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    store.modify_job("count-b", next_run_time=missed)

    sync_jobs(store, {"count-b": DAILY}, poll=10)  # the scheduler starting again

    job = store.get_job("count-b")
    assert job is not None and job.next_run_time == missed
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)


def test_a_scheduler_back_after_missed_runs_makes_one(
    db: Engine, store: BackgroundScheduler
) -> None:
    """Two days of hourly tries missed: the scheduler, started, runs the job once (the missed
    tries coalesced) and its next try is in the future."""
    sync_jobs(store, {"count-b": DAILY}, poll=10)
    store.modify_job("count-b", next_run_time=dt.datetime.now(dt.UTC) - dt.timedelta(days=2))

    scheduler, failures = build(db, {"count-b": DAILY}, holder="host:3", poll=1)
    thread = threading.Thread(target=scheduler.start)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while count(db, effects) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)  # time for a second run, if there were one
    finally:
        scheduler.shutdown(wait=True)
        thread.join(timeout=10)

    assert failures == []
    assert count(db, effects) == 1
    with Session(db) as session:
        [run] = session.exec(select(JobRun)).scalars().all()  # type: ignore[call-overload]
    assert (run.job_id, run.status, run.holder) == ("count-b", "succeeded", "host:3")
    with Session(db) as session:
        next_try = next_runs(session)["count-b"]
    assert next_try > dt.datetime.now(dt.UTC)  # the next try, not the missed ones


def count(db: Engine, table: object) -> int:
    with Session(db) as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_the_scheduler_outlives_a_long_job_holding_the_database(
    db: Engine, store: BackgroundScheduler
) -> None:
    """On SQLite a job holds the write lock while it runs (here 7 s, longer than the 5 s that
    a writer waits): saving the request poller's next run time fails meanwhile, which would end
    APScheduler's loop; the scheduler goes on and the poller runs again afterwards."""
    slow = JobSpec("slow", "Holds the database.", every(seconds=20), counting("slow", pause=7))
    sync_jobs(store, {"slow": slow}, poll=1)
    store.modify_job("slow", next_run_time=dt.datetime.now(dt.UTC))  # due at once
    scheduler, failures = build(db, {"slow": slow}, holder="host:4", poll=1)
    thread = threading.Thread(target=scheduler.start)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while count(db, effects) == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        job_done_at = dt.datetime.now(dt.UTC)
        # The poller (every second) runs again: at once, or after the store's retry delay when
        # the scheduler could not even read the store meanwhile (a loaded machine).
        deadline = time.monotonic() + RETRY_STORE_AFTER.total_seconds() + 5
        polled_after = job_done_at - dt.timedelta(days=1)
        while polled_after <= job_done_at and time.monotonic() < deadline:
            time.sleep(0.2)
            with Session(db) as session:
                polled_after = next_runs(session)[REQUESTS_JOB_ID]
        alive = thread.is_alive() and scheduler.running
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        thread.join(timeout=10)

    assert failures == [] and alive
    with Session(db) as session:
        periods = session.execute(select(effects.c.period)).scalars().all()
    # It ran, and never twice for one period (a 20-second slot may end while the test waits).
    assert periods and len(periods) == len(set(periods))
    assert polled_after > job_done_at
