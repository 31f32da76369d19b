"""The real list of jobs (scheduler/jobs.py) in a real scheduler process on a fresh database:
every job runs (on the test schedule) and none fails."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from jcpp.models import JobRun
from scheduler.jobs import jobs_by_id
from tests.scheduler.test_two_processes import start_scheduler, wait_for


def finished_runs(db: Engine) -> list[JobRun]:
    with Session(db) as session:
        return list(
            session.exec(select(JobRun).where(JobRun.status != "running")).all()  # type: ignore[arg-type]
        )


def test_every_job_of_the_list_runs_without_error(
    db: Engine, database_url: str, tmp_path: Path
) -> None:
    expected = set(jobs_by_id())
    log = tmp_path / "scheduler.log"
    process = start_scheduler(database_url, log, jobs="scheduler.jobs:JOBS", every=5)
    try:
        wait_for(log, f"started with {len(expected)} jobs", process)
        deadline = time.monotonic() + 120
        while {run.job_id for run in finished_runs(db)} < expected:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=120)

    failed = {run.job_id: run.error for run in finished_runs(db) if run.status == "failed"}
    assert failed == {}
    assert code == 0, log.read_text()
