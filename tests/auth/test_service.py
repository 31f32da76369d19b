from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import threading
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from jcpp.auth import service
from jcpp.models import AuditEvent, User
from tests.factories import create_user

LOCKOUT = dt.timedelta(minutes=15)


def _credentials(directory: Path, *emails: str) -> Path:
    path = directory / "var" / "demo-credentials.txt"
    path.parent.mkdir()
    lines = ["Demo accounts (sign in at http://127.0.0.1:8000/login):"]
    lines += [f"  admin         {email:<22} swift-otter-42" for email in emails]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_changing_a_demo_users_password_deletes_the_demo_credentials(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # var/ is relative to the working directory
    demo = create_user(session)
    other = create_user(session)
    path = _credentials(tmp_path, demo.email, "county@example.org")

    service.set_password(session, user=other, password="not a demo user", by_user_id=None)
    assert path.exists()

    service.set_password(session, user=demo, password="now a secret one", by_user_id=None)
    assert not path.exists()


@pytest.mark.postgres_only
def test_parallel_wrong_passwords_all_count(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six wrong guesses at once, all reading the account before any of them has written: the
    account still locks after five (none of the counts is lost)."""
    assert engine.dialect.name == "postgresql"
    email = f"race-{secrets.token_hex(4)}@example.org"
    with Session(engine) as setup:
        user_id = create_user(setup, email=email).id
        setup.commit()
    guesses = 6
    # Hold every attempt inside the password check until all have started (or, once attempts
    # take turns on the locked row, until the wait times out).
    everyone_started = threading.Barrier(guesses)
    real_verify = service.verify_password

    def verify_when_all_started(password: str, password_hash: str) -> bool:
        with contextlib.suppress(threading.BrokenBarrierError):
            everyone_started.wait(timeout=1)
        return real_verify(password, password_hash)

    monkeypatch.setattr(service, "verify_password", verify_when_all_started)
    failures: list[BaseException] = []

    def guess(n: int) -> None:
        try:
            with Session(engine) as attempt:
                with pytest.raises(service.SignInRefused):
                    service.sign_in(
                        attempt,
                        email=email,
                        password=f"guess number {n}",
                        max_failures=5,
                        lockout=LOCKOUT,
                    )
                attempt.commit()
        except BaseException as error:  # reported below, from the test's own thread
            failures.append(error)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert failures == []
        with Session(engine) as check:
            user = check.get_one(User, user_id)
            locks = check.exec(
                select(AuditEvent).where(
                    AuditEvent.entity_id == user_id, AuditEvent.action == "lock_account"
                )
            ).all()
            assert user.locked_until is not None
            assert len(locks) == 1
    finally:
        with Session(engine) as cleanup:
            cleanup.exec(delete(AuditEvent).where(col(AuditEvent.user_id) == user_id))
            cleanup.exec(delete(User).where(col(User.id) == user_id))
            cleanup.commit()
