"""The admin Jobs page shows real history: runs recorded by the scheduler's runner, a "Run now"
asked on the page and then picked up by the runner, next runs written by APScheduler's own job
store. The page and the runner share a committed database here (the runner opens transactions
of its own), one per module as in tests/scheduler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import Engine
from sqlmodel import Session

import scheduler.jobs
from jcpp.db import get_session
from jcpp.main import create_app
from scheduler.process import JOB_DEFAULTS, sync_jobs
from scheduler.runner import run_job, run_requested
from scheduler.spec import JobSpec, daily
from tests.factories import create_user
from tests.scheduler.conftest import at, database_url, db  # noqa: F401  (fixtures)
from tests.scheduler.sample_jobs import JOBS
from tests.web import WebClient, soup


def failing(session: Session, *, now: dt.datetime, period: str) -> str:
    raise ValueError("no SMTP server at mail.example.org:587")


LIST = (*JOBS, JobSpec("digest", "The weekly digest.", daily(at=7), failing))


@pytest.fixture
def client(db: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebClient]:  # noqa: F811
    """The app on the module's committed database, with the tests' list of jobs."""
    monkeypatch.setattr(scheduler.jobs, "JOBS", LIST)
    app = create_app()

    def committed_session() -> Iterator[Session]:
        with Session(db, expire_on_commit=False) as session:
            yield session
            session.commit()

    app.dependency_overrides[get_session] = committed_session
    with Session(db) as session:
        admin = create_user(session, role="admin", name="Ada Admin")
        session.commit()
        session.refresh(admin)
    with WebClient(app) as web:
        web.sign_in(admin)
        yield web


def test_runs_made_by_the_runner_are_on_the_page(
    client: WebClient,
    db: Engine,  # noqa: F811
    at: list[dt.datetime],  # noqa: F811
) -> None:
    jobs = scheduler.jobs.jobs_by_id()
    run_job(db, jobs["count-b"], holder="host:1")
    run_job(db, jobs["digest"], holder="host:1")

    # Asked on the page, run by the scheduler's poller, shown with who asked.
    assert client.post("/admin/jobs/count-a/run").status_code == 303
    [picked] = run_requested(db, jobs, holder="host:2")
    page = soup(client.get("/admin/jobs"))

    count_b = page.select_one("#job-count-b .job-last")
    assert count_b is not None and count_b.select_one(".badge--succeeded") is not None
    assert "counted 2026-11-24" in count_b.get_text()
    digest = page.select_one("#job-digest .job-last")
    assert digest is not None and digest.select_one(".badge--failed") is not None
    assert "no SMTP server at mail.example.org:587" in digest.get_text()
    history = page.select("#job-history tbody tr")
    assert len(history) == 3
    asked = page.select_one(f"#run-{picked.run_id}")
    assert asked is not None
    assert "request-" in asked.get_text() and "Ada Admin" in asked.get_text()
    assert page.select_one("#job-count-a .job-waiting") is None  # picked up


def test_next_runs_come_from_a_real_job_store(
    client: WebClient,
    db: Engine,  # noqa: F811
) -> None:
    jobs = scheduler.jobs.jobs_by_id()
    aps = BackgroundScheduler(job_defaults=JOB_DEFAULTS)
    aps.add_jobstore("sqlalchemy", engine=db, tablename="apscheduler_job")
    aps.start(paused=True)
    try:
        sync_jobs(aps, jobs, poll=10)
        expected = {job.id: job.next_run_time for job in aps.get_jobs()}
    finally:
        aps.shutdown(wait=False)

    page = soup(client.get("/admin/jobs"))

    assert set(expected) == {"count-a", "count-b", "digest", "run-requests"}
    next_digest = page.select_one("#job-digest .job-next")
    assert next_digest is not None and "not scheduled" not in next_digest.get_text()
    assert page.select_one("#scheduler-silent") is None  # the poller is due within seconds
