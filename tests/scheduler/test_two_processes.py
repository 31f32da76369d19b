"""Two real scheduler processes (`python -m scheduler`) started by mistake against one database:
every job's work is done exactly once per period, and a "run now" request once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from jcpp.models import JobRequest, JobRun
from tests.factories import create_user
from tests.scheduler.sample_jobs import effects

ROOT = Path(__file__).resolve().parents[2]
# Jobs every 2 s, run-now requests looked for every second: a request is run at an odd second,
# when no scheduled run of its job holds the lease (at an even one it would wait for the next).
EVERY = 2
RUN_FOR = 7.0  # seconds both run side by side: three periods or more of each job


def start_scheduler(
    url: str, log: Path, *, jobs: str = "tests.scheduler.sample_jobs:JOBS", every: int = 1
) -> subprocess.Popen[bytes]:
    """`python -m scheduler` on the test schedule (every job tried every `every` seconds)."""
    command = [sys.executable, "-m", "scheduler", "--database-url", url]
    command += ["--every", str(every), "--poll", "1", "--jobs", jobs]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def wait_for(log: Path, text: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text():
        assert process.poll() is None, f"the scheduler stopped:\n{log.read_text()}"
        assert time.monotonic() < deadline, f"no {text!r} in:\n{log.read_text()}"
        time.sleep(0.1)


def test_two_schedulers_do_each_period_once(db: Engine, database_url: str, tmp_path: Path) -> None:
    with Session(db) as session:
        admin = create_user(session, role="admin")
        request = JobRequest(job_id="count-b", requested_by_id=admin.id or 0)
        session.add(request)
        session.commit()
        request_period = f"request-{request.id}"

    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    processes = [start_scheduler(database_url, log, every=EVERY) for log in logs]
    try:
        for log, process in zip(logs, processes, strict=True):
            wait_for(log, "started with 2 jobs", process)
        time.sleep(RUN_FOR)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        codes = [process.wait(timeout=30) for process in processes]
    outputs = [log.read_text() for log in logs]
    assert codes == [0, 0], outputs

    with Session(db) as session:
        done = session.execute(select(effects.c.job_id, effects.c.period, effects.c.holder)).all()
        runs = session.exec(select(JobRun)).scalars().all()  # type: ignore[call-overload]
        picked = session.get(JobRequest, request.id)

    work = Counter((job_id, period) for job_id, period, _ in done)
    assert work and max(work.values()) == 1, f"a period's work done twice: {work}"
    assert {(run.job_id, run.period) for run in runs} == set(work)  # every run recorded
    assert {run.status for run in runs} == {"succeeded"}
    for job_id in ("count-a", "count-b"):
        assert sum(1 for job, _ in work if job == job_id) >= 3, f"{job_id} hardly ran: {work}"
    assert work[("count-b", request_period)] == 1
    assert picked is not None and picked.picked_at is not None and picked.run_id is not None
    # Both processes were at work: each tried the jobs (ran them, or found them busy or done).
    holders = {f":{process.pid}" for process in processes}
    assert {holder[holder.rindex(":") :] for _, _, holder in done} <= holders
    for output in outputs:
        assert " count-a 20" in output and " count-b 20" in output, output
    assert os.environ.get("JCPP_DATABASE_URL") != database_url  # the test's own database
