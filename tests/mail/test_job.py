"""The sending job run by the scheduler's own runner (a lease, a run per period, the job's
session committed after it), on a database of its own, against a real SMTP server."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from jcpp.config import get_settings
from jcpp.mail import preferences
from jcpp.mail.outbox import enqueue, send_outbox
from jcpp.models import JobRun, OutboxMessage
from scheduler.runner import run_job
from scheduler.spec import JobSpec, every
from tests.factories import create_user
from tests.mail.smtp_server import SmtpServer

SEND = JobSpec(
    id="send-email", description="Send e-mail", schedule=every(minutes=1), run=send_outbox
)


def test_the_job_sends_the_queue_in_the_scheduler_runner(
    own_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SmtpServer() as server:
        for name, value in {
            "JCPP_SMTP_HOST": "127.0.0.1",
            "JCPP_SMTP_PORT": str(server.port),
            "JCPP_SMTP_SECURITY": "none",
            "JCPP_SMTP_FROM": "jcpp@county.example",
        }.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        try:
            with Session(own_engine, expire_on_commit=False) as session:
                for n in range(2):
                    user = create_user(session)
                    enqueue(
                        session,
                        user=user,
                        to=user.email,
                        kind=preferences.MINUTES_MISSING,
                        subject=f"Minutes missing {n}",
                        text="Please write the minutes.",
                        html=None,
                        dedupe_key=f"job-test:{n}",
                    )
                session.commit()

            result = run_job(own_engine, SEND, holder="test:1", period="2026-03-02T15:00Z")
        finally:
            get_settings.cache_clear()

    assert (result.status, result.detail) == ("succeeded", "2 sent, 0 to retry, 0 failed")
    assert len(server.recorder.accepted) == 2
    with Session(own_engine) as session:
        statuses = session.exec(select(OutboxMessage.status).order_by(col(OutboxMessage.id)))
        assert statuses.all() == ["sent", "sent"]
        run = session.exec(select(JobRun).where(JobRun.job_id == "send-email")).one()
        assert (run.status, run.outcome) == ("succeeded", "2 sent, 0 to retry, 0 failed")
