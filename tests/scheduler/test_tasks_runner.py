"""Every job of the list run by the runner on a committed database (SQLite and PostgreSQL), as
the scheduler process runs them: each succeeds once per period and the second try finds its
period done; the e-mails the jobs queued then go through a real SMTP server (aiosmtpd), the
digest with its plain-text and HTML parts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bs4 import BeautifulSoup
from sqlalchemy.engine import Engine
from sqlmodel import Session

from jcpp import clock
from jcpp.config import get_settings
from jcpp.db import writing
from jcpp.mail.outbox import send_pending
from jcpp.models import Meeting
from scheduler.jobs import JOBS
from scheduler.runner import run_job
from tests.factories import create_committee, create_membership, create_person, create_user
from tests.mail.smtp_server import SmtpServer


def seed(engine: Engine) -> tuple[str, str]:
    """A county staff member, and a member on a committee meeting the day after tomorrow;
    their addresses."""
    with Session(writing(engine), expire_on_commit=False) as session:
        staff = create_user(session, role="county_staff", name="Staff <Lead>")
        committee = create_committee(session)
        person = create_person(session)
        member = create_user(session, role="member", committees=[committee], person_id=person.id)
        create_membership(session, committee=committee, person=person)
        start = dt.datetime(2026, 11, 26, 18, 30, tzinfo=clock.zone()).astimezone(dt.UTC)
        session.add(Meeting(committee_id=committee.id or 0, start_at=start, status="scheduled"))
        session.commit()
        return staff.email, member.email


def test_each_job_runs_once_per_period_and_its_mail_is_received(
    db: Engine, at: list[dt.datetime]
) -> None:
    staff, member = seed(db)

    first = {spec.id: run_job(db, spec, holder="test") for spec in JOBS}
    second = {spec.id: run_job(db, spec, holder="test") for spec in JOBS}

    failed = {job: r.detail for job, r in first.items() if r.status != "succeeded"}
    assert failed == {}
    assert {r.status for r in second.values()} == {"done"}
    assert first["weekly-digest"].period == "2026-W48"
    assert first["weekly-digest"].detail.startswith("1 digest queued of 1 subscriber")
    assert first["meeting-reminders"].detail.endswith("1 e-mail queued, 1 in-app notice")
    assert first["retrain-classifier"].detail == "0 new reviews; retraining waits for 50"

    settings = get_settings().model_copy(
        update={"smtp_security": "none", "smtp_from": "JCPP <jcpp@county.example>"}
    )
    factory: Callable[[], Session] = lambda: Session(writing(db), expire_on_commit=False)  # noqa: E731
    with SmtpServer() as server:
        settings = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": server.port})
        summary = send_pending(factory, now=at[0], settings=settings)
    assert (summary.sent, summary.failed) == (2, 0)
    received = {str(m["To"]): m for m in server.recorder.accepted}
    assert set(received) == {staff, member}
    digest = received[staff]
    assert digest.get_content_type() == "multipart/alternative"
    assert digest["Subject"] == "JCPP weekly digest, Nov 24, 2026"
    text = digest.get_body(("plain",))
    html = digest.get_body(("html",))
    assert text is not None and html is not None
    words = text.get_content()
    assert "Hello Staff <Lead>, here is the week across every member city." in words
    assert "TREND SIGNALS" in words and "OVERDUE FOLLOW-UPS" in words
    assert f"{get_settings().base_url.rstrip('/')}/unsubscribe/" in words  # the outbox's footer
    page = BeautifulSoup(html.get_content(), "html.parser")
    assert page.find("lead") is None  # the name escaped, not markup
    assert page.select_one("p").get_text() == "Joint Community Police Partnership"
    assert [h.get_text() for h in page.select("h2")] == [
        "Trend signals",
        "Overdue follow-ups",
        "Cities behind on minutes",
    ]
    base = get_settings().base_url.rstrip("/")
    assert all(a["href"].startswith(base) for a in page.select("a"))
    assert str(digest["List-Unsubscribe"]).startswith(f"<{base}/unsubscribe/")
    reminder = received[member]
    assert str(reminder["Subject"]).startswith("Reminder: ")
    assert reminder.get_body(("html",)) is not None
