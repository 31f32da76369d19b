"""A sender killed with SIGKILL in the middle of a batch, then started again: every message is
received exactly once (by Message-ID). Real processes, a real SMTP server, a database of the
test's own (the sender commits), SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from email.message import EmailMessage

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from jcpp.config import Settings
from jcpp.db import writing
from jcpp.mail import preferences
from jcpp.mail.outbox import claim_window, enqueue, send_pending
from jcpp.models import OutboxMessage
from tests.factories import create_user
from tests.mail.smtp_server import SmtpServer

T0 = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
MESSAGES = 6
KILLED_AT = 3  # the server kills the sender when the third message's DATA is in, before 250


def _queue_batch(engine: Engine, settings: Settings, count: int = MESSAGES) -> list[str]:
    with Session(engine, expire_on_commit=False) as session:
        ids = []
        for n in range(count):
            user = create_user(session, email=f"member{n}@example.org")
            row = enqueue(
                session,
                user=user,
                to=user.email,
                kind=preferences.MEETING_REMINDER,
                subject=f"Reminder {n}",
                text=f"Message {n}",
                html=f"<p>Message {n}</p>",
                dedupe_key=f"kill-test:{n}",
                settings=settings,
            )
            assert row is not None
            ids.append(row.message_id)
        session.commit()
    return ids


def _sender(
    engine: Engine, port: int, now: dt.datetime, *, smtp_timeout: int = 5
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "JCPP_DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "JCPP_SMTP_HOST": "127.0.0.1",
        "JCPP_SMTP_PORT": str(port),
        "JCPP_SMTP_SECURITY": "none",
        "JCPP_SMTP_FROM": "jcpp@county.example",
        "JCPP_SMTP_TIMEOUT": str(smtp_timeout),
    }
    command = [sys.executable, "-m", "jcpp.mail", "--now", now.isoformat()]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def _statuses(engine: Engine) -> list[tuple[str, int]]:
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
        return [(row.status, row.attempts) for row in rows]


def test_a_sender_killed_before_the_servers_250_loses_nothing_and_sends_nothing_twice(
    own_engine: Engine,
) -> None:
    with SmtpServer() as server:
        settings = Settings(smtp_timeout=5.0)
        message_ids = _queue_batch(own_engine, settings)
        seen: list[str] = []
        child: list[subprocess.Popen[str]] = []

        def kill_on_third(message: EmailMessage) -> str | None:
            seen.append(str(message["Message-ID"]))
            if len(seen) == KILLED_AT:
                os.kill(child[0].pid, signal.SIGKILL)
                return "451 4.3.0 never answered: the sender is gone"
            return None

        server.recorder.before_reply = kill_on_third
        child.append(_sender(own_engine, server.port, T0))
        child[0].communicate(timeout=60)
        assert child[0].returncode == -signal.SIGKILL

        # What the kill left: two sent, the third claimed and unacknowledged, the rest queued.
        assert _statuses(own_engine) == [("sent", 1)] * 2 + [("sending", 1)] + [("queued", 0)] * 3
        assert server.recorder.message_ids() == message_ids[:2]

        # Started again at once: the rest goes, the claimed one waits (its sender might live).
        server.recorder.before_reply = None
        soon = _sender(own_engine, server.port, T0 + dt.timedelta(seconds=30))
        assert soon.communicate(timeout=60)[0].strip() == "3 sent, 0 to retry, 0 failed"
        assert _statuses(own_engine)[2] == ("sending", 1)

        # Once the claim has run out, the claimed message goes, with the same Message-ID.
        claim_ended = T0 + claim_window(settings) + dt.timedelta(minutes=1)
        later = _sender(own_engine, server.port, claim_ended)
        assert later.communicate(timeout=60)[0].strip() == "1 sent, 0 to retry, 0 failed"

        received = Counter(server.recorder.message_ids())
    assert sorted(received) == sorted(message_ids)
    assert set(received.values()) == {1}
    assert _statuses(own_engine) == [("sent", 1)] * 2 + [("sent", 2)] + [("sent", 1)] * 3


def test_two_senders_at_once_send_each_message_once(own_engine: Engine) -> None:
    """Two schedulers started by mistake: each message is claimed by one of them only."""
    with SmtpServer() as server:
        message_ids = _queue_batch(own_engine, Settings(), count=20)

        async def until_both_are_sending(message: EmailMessage) -> None:
            """The first message waits (up to 60 s) until the other sender has claimed one too:
            both are then in the middle of the same batch."""
            for _ in range(1200):
                if [status for status, _ in _statuses(own_engine)].count("sending") >= 2:
                    break
                await asyncio.sleep(0.05)
            server.recorder.hold = None

        server.recorder.hold = until_both_are_sending
        # The held sender must outwait the other's start (seconds on a busy machine).
        senders = [_sender(own_engine, server.port, T0, smtp_timeout=90) for _ in range(2)]
        outputs = [sender.communicate(timeout=120)[0].strip() for sender in senders]

        received = Counter(server.recorder.message_ids())
    assert [sender.returncode for sender in senders] == [0, 0]
    sent = [int(output.split(" sent")[0]) for output in outputs]
    assert sum(sent) == 20 and min(sent) >= 1, outputs
    assert sorted(received) == sorted(message_ids)
    assert set(received.values()) == {1}


def test_a_database_busy_after_the_250_is_waited_out_not_sent_again(own_engine: Engine) -> None:
    """Another writer holds the database for 7 s just as the server answers 250 (on SQLite longer
    than the 5 s a write waits for the lock): the message is still recorded sent, once."""
    locked, released = threading.Event(), threading.Event()

    def hold_the_database() -> None:
        with writing(own_engine).connect() as connection:
            if own_engine.dialect.name == "postgresql":
                connection.exec_driver_sql("LOCK TABLE outbox_message IN EXCLUSIVE MODE")
            else:
                connection.exec_driver_sql("SELECT 1")  # begins: BEGIN IMMEDIATE
            locked.set()
            time.sleep(7)
            connection.commit()
        released.set()

    def lock_then_accept(message: EmailMessage) -> None:
        threading.Thread(target=hold_the_database).start()
        assert locked.wait(10)
        return None

    with SmtpServer() as server:
        settings = Settings(
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_security="none",
            smtp_from="jcpp@county.example",
            smtp_timeout=5.0,
        )
        [message_id] = _queue_batch(own_engine, settings, count=1)
        server.recorder.before_reply = lock_then_accept

        summary = send_pending(lambda: Session(writing(own_engine)), now=T0, settings=settings)

        assert released.wait(10)
        assert summary.sent == 1, summary
        assert server.recorder.message_ids() == [message_id]
    assert _statuses(own_engine) == [("sent", 1)]
