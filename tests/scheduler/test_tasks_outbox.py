"""Sent e-mails are kept 90 days, then deleted; what is not sent yet is never deleted."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from jcpp.models import OutboxMessage
from scheduler.tasks.outbox import purge_sent_messages

NOW = dt.datetime(2026, 11, 24, 16, 0, tzinfo=dt.UTC)


def message(session: Session, key: str, status: str, sent_days_ago: int | None) -> None:
    sent_at = None if sent_days_ago is None else NOW - dt.timedelta(days=sent_days_ago)
    session.add(
        OutboxMessage(
            kind="digest", to_address="staff@example.org", subject=key, text_body="Hello",
            dedupe_key=key, message_id=f"<{key}@jcpp.test>", status=status, sent_at=sent_at,
        )
    )  # fmt: skip


def test_sent_messages_older_than_90_days_are_deleted(session: Session) -> None:
    message(session, "old-sent", "sent", 91)
    message(session, "recent-sent", "sent", 89)
    message(session, "queued", "queued", None)
    message(session, "old-failed", "failed", None)
    session.flush()

    outcome = purge_sent_messages(session, now=NOW, period="2026-11-24")

    assert outcome == "1 sent message older than 90 days deleted"
    left = session.exec(select(OutboxMessage.subject).order_by(col(OutboxMessage.subject))).all()
    assert left == ["old-failed", "queued", "recent-sent"]
    assert purge_sent_messages(session, now=NOW, period="2026-11-24").startswith("0 sent messages")
