"""Signing in, lock-out after repeated failures, and passwords."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, func, select

from jcpp.audit import service as audit
from jcpp.auth.passwords import DUMMY_HASH, hash_password, password_problem, verify_password
from jcpp.errors import InvalidInput
from jcpp.models import User
from jcpp.models.base import utcnow


class SignInRefused(Exception):
    """Wrong e-mail or password, an inactive account, or a locked one; message says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(func.lower(User.email) == email.strip().lower())).first()


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
    `lockout`, even against the right password.
    """
    now = now or utcnow()
    user = find_user_by_email(session, email)
    if user is None:
        verify_password(password, DUMMY_HASH)
        raise SignInRefused("That e-mail and password do not match an account.")
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise SignInRefused(
            f"Too many failed attempts: this account is locked for {minutes} more minute(s). "
            "An administrator can unlock it by setting a new password."
        )
    if not verify_password(password, user.password_hash):
        _count_failure(session, user, max_failures=max_failures, lockout=lockout, now=now)
        left = max_failures - user.failed_logins
        hint = f" {left} attempt(s) left before the account is locked." if left > 0 else ""
        if user.locked_until is not None and user.locked_until > now:
            hint = f" The account is now locked for {int(lockout.total_seconds() // 60)} minutes."
        raise SignInRefused("That e-mail and password do not match an account." + hint)
    if not user.active:
        raise SignInRefused("This account has been deactivated. Ask an administrator.")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    audit.record(session, user_id=user.id, action="sign_in", entity_type="user", entity_id=user.id)
    session.flush()
    return user


def _count_failure(
    session: Session, user: User, *, max_failures: int, lockout: dt.timedelta, now: dt.datetime
) -> None:
    user.failed_logins += 1
    if user.failed_logins >= max_failures:
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


def change_password(session: Session, *, user: User, current: str, new: str, confirm: str) -> User:
    errors: dict[str, str] = {}
    if not verify_password(current, user.password_hash):
        errors["current"] = "Your current password is not right."
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
    """Set a password (also unlocks the account) and end the user's other sessions."""
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
