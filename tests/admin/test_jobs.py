"""The admin Jobs page: the list of jobs with schedule, next and last run; "run now" recorded as
a request (page and htmx); the history with its filter and pages; administrators only."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Column, Float, LargeBinary, MetaData, Table, Unicode, insert
from sqlmodel import Session, select

import scheduler.jobs
from jcpp.models import JobRequest, JobRun, User
from jcpp.models.scheduler import JOB_STORE_TABLE
from tests.admin.helpers import last_event
from tests.factories import create_user
from tests.scheduler import sample_jobs
from tests.web import WebClient, soup

NOW = dt.datetime(2026, 11, 24, 16, 0, tzinfo=dt.UTC)  # 10 am in the county


@pytest.fixture(autouse=True)
def sample_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page shows the list of jobs: here the tests' two."""
    monkeypatch.setattr(scheduler.jobs, "JOBS", sample_jobs.JOBS)


@pytest.fixture
def admin(session: Session) -> User:
    return create_user(session, role="admin", name="Ada Admin")


@pytest.fixture
def signed_in(client: WebClient, admin: User) -> WebClient:
    return client.sign_in(admin)


def add_run(session: Session, job_id: str, period: str, **kw: object) -> JobRun:
    started = kw.pop("started_at", NOW)
    run = JobRun(job_id=job_id, period=period, started_at=started, **kw)  # type: ignore[arg-type]
    session.add(run)
    session.flush()
    return run


def store_next_run(session: Session, job_id: str, at: dt.datetime) -> None:
    """A row of APScheduler's job store, as the scheduler writes it (in this test's transaction)."""
    store = Table(
        JOB_STORE_TABLE,
        MetaData(),
        Column("id", Unicode(191), primary_key=True),
        Column("next_run_time", Float(25), index=True),
        Column("job_state", LargeBinary, nullable=False),
    )
    store.create(session.connection(), checkfirst=True)
    session.execute(insert(store).values(id=job_id, next_run_time=at.timestamp(), job_state=b""))


def test_the_page_lists_each_job_with_its_schedule_and_last_run(
    signed_in: WebClient, session: Session
) -> None:
    add_run(session, "count-a", "2026-11-24T15:00Z", status="succeeded", outcome="counted 3")
    add_run(
        session,
        "count-a",
        "2026-11-24T16:00Z",
        status="failed",
        error="Traceback (most recent call last):\n  ...\nRuntimeError: the SMTP server said no",
        attempts=2,
    )

    page = soup(signed_in.get("/admin/jobs"))

    rows = page.select("#job-list tbody tr")
    assert [row["id"] for row in rows] == ["job-count-a", "job-count-b"]
    a, b = rows
    assert "Counts its runs." in a.get_text()
    assert "every second" in a.get_text()
    assert "daily from 06:00" in b.get_text()
    last = a.select_one(".job-last")
    assert last is not None
    assert last.select_one(".badge--failed") is not None
    assert "attempt 2" in last.get_text()
    summary = last.select_one("details summary")
    assert summary is not None and "RuntimeError: the SMTP server said no" in summary.get_text()
    assert "never" in b.select_one(".job-last").get_text()  # type: ignore[union-attr]
    # No scheduler has written its job store: no next run, and the page says so.
    assert "not scheduled yet" in a.select_one(".job-next").get_text()  # type: ignore[union-attr]
    assert page.select_one("#scheduler-silent") is not None


def test_next_runs_come_from_the_job_store(
    signed_in: WebClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jcpp import clock

    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    store_next_run(session, "count-b", dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC))
    store_next_run(session, "run-requests", NOW + dt.timedelta(seconds=5))

    page = soup(signed_in.get("/admin/jobs"))

    next_b = page.select_one("#job-count-b .job-next")
    assert next_b is not None and "6 am" in next_b.get_text() and "25" in next_b.get_text()
    assert page.select_one("#scheduler-silent") is None  # its request poller is due


def test_run_now_records_a_request_and_runs_nothing(
    signed_in: WebClient, session: Session, admin: User
) -> None:
    response = signed_in.post("/admin/jobs/count-b/run")

    assert response.status_code == 303 and response.headers["location"] == "/admin/jobs"
    [request] = session.exec(select(JobRequest)).all()
    assert (request.job_id, request.requested_by_id, request.picked_at) == (
        "count-b",
        admin.id,
        None,
    )
    assert session.exec(select(JobRun)).all() == []  # the web process never runs a job
    assert last_event(session, "request_job_run").entity_id == request.id
    page = soup(signed_in.get("/admin/jobs"))
    notice = page.select_one(".alert--success")
    assert notice is not None and "Asked the scheduler to run “count-b”" in notice.get_text()
    waiting = page.select_one("#job-count-b .job-waiting")
    assert waiting is not None and "waiting for the scheduler" in waiting.get_text()
    assert page.select_one("#job-count-b form") is None  # asked once is enough
    assert page.select_one("#job-count-a form button") is not None


def test_run_now_with_htmx_swaps_the_job_list(signed_in: WebClient, session: Session) -> None:
    response = signed_in.post("/admin/jobs/count-a/run", htmx=True)
    again = signed_in.post("/admin/jobs/count-a/run", htmx=True)

    assert response.status_code == 200
    fragment = soup(response)
    section = fragment.select_one("section#job-list")
    assert section is not None and fragment.select_one("h1") is None  # the list alone
    assert "Asked the scheduler" in fragment.select_one("[role=status], .toast").get_text()  # type: ignore[union-attr]
    assert "already asked for" in soup(again).get_text()
    assert len(session.exec(select(JobRequest)).all()) == 1


def test_run_now_of_no_such_job_is_404(signed_in: WebClient, session: Session) -> None:
    assert signed_in.post("/admin/jobs/no-such-job/run").status_code == 404
    assert session.exec(select(JobRequest)).all() == []


def test_run_now_needs_the_csrf_token(signed_in: WebClient, session: Session) -> None:
    assert signed_in.post("/admin/jobs/count-a/run", csrf=False).status_code == 403
    assert session.exec(select(JobRequest)).all() == []


def test_the_history_filters_by_job_and_pages(
    signed_in: WebClient, session: Session, admin: User
) -> None:
    for minute in range(30):
        add_run(
            session,
            "count-a",
            f"slot-{minute:02d}",
            status="succeeded",
            started_at=NOW + dt.timedelta(minutes=minute),
        )
    later = NOW + dt.timedelta(hours=1)
    add_run(
        session,
        "count-b",
        "request-7",
        status="running",
        requested_by_id=admin.id,
        started_at=later,
    )

    everything = soup(signed_in.get("/admin/jobs"))
    only_a = soup(signed_in.htmx_get("/admin/jobs?job=count-a"))
    second_page = soup(signed_in.htmx_get("/admin/jobs?job=count-a&page=2"))

    assert "31 runs" in everything.select_one("#job-history .card__head").get_text()  # type: ignore[union-attr]
    first, second = everything.select("#job-history tbody tr")[:2]  # newest first
    assert "request-7" in first.get_text() and "Ada Admin" in first.get_text()
    assert first.select_one(".badge--running") is not None
    assert "slot-29" in second.get_text() and "schedule" in second.get_text()
    assert only_a.select_one("h1") is None and only_a.select_one("section#job-history")
    assert "30 runs" in only_a.get_text()
    periods = [row.select("td")[2].get_text() for row in only_a.select("tbody tr")]
    assert periods == [f"slot-{m:02d}" for m in range(29, 4, -1)]  # 25 a page
    assert [row.select("td")[2].get_text() for row in second_page.select("tbody tr")] == [
        f"slot-{m:02d}" for m in range(4, -1, -1)
    ]
    older = only_a.select_one("a[rel=next]")
    assert older is not None and older["href"] == "/admin/jobs?job=count-a&page=2"


@pytest.mark.parametrize("role", ["county_staff", "liaison", "member"])
def test_only_administrators_see_the_jobs(client: WebClient, session: Session, role: str) -> None:
    client.sign_in(create_user(session, role=role))
    assert client.get("/admin/jobs").status_code == 403
    assert client.post("/admin/jobs/count-a/run").status_code == 403
    assert session.exec(select(JobRequest)).all() == []
