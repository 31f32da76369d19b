"""Signing in, lock-out after repeated failures, and passwords."""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session, col, func, select, update

from jcpp.audit import service as audit
from jcpp.auth.passwords import DUMMY_HASH, hash_password, password_problem, verify_password
from jcpp.config import DEMO_CREDENTIALS
from jcpp.errors import InvalidInput
from jcpp.models import User
from jcpp.models.base import utcnow
from jcpp.wording import plural


class SignInRefused(Exception):
    """Wrong e-mail or password, an inactive account, or a locked one.

    The message never tells whether an account exists: a wrong password gets the same answer as
    an unknown e-mail. "Locked" and "deactivated" are said only to whoever knows the password.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def wrong_password_message(max_failures: int, lockout: dt.timedelta) -> str:
    minutes = int(lockout.total_seconds() // 60)
    return (
        f"Wrong e-mail or password. After {max_failures} failed attempts in a row, "
        f"an account is locked for {minutes} minutes."
    )


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(func.lower(User.email) == email.strip().lower())).first()


def _user_for_sign_in(session: Session, email: str) -> User | None:
    """The account, its row locked until the transaction ends (PostgreSQL), and read afresh:
    parallel attempts on one account take turns, so none of them counts a stale number."""
    return session.exec(
        select(User)
        .where(func.lower(User.email) == email.strip().lower())
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def is_locked(user: User, now: dt.datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def locked_message(user: User, now: dt.datetime) -> str:
    assert user.locked_until is not None
    minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
    return (
        f"Too many failed attempts: this account is locked for {plural(minutes, 'more minute')}. "
        "An administrator can unlock it by setting a new password."
    )


def sign_in(
    session: Session,
    *,
    email: str,
    password: str,
    max_failures: int,
    lockout: dt.timedelta,
    now: dt.datetime | None = None,
) -> User:
    """The user whose e-mail and password these are, or SignInRefused.

    Failures are counted per account; after `max_failures` in a row the account is locked for
    `lockout`, even against the right password. Every attempt checks a password hash (a dummy
    one for unknown e-mails), so the answer takes as long whatever the account's state.
    """
    now = now or utcnow()
    refused = SignInRefused(wrong_password_message(max_failures, lockout))
    user = _user_for_sign_in(session, email)
    if user is None:
        verify_password(password, DUMMY_HASH)
        raise refused
    if not verify_password(password, user.password_hash):
        if not is_locked(user, now):
            count_failure(session, user, max_failures=max_failures, lockout=lockout, now=now)
        raise refused
    if is_locked(user, now):
        raise SignInRefused(locked_message(user, now))
    if not user.active:
        raise SignInRefused("This account has been deactivated. Ask an administrator.")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    audit.record(
        session,
        user_id=user.id,
        action="sign_in",
        entity_type="user",
        entity_id=user.id,
        summary=f"Signed in as {user.email}",
    )
    session.flush()
    return user


def count_failure(
    session: Session, user: User, *, max_failures: int, lockout: dt.timedelta, now: dt.datetime
) -> bool:
    """Count one wrong password, in the database itself (failed_logins + 1), so that parallel
    attempts cannot overwrite each other's count. Returns whether this failure locked the
    account."""
    failures = session.exec(
        update(User)
        .where(col(User.id) == user.id)
        .values(failed_logins=col(User.failed_logins) + 1)
        .returning(col(User.failed_logins))
        .execution_options(synchronize_session=False)
    ).one()
    user.failed_logins = failures[0]
    locked = user.failed_logins >= max_failures
    if locked:
        user.locked_until = now + lockout
        user.failed_logins = 0
        audit.record(
            session,
            user_id=user.id,
            action="lock_account",
            entity_type="user",
            entity_id=user.id,
            summary=f"Locked after {max_failures} failed sign-ins",
        )
    session.add(user)
    session.flush()
    return locked


def change_password(
    session: Session,
    *,
    user: User,
    current: str,
    new: str,
    confirm: str,
    max_failures: int,
    lockout: dt.timedelta,
    now: dt.datetime | None = None,
) -> User:
    """The signed-in user changes her password, giving the current one.

    A wrong current password counts toward the lock-out like a failed sign-in (a borrowed
    session cannot be used to guess it), and a locked account cannot change its password.
    """
    now = now or utcnow()
    right = verify_password(current, user.password_hash)
    if is_locked(user, now):
        raise InvalidInput({"current": locked_message(user, now)})
    errors: dict[str, str] = {}
    if not right:
        locked = count_failure(session, user, max_failures=max_failures, lockout=lockout, now=now)
        errors["current"] = (
            locked_message(user, now) if locked else "Your current password is not right."
        )
    problem = password_problem(new)
    if problem:
        errors["new"] = problem
    elif new != confirm:
        errors["confirm"] = "The two new passwords differ."
    if errors:
        raise InvalidInput(errors)
    set_password(session, user=user, password=new, by_user_id=user.id)
    return user


def set_password(session: Session, *, user: User, password: str, by_user_id: int | None) -> None:
    """Set a password (also unlocks the account) and end the user's other sessions.

    When the user is a demo account listed in var/demo-credentials.txt, that file is deleted:
    it would otherwise keep showing a password that no longer works (or, worse, one that still
    works for the other demo accounts after this one was secured).
    """
    problem = password_problem(password)
    if problem:
        raise InvalidInput({"password": problem})
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    audit.record(
        session,
        user_id=by_user_id,
        action="set_password",
        entity_type="user",
        entity_id=user.id,
        summary=f"Password changed for {user.email}",
    )
    session.flush()
    forget_demo_credentials(user.email)


def forget_demo_credentials(email: str) -> bool:
    """Delete var/demo-credentials.txt if it lists `email`; whether it did."""
    try:
        listing = DEMO_CREDENTIALS.read_text()
    except OSError:
        return False
    emails = {word.lower() for word in re.findall(r"\S+@\S+", listing)}
    if email.strip().lower() not in emails:
        return False
    DEMO_CREDENTIALS.unlink(missing_ok=True)
    return True
