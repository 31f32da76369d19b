"""The Outbox page's queries: filters, counts, purging what was sent long ago."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from jcpp.config import Settings
from jcpp.mail import preferences
from jcpp.mail.outbox import enqueue
from jcpp.mail.service import OutboxFilter, list_messages, purge_sent, status_counts
from jcpp.models import OutboxMessage, User
from tests.mail.conftest import NOW


def make(session: Session, user: User, settings: Settings, key: str, kind: str) -> OutboxMessage:
    row = enqueue(
        session,
        user=user,
        to=user.email,
        kind=kind,
        subject=key,
        text="t",
        html=None,
        dedupe_key=key,
        settings=settings,
    )
    assert row is not None
    return row


def test_filters_counts_and_purging_old_sent_messages(
    session: Session, mail_settings: Settings, liaison: User
) -> None:
    old = make(session, liaison, mail_settings, "old", preferences.MEETING_REMINDER)
    recent = make(session, liaison, mail_settings, "recent", preferences.MEETING_REMINDER)
    failed = make(session, liaison, mail_settings, "failed", preferences.FOLLOW_UP_DUE)
    queued = make(session, liaison, mail_settings, "queued", preferences.FOLLOW_UP_DUE)
    old.status, old.sent_at = "sent", NOW - dt.timedelta(days=91)
    recent.status, recent.sent_at = "sent", NOW - dt.timedelta(days=89)
    failed.status = "failed"
    session.add_all([old, recent, failed])
    session.flush()

    assert status_counts(session) == {"queued": 1, "sending": 0, "sent": 2, "failed": 1}
    rows, total = list_messages(session, filters=OutboxFilter(kind=preferences.FOLLOW_UP_DUE))
    assert ([r.subject for r in rows], total) == (["queued", "failed"], 2)
    rows, total = list_messages(session, filters=OutboxFilter(status="sent"))
    assert [r.subject for r in rows] == ["recent", "old"]

    assert purge_sent(session, before=NOW - dt.timedelta(days=90)) == 1

    left = session.exec(select(OutboxMessage.subject).order_by(col(OutboxMessage.id))).all()
    assert left == ["recent", "failed", "queued"]
    assert queued.status == "queued"
