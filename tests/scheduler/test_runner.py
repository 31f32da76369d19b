"""The runner with a controlled clock: a job's work is done once per period, a failure is
recorded and tried again, a lease keeps a second runner out until it expires."""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from jcpp.models import JobLease, JobRequest, JobRun
from scheduler.runner import run_job, run_requested, take_lease
from scheduler.spec import JobSpec, daily
from tests.factories import create_user
from tests.scheduler.sample_jobs import counting, effects

ME, OTHER = "host-a:101", "host-b:202"
COUNT = JobSpec("count", "Counts its runs.", daily(at=6), counting("count"))


def effect_periods(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return list(session.execute(select(effects.c.period).order_by(effects.c.id)).scalars())


def runs(engine: Engine) -> list[JobRun]:
    with Session(engine) as session:
        return list(session.exec(select(JobRun).order_by(JobRun.id)).scalars())  # type: ignore[call-overload]


def leases(engine: Engine) -> list[JobLease]:
    with Session(engine) as session:
        return list(session.execute(select(JobLease)).scalars())


class Flaky:
    """A job that records its run and then fails, `failures` times."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.count = counting("flaky")

    def __call__(self, session: Session, *, now: dt.datetime, period: str) -> str:
        outcome = self.count(session, now=now, period=period)
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the SMTP server said no")
        return outcome


def test_a_period_is_done_once_then_the_next_one(db: Engine, at: list[dt.datetime]) -> None:
    first = run_job(db, COUNT, holder=ME)
    again = run_job(db, COUNT, holder=OTHER)
    at[0] += dt.timedelta(hours=5)  # 15:00 the same county day
    later = run_job(db, COUNT, holder=ME)
    at[0] += dt.timedelta(days=1)
    next_day = run_job(db, COUNT, holder=OTHER)

    assert (first.status, first.period) == ("succeeded", "2026-11-24")
    assert [again.status, later.status] == ["done", "done"]
    assert again.run_id == first.run_id
    assert (next_day.status, next_day.period) == ("succeeded", "2026-11-25")
    assert effect_periods(db) == ["2026-11-24", "2026-11-25"]
    [day1, day2] = runs(db)
    assert (day1.status, day1.attempts, day1.holder) == ("succeeded", 1, ME)
    assert day1.outcome == f"counted 2026-11-24 in {os.getpid()}"
    assert day1.started_at == day1.finished_at == dt.datetime(2026, 11, 24, 16, tzinfo=dt.UTC)
    assert (day2.period, day2.holder) == ("2026-11-25", OTHER)
    assert leases(db) == []  # released after each run


def test_the_county_day_names_the_period(db: Engine, at: list[dt.datetime]) -> None:
    at[0] = dt.datetime(2026, 11, 25, 3, 30, tzinfo=dt.UTC)  # 21:30 on the 24th in the county
    assert run_job(db, COUNT, holder=ME).period == "2026-11-24"


def test_a_failure_is_recorded_rolled_back_and_tried_again(
    db: Engine, at: list[dt.datetime]
) -> None:
    flaky = JobSpec("flaky", "Fails once.", daily(at=6), Flaky(failures=1))

    failed = run_job(db, flaky, holder=ME)
    [run] = runs(db)
    assert failed.status == "failed"
    assert (run.status, run.attempts, run.outcome) == ("failed", 1, None)
    assert run.error is not None and "RuntimeError: the SMTP server said no" in run.error
    assert "test_runner.py" in run.error  # where it happened, for whoever reads the page
    assert effect_periods(db) == []  # the job's own writes were rolled back
    assert leases(db) == []

    at[0] += dt.timedelta(hours=1)  # the next tick, the same day
    retried = run_job(db, flaky, holder=OTHER)
    [run] = runs(db)
    assert (retried.status, retried.run_id) == ("succeeded", failed.run_id)
    assert (run.status, run.attempts, run.holder) == ("succeeded", 2, OTHER)
    assert run.started_at == at[0]
    assert effect_periods(db) == ["2026-11-24"]


def test_a_held_lease_keeps_a_second_runner_out(db: Engine, at: list[dt.datetime]) -> None:
    assert take_lease(db, "count", holder=OTHER, now=at[0], until=at[0] + dt.timedelta(minutes=30))

    busy = run_job(db, COUNT, holder=ME)
    at[0] += dt.timedelta(minutes=29)
    still_busy = run_job(db, COUNT, holder=ME)

    assert [busy.status, still_busy.status] == ["busy", "busy"]
    assert runs(db) == [] and effect_periods(db) == []
    [lease] = leases(db)
    assert lease.holder == OTHER  # untouched: only its holder releases it


def test_only_one_of_two_takes_a_free_lease(db: Engine, at: list[dt.datetime]) -> None:
    until = at[0] + dt.timedelta(minutes=30)
    assert take_lease(db, "count", holder=ME, now=at[0], until=until)
    assert not take_lease(db, "count", holder=OTHER, now=at[0], until=until)
    # Nor its holder's other thread (a requested run while the scheduled one runs).
    assert not take_lease(db, "count", holder=ME, now=at[0], until=until)
    at[0] = until + dt.timedelta(seconds=1)
    assert take_lease(db, "count", holder=OTHER, now=at[0], until=at[0] + COUNT.lease)


def test_an_expired_lease_is_taken_over_and_the_dead_run_tried_again(
    db: Engine, at: list[dt.datetime]
) -> None:
    # A scheduler took the lease, recorded the run as running, and was killed.
    take_lease(db, "count", holder=OTHER, now=at[0], until=at[0] + COUNT.lease)
    with Session(db) as session:
        session.add(JobRun(job_id="count", period="2026-11-24", holder=OTHER, started_at=at[0]))
        session.commit()

    at[0] += COUNT.lease + dt.timedelta(seconds=1)
    result = run_job(db, COUNT, holder=ME)

    assert result.status == "succeeded"
    [run] = runs(db)
    assert (run.status, run.attempts, run.holder) == ("succeeded", 2, ME)
    assert effect_periods(db) == ["2026-11-24"]
    assert leases(db) == []


def test_a_run_taken_over_meanwhile_commits_nothing(db: Engine, at: list[dt.datetime]) -> None:
    """A runner whose lease expired in the middle of the job, and whose run another runner took
    over (one more attempt, its holder), rolls its work back instead of committing it twice."""

    def overtaken(session: Session, *, now: dt.datetime, period: str) -> str:
        counting("slow")(session, now=now, period=period)
        session.execute(update(JobRun).values(attempts=JobRun.attempts + 1, holder=OTHER))
        return "too late"

    result = run_job(db, JobSpec("slow", "Slow.", daily(), overtaken), holder=ME)

    assert (result.status, result.detail) == ("busy", "taken over")
    [run] = runs(db)
    assert (run.status, run.attempts, run.holder) == ("running", 1, ME)
    assert effect_periods(db) == []


def test_run_now_requests_run_once_each(db: Engine, at: list[dt.datetime]) -> None:
    with Session(db) as session:
        admin = create_user(session, role="admin")
        asked = [
            JobRequest(job_id=job_id, requested_by_id=admin.id or 0)
            for job_id in ("count", "count", "retired-job")
        ]
        session.add_all(asked)
        session.commit()
        ids = [request.id for request in asked]
        admin_id = admin.id
    jobs = {"count": COUNT}

    results = run_requested(db, jobs, holder=ME)
    assert run_requested(db, jobs, holder=OTHER) == []  # nothing left to pick

    assert [(r.period, r.status) for r in results] == [
        (f"request-{ids[0]}", "succeeded"),
        (f"request-{ids[1]}", "succeeded"),
        (f"request-{ids[2]}", "gone"),
    ]
    assert effect_periods(db) == [f"request-{ids[0]}", f"request-{ids[1]}"]
    with Session(db) as session:
        picked = session.exec(select(JobRequest).order_by(JobRequest.id)).scalars().all()  # type: ignore[call-overload]
        requested = session.execute(select(JobRun.requested_by_id)).scalars().all()
    assert [r.picked_at for r in picked] == [at[0]] * 3
    assert [r.run_id for r in picked] == [results[0].run_id, results[1].run_id, None]
    assert requested == [admin_id, admin_id]


def test_a_request_waits_while_its_job_runs(db: Engine, at: list[dt.datetime]) -> None:
    with Session(db) as session:
        admin = create_user(session, role="admin")
        session.add(JobRequest(job_id="count", requested_by_id=admin.id or 0))
        session.commit()
    take_lease(db, "count", holder=OTHER, now=at[0], until=at[0] + dt.timedelta(minutes=5))

    assert run_requested(db, {"count": COUNT}, holder=ME) == []
    at[0] += dt.timedelta(minutes=6)
    [result] = run_requested(db, {"count": COUNT}, holder=ME)

    assert result.status == "succeeded"
    with Session(db) as session:
        assert session.execute(select(func.count()).select_from(effects)).scalar() == 1


def test_the_job_gets_the_clock_and_its_period(db: Engine, at: list[dt.datetime]) -> None:
    seen: list[tuple[dt.datetime, str]] = []

    def look(session: Session, *, now: dt.datetime, period: str) -> str:
        seen.append((now, period))
        return "looked"

    run_job(db, JobSpec("look", "Looks.", daily(), look), holder=ME, period="by-hand")
    assert seen == [(at[0], "by-hand")]
