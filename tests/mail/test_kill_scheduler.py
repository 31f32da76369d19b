"""The scheduler itself (`python -m scheduler`, the real e-mail job) killed with SIGKILL in the
middle of sending, then started again: no e-mail lost, none sent twice."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy.engine import Engine

from jcpp.config import Settings
from jcpp.mail.outbox import claim_window
from tests.mail.smtp_server import SmtpServer
from tests.mail.test_kill import KILLED_AT, MESSAGES, _queue_batch, _sender, _statuses

ROOT = Path(__file__).resolve().parents[2]
SMTP_TIMEOUT = 2


def start_scheduler(engine: Engine, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "JCPP_SMTP_HOST": "127.0.0.1",
        "JCPP_SMTP_PORT": str(port),
        "JCPP_SMTP_SECURITY": "none",
        "JCPP_SMTP_FROM": "jcpp@county.example",
        "JCPP_SMTP_TIMEOUT": str(SMTP_TIMEOUT),
    }
    url = engine.url.render_as_string(hide_password=False)
    command = [sys.executable, "-m", "scheduler", "--database-url", url, "--every", "1"]
    command += ["--poll", "1", "--jobs", "tests.mail.outbox_jobs:JOBS"]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_until(condition: object, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def test_a_scheduler_killed_mid_batch_and_restarted_loses_nothing_and_sends_nothing_twice(
    own_engine: Engine, tmp_path: Path
) -> None:
    with SmtpServer() as server:
        message_ids = _queue_batch(own_engine, Settings(smtp_timeout=SMTP_TIMEOUT))
        seen: list[str] = []
        scheduler: list[subprocess.Popen[bytes]] = []

        def kill_on_third(message: EmailMessage) -> str | None:
            seen.append(str(message["Message-ID"]))
            if len(seen) == KILLED_AT:
                os.kill(scheduler[0].pid, signal.SIGKILL)
                return "451 4.3.0 never answered: the scheduler is gone"
            return None

        server.recorder.before_reply = kill_on_third
        scheduler.append(start_scheduler(own_engine, server.port, tmp_path / "first.log"))
        scheduler[0].wait(timeout=90)
        assert scheduler[0].returncode == -signal.SIGKILL
        killed_at = dt.datetime.now(dt.UTC)
        assert server.recorder.message_ids() == message_ids[: KILLED_AT - 1]

        # Started again: the rest goes; the claimed, unacknowledged one waits for its claim.
        server.recorder.before_reply = None
        again = start_scheduler(own_engine, server.port, tmp_path / "second.log")
        try:
            wait_until(
                lambda: len(server.recorder.message_ids()) == MESSAGES - 1, "the rest to be sent"
            )
        finally:
            again.send_signal(signal.SIGTERM)
            again.wait(timeout=30)
        assert [status for status, _ in _statuses(own_engine)].count("sending") == 1

        # Once the claim has run out, the claimed message goes, with its own Message-ID.
        after_claim = killed_at + claim_window(Settings(smtp_timeout=SMTP_TIMEOUT))
        later = _sender(own_engine, server.port, after_claim + dt.timedelta(minutes=1))
        assert later.communicate(timeout=60)[0].strip() == "1 sent, 0 to retry, 0 failed"

        received = Counter(server.recorder.message_ids())
    assert sorted(received) == sorted(message_ids)
    assert set(received.values()) == {1}
    assert {status for status, _ in _statuses(own_engine)} == {"sent"}
