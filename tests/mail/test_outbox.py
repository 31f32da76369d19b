"""The outbox against a real SMTP server: what arrives, dedupe, choices, backoff, failure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bs4 import BeautifulSoup
from sqlmodel import Session, col, select

from jcpp.config import Settings
from jcpp.mail import outbox, preferences
from jcpp.mail.outbox import MAX_ATTEMPTS, enqueue, retry_delay, send_pending
from jcpp.models import OutboxMessage, User
from tests.factories import create_user
from tests.mail.conftest import NOW
from tests.mail.smtp_server import Recorder, free_port

Factory = Callable[[], Session]
HTML = "<html><body><h1>Meeting on Thursday</h1><p>Richfield MAC, 6:30 pm</p></body></html>"


def queue(session: Session, user: User, settings: Settings, key: str = "r:1") -> OutboxMessage:
    row = enqueue(
        session,
        user=user,
        to=user.email,
        kind=preferences.MEETING_REMINDER,
        subject="Reminder: Richfield MAC on Thursday",
        text="Richfield MAC meets on Thursday at 6:30 pm.",
        html=HTML,
        dedupe_key=key,
        settings=settings,
    )
    assert row is not None
    return row


def fresh(session: Session, row: OutboxMessage) -> OutboxMessage:
    session.expire_all()
    found = session.get(OutboxMessage, row.id)
    assert found is not None
    return found


def test_a_queued_message_arrives_with_its_text_and_html_parts(
    session: Session,
    session_factory: Factory,
    mail_settings: Settings,
    received: Recorder,
    liaison: User,
) -> None:
    row = queue(session, liaison, mail_settings)

    summary = send_pending(session_factory, now=NOW, settings=mail_settings)

    assert (summary.sent, summary.retrying, summary.failed) == (1, 0, 0)
    [message] = received.accepted
    assert received.over_tls == [False]  # smtp_security "none": a relay on this machine
    assert message["To"] == "amina@example.org"
    assert message["Subject"] == "Reminder: Richfield MAC on Thursday"
    assert message["Message-ID"] == row.message_id
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert "meets on Thursday at 6:30 pm" in text.get_content()
    page = BeautifulSoup(html.get_content(), "html.parser")
    assert page.select_one("h1").get_text() == "Meeting on Thursday"  # type: ignore[union-attr]
    stop = page.find("a", string="Stop e-mails about meeting reminders")
    assert stop is not None
    url = str(stop["href"])
    assert url.startswith("http://testserver/unsubscribe/")
    assert f"Stop e-mails about meeting reminders: {url}" in text.get_content()
    assert message["List-Unsubscribe"] == f"<{url}>"
    sent = fresh(session, row)
    assert sent.status == "sent" and sent.attempts == 1 and sent.sent_at is not None
    assert sent.sent_at >= NOW


def test_a_second_enqueue_with_the_same_key_queues_nothing(
    session: Session,
    session_factory: Factory,
    mail_settings: Settings,
    received: Recorder,
    liaison: User,
) -> None:
    queue(session, liaison, mail_settings, key="reminder:7:1")
    again = enqueue(
        session,
        user=liaison,
        to=liaison.email,
        kind=preferences.MEETING_REMINDER,
        subject="Reminder again",
        text="Twice?",
        html=None,
        dedupe_key="reminder:7:1",
        settings=mail_settings,
    )
    assert again is None
    send_pending(session_factory, now=NOW, settings=mail_settings)
    send_pending(session_factory, now=NOW + dt.timedelta(hours=1), settings=mail_settings)
    assert len(received.accepted) == 1
    rows = session.exec(select(OutboxMessage).where(OutboxMessage.dedupe_key == "reminder:7:1"))
    assert len(rows.all()) == 1


def test_no_mail_for_a_kind_turned_off_a_deactivated_user_or_an_unknown_address(
    session: Session, mail_settings: Settings, liaison: User
) -> None:
    assert liaison.id is not None
    preferences.turn_off(session, user_id=liaison.id, kind=preferences.MEETING_REMINDER)
    gone = create_user(session, active=False)
    kw = {"subject": "S", "text": "T", "html": None, "settings": mail_settings}
    kind = preferences.MEETING_REMINDER
    assert enqueue(session, user=liaison, to=liaison.email, kind=kind, dedupe_key="a", **kw) is None
    assert enqueue(session, user=gone, to=gone.email, kind=kind, dedupe_key="b", **kw) is None
    nobody = enqueue(session, user=None, to="stranger@example.org", kind=kind, dedupe_key="c", **kw)
    assert nobody is None
    # Another kind still comes; an address of an account finds the account.
    other = enqueue(
        session,
        user=None,
        to="AMINA@example.org",
        kind=preferences.FOLLOW_UP_DUE,
        dedupe_key="d",
        **kw,
    )
    assert other is not None and other.user_id == liaison.id
    assert session.exec(select(OutboxMessage)).all() == [other]


def test_without_smtp_messages_stay_queued(
    session: Session, session_factory: Factory, mail_settings: Settings, liaison: User
) -> None:
    row = queue(session, liaison, mail_settings)
    unconfigured = mail_settings.model_copy(update={"smtp_host": ""})
    summary = send_pending(session_factory, now=NOW, settings=unconfigured)
    assert not summary.configured
    assert str(summary) == "No SMTP server configured: messages stay queued."
    row = fresh(session, row)
    assert (row.status, row.attempts) == ("queued", 0)


def test_a_temporary_refusal_backs_off_and_fails_after_the_last_attempt(
    session: Session,
    session_factory: Factory,
    mail_settings: Settings,
    received: Recorder,
    liaison: User,
) -> None:
    row = queue(session, liaison, mail_settings)
    received.refuse[liaison.email] = "451 4.3.0 Mailbox busy, try again later"
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS):
        summary = send_pending(session_factory, now=now, settings=mail_settings)
        assert summary.retrying == 1
        row = fresh(session, row)
        assert (row.status, row.attempts) == ("queued", attempt)
        assert row.next_attempt_at == now + retry_delay(attempt)
        assert "451 4.3.0 Mailbox busy" in (row.last_error or "")
        # Not due a second before its time: nothing is tried.
        early = send_pending(
            session_factory,
            now=row.next_attempt_at - dt.timedelta(seconds=1),
            settings=mail_settings,
        )
        assert (early.sent, early.retrying, early.failed) == (0, 0, 0)
        now = row.next_attempt_at
    assert [retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 8, 9)] == [5, 10, 20, 360, 360]

    summary = send_pending(session_factory, now=now, settings=mail_settings)

    assert summary.failed == 1
    row = fresh(session, row)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", MAX_ATTEMPTS, None)
    assert received.accepted == []
    later = send_pending(session_factory, now=now + dt.timedelta(days=2), settings=mail_settings)
    assert later.failed == 0 and fresh(session, row).attempts == MAX_ATTEMPTS


def test_a_permanent_refusal_fails_at_once_and_the_next_message_still_goes(
    session: Session,
    session_factory: Factory,
    mail_settings: Settings,
    received: Recorder,
    liaison: User,
) -> None:
    other = create_user(session, email="lena@example.org")
    refused = queue(session, liaison, mail_settings, key="a")
    accepted = queue(session, other, mail_settings, key="b")
    received.refuse[liaison.email] = "550 5.1.1 No such mailbox"

    summary = send_pending(session_factory, now=NOW, settings=mail_settings)

    assert (summary.sent, summary.failed) == (1, 1)
    assert fresh(session, refused).status == "failed"
    assert "550 5.1.1 No such mailbox" in (fresh(session, refused).last_error or "")
    assert fresh(session, accepted).status == "sent"
    assert received.message_ids() == [accepted.message_id]


def test_an_unreachable_server_counts_an_attempt_of_each_due_message(
    session: Session, session_factory: Factory, mail_settings: Settings, liaison: User
) -> None:
    rows = [queue(session, liaison, mail_settings, key=k) for k in ("a", "b")]
    nowhere = mail_settings.model_copy(update={"smtp_port": free_port()})

    summary = send_pending(session_factory, now=NOW, settings=nowhere)

    assert summary.retrying == 2 and "ConnectionRefusedError" in (summary.error or "")
    for row in rows:
        row = fresh(session, row)
        assert (row.status, row.attempts) == ("queued", 1)
        assert row.next_attempt_at == NOW + outbox.FIRST_RETRY


def test_a_message_claimed_by_another_sender_waits_until_the_claim_runs_out(
    session: Session,
    session_factory: Factory,
    mail_settings: Settings,
    received: Recorder,
    liaison: User,
) -> None:
    row = queue(session, liaison, mail_settings)
    claim_ends = NOW + outbox.claim_window(mail_settings)
    row.status, row.attempts, row.next_attempt_at = "sending", 1, claim_ends
    session.add(row)
    session.flush()

    during = send_pending(
        session_factory, now=claim_ends - dt.timedelta(seconds=1), settings=mail_settings
    )
    assert during.sent == 0 and received.accepted == []

    after = send_pending(session_factory, now=claim_ends, settings=mail_settings)
    assert after.sent == 1 and received.message_ids() == [row.message_id]
    row = fresh(session, row)
    assert (row.status, row.attempts) == ("sent", 2)
    statuses = session.exec(select(OutboxMessage.status).where(col(OutboxMessage.id) == row.id))
    assert statuses.all() == ["sent"]


def test_a_message_whose_sender_died_at_every_attempt_fails(
    session: Session,
    session_factory: Factory,
    mail_settings: Settings,
    received: Recorder,
    liaison: User,
) -> None:
    row = queue(session, liaison, mail_settings)
    row.status, row.attempts, row.next_attempt_at = "sending", MAX_ATTEMPTS, NOW
    session.add(row)
    session.flush()

    summary = send_pending(session_factory, now=NOW, settings=mail_settings)

    assert (summary.sent, summary.failed) == (0, 1)
    row = fresh(session, row)
    assert (row.status, row.next_attempt_at) == ("failed", None)
    assert "stopped while sending" in (row.last_error or "")
    assert received.accepted == []
