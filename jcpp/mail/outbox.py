"""The outbox: every e-mail is a row first, then sent by the scheduler, exactly once.

`enqueue` (in the caller's transaction) respects the user's choices, queues one row per
`dedupe_key` and adds the unsubscribe link. `send_pending` (a scheduler job, every minute) sends
the due rows, each in three steps with a commit between them:

1. claim: `sending`, attempts + 1, `next_attempt_at` = when the claim runs out (committed before
   any byte of the message goes out);
2. SMTP: MAIL, RCPT, DATA; the server answers 250 once it has taken the message;
3. `sent` (committed at once after the 250, before anything else is done).

A process killed between 1 and the server's 250 leaves the row `sending`: the server never
acknowledged its DATA, so it did not deliver it. When the claim has run out (CLAIM_SLACK plus
six SMTP timeouts, longer than a live sender can spend on one message), the next run claims the
row again and sends it, with the same Message-ID. The only gap is a kill after the 250 arrived
and before the one-row commit of step 3 (no network in between): that message goes again, and
its unchanged Message-ID lets mail programs show it once. Until the claim runs out no other
process touches the row, so two senders (two schedulers started by mistake) never send one
message twice. A row that has used MAX_ATTEMPTS becomes `failed`, as does a 5xx refusal.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, and_, func, or_, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.config import Settings, get_settings
from jcpp.mail import smtp
from jcpp.mail.preferences import KINDS, wants_email
from jcpp.mail.unsubscribe import footers, with_footer
from jcpp.models import OutboxMessage, User

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY = dt.timedelta(minutes=5)  # then 10, 20 … minutes, at most MAX_RETRY
MAX_RETRY = dt.timedelta(hours=6)  # ten attempts span about 23 hours
CLAIM_SLACK = dt.timedelta(minutes=1)
FINISH_PATIENCE = 60.0  # seconds to wait out a busy database after the server's 250
BATCH = 200
MAX_ERROR_CHARS = 2000


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    factor: int = 2 ** max(attempts - 1, 0)
    return min(FIRST_RETRY * factor, MAX_RETRY)


def claim_window(settings: Settings) -> dt.timedelta:
    return CLAIM_SLACK + dt.timedelta(seconds=6 * settings.smtp_timeout)


# --- enqueue -------------------------------------------------------------------------------------


def _message_id(settings: Settings) -> str:
    return make_msgid(domain=urlsplit(settings.base_url).hostname or "jcpp.invalid")


def _recipient(session: Session, user: User | None, to: str) -> User | None:
    if user is not None:
        return user
    query = select(User).where(func.lower(User.email) == to.strip().lower())
    return session.exec(query).first()


def enqueue(
    session: Session,
    *,
    user: User | None,
    to: str,
    kind: str,
    subject: str,
    text: str,
    html: str | None,
    dedupe_key: str,
    settings: Settings | None = None,
) -> OutboxMessage | None:
    """Queue one e-mail of `kind` (a key of preferences.KINDS); None when nothing was queued.

    Nothing is queued when the user turned `kind` off, is deactivated, or `dedupe_key` was queued
    before (a second call is a no-op, also when two processes race: the key is unique). With
    `user` None the account is found by address; an address without an account gets no
    e-mail, since it could not unsubscribe. Both parts get the kind's unsubscribe link.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    if "\n" in to or "\r" in to or "@" not in to:
        raise ValueError(f"not an e-mail address: {to!r}")
    settings = settings or get_settings()
    user = _recipient(session, user, to)
    if user is None or user.id is None:
        log.info("no e-mail of kind %s to %s: no account has that address", kind, to)
        return None
    if not user.active or not wants_email(session, user_id=user.id, kind=kind):
        return None
    if session.exec(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)).first():
        return None
    text_footer, html_footer = footers(settings, user_id=user.id, kind=kind)
    row = OutboxMessage(
        kind=kind,
        user_id=user.id,
        to_address=to.strip(),
        subject=" ".join(subject.split())[:300],
        text_body=text + text_footer,
        html_body=with_footer(html, html_footer) if html else None,
        dedupe_key=dedupe_key,
        message_id=_message_id(settings),
        created_at=clock.now(),
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # queued by another process meanwhile
        return None
    return row


# --- send_pending --------------------------------------------------------------------------------

SessionFactory = Callable[[], Session]


@dataclass
class SendSummary:
    configured: bool
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    error: str | None = None

    def __str__(self) -> str:
        if not self.configured:
            return "No SMTP server configured: messages stay queued."
        text = f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed"
        return f"{text} ({self.error})" if self.error else text


def _due(now: dt.datetime) -> ColumnElement[bool]:
    queued = and_(
        col(OutboxMessage.status) == "queued",
        or_(
            col(OutboxMessage.next_attempt_at).is_(None), col(OutboxMessage.next_attempt_at) <= now
        ),
    )
    abandoned = and_(
        col(OutboxMessage.status) == "sending", col(OutboxMessage.next_attempt_at) <= now
    )
    return or_(queued, abandoned)


def _give_up_abandoned(session: Session, *, now: dt.datetime) -> int:
    """Fail the messages whose every attempt ended with their sender gone (a message that kills
    its sender must not be tried forever); commits."""
    result = session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.status) == "sending",
            col(OutboxMessage.next_attempt_at) <= now,
            col(OutboxMessage.attempts) >= MAX_ATTEMPTS,
        )
        .values(
            status="failed",
            next_attempt_at=None,
            last_error="The sender stopped while sending this message at each attempt; "
            "the server never confirmed it.",
        )
    )
    session.commit()
    return int(result.rowcount)


def due_ids(session: Session, *, now: dt.datetime, limit: int = BATCH) -> list[int]:
    """Rows to send now, oldest first: queued and due, or `sending` with a claim run out."""
    query = select(OutboxMessage.id).where(_due(now)).order_by(col(OutboxMessage.id)).limit(limit)
    return [row_id for row_id in session.exec(query) if row_id is not None]


@dataclass(frozen=True)
class Claim:
    row_id: int
    attempts: int
    message: EmailMessage


def _claim(
    factory: SessionFactory,
    row_id: int,
    *,
    now: dt.datetime,
    until: dt.datetime,
    settings: Settings,
) -> Claim | None:
    """Mark the row `sending` if it is still due (committed); None if another sender has it."""
    with factory() as session:
        claimed = session.exec(
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == row_id, _due(now))
            .values(status="sending", attempts=OutboxMessage.attempts + 1, next_attempt_at=until)
        )
        if claimed.rowcount != 1:
            session.rollback()
            return None
        row = session.get(OutboxMessage, row_id, populate_existing=True)
        assert row is not None
        claim = Claim(row_id, row.attempts, smtp.build_message(row, settings=settings))
        session.commit()
        return claim


def _finish(factory: SessionFactory, claim: Claim, **values: object) -> None:
    """Record how the claimed attempt ended, unless another sender took the row over.

    After the server's 250 this commit is all that stands between a delivered message and its
    being sent again, so a database busy for a while (SQLite's write lock held by another job)
    is waited out for FINISH_PATIENCE, well inside the claim."""
    deadline = time.monotonic() + FINISH_PATIENCE
    while True:
        try:
            done = _update_claimed(factory, claim, values)
            break
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            log.warning("outbox message %s: database busy, recording it again", claim.row_id)
            time.sleep(1)
    if done != 1:
        log.warning("outbox message %s was claimed again while being sent", claim.row_id)


def _update_claimed(factory: SessionFactory, claim: Claim, values: dict[str, object]) -> int:
    with factory() as session:
        done = session.exec(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == claim.row_id,
                col(OutboxMessage.status) == "sending",
                col(OutboxMessage.attempts) == claim.attempts,
            )
            .values(**values)
        )
        session.commit()
        return int(done.rowcount)


def _record_failure(
    factory: SessionFactory,
    claim: Claim,
    error: Exception,
    *,
    now: dt.datetime,
    refused: bool = False,
) -> str:
    """Queued again after a delay, or failed for good; returns the new status. `refused`: the
    server answered this message itself (a 5xx then fails it at once; a 5xx to signing in, say,
    says nothing about the message)."""
    gives_up = (refused and smtp.permanent(error)) or claim.attempts >= MAX_ATTEMPTS
    status = "failed" if gives_up else "queued"
    _finish(
        factory,
        claim,
        status=status,
        next_attempt_at=None if gives_up else now + retry_delay(claim.attempts),
        last_error=smtp.describe(error)[:MAX_ERROR_CHARS],
    )
    return status


def _count(summary: SendSummary, status: str) -> None:
    if status == "failed":
        summary.failed += 1
    else:
        summary.retrying += 1


class _Clock:
    """`now` as given (a controlled clock in tests) plus the real time spent since."""

    def __init__(self, now: dt.datetime) -> None:
        self.start, self.base = time.monotonic(), now

    def __call__(self) -> dt.datetime:
        return self.base + dt.timedelta(seconds=time.monotonic() - self.start)


def send_pending(
    session_factory: SessionFactory, *, now: dt.datetime, settings: Settings, limit: int = BATCH
) -> SendSummary:
    """Send the due messages (see the module's docstring for how none is lost or sent twice).

    `session_factory` opens a new session (each step commits its own short transaction). With no
    SMTP server configured nothing happens and the messages stay queued. A connection failure
    counts as a failed attempt of every due message; a dropped connection ends the batch.
    """
    summary = SendSummary(configured=smtp.configured(settings))
    if not summary.configured:
        return summary
    with session_factory() as session:
        summary.failed += _give_up_abandoned(session, now=now)
        ids = due_ids(session, now=now, limit=limit)
    if not ids:
        return summary
    moment = _Clock(now)
    try:
        with smtp.connect(settings) as connection:
            _send_batch(session_factory, connection, ids, moment, settings, summary)
    except (smtplib.SMTPException, OSError) as error:
        summary.error = smtp.describe(error)
        _all_failed(session_factory, ids, error, moment, settings, summary)
    return summary


def _send_batch(
    factory: SessionFactory,
    connection: smtplib.SMTP,
    ids: list[int],
    moment: _Clock,
    settings: Settings,
    summary: SendSummary,
) -> None:
    window = claim_window(settings)
    while ids:
        claim = _claim(factory, ids[0], now=moment.base, until=moment() + window, settings=settings)
        if claim is None:
            ids.pop(0)
            continue
        try:
            smtp.deliver(connection, claim.message)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as error:
            status = _record_failure(factory, claim, error, now=moment.base, refused=True)
            _count(summary, status)
            ids.pop(0)
            continue
        except (smtplib.SMTPException, OSError) as error:  # connection lost: end the batch
            _count(summary, _record_failure(factory, claim, error, now=moment.base))
            summary.error = smtp.describe(error)
            ids.clear()
            return
        _finish(factory, claim, status="sent", sent_at=moment(), next_attempt_at=None)
        summary.sent += 1
        ids.pop(0)


def _all_failed(
    factory: SessionFactory,
    ids: list[int],
    error: Exception,
    moment: _Clock,
    settings: Settings,
    summary: SendSummary,
) -> None:
    """The server could not be reached (or refused us): an attempt of each message not yet
    tried in this batch, so that each backs off and, at last, fails visibly."""
    window = claim_window(settings)
    for row_id in ids:
        claim = _claim(factory, row_id, now=moment.base, until=moment() + window, settings=settings)
        if claim is not None:
            _count(summary, _record_failure(factory, claim, error, now=moment.base))


def send_outbox(session: Session, *, now: dt.datetime, period: str) -> str:
    """The scheduler's job (every minute): `send_pending` on the job session's engine.

    The job's own session is left unused: each step of sending commits in a session of its own,
    and on SQLite a job session that had begun would hold the write lock those steps need.
    """
    engine = session.get_bind()
    summary = send_pending(lambda: Session(engine), now=now, settings=get_settings())
    return str(summary)
