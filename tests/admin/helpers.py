"""Helpers for the admin tests (the shared factories stay untouched)."""

from __future__ import annotations

import secrets
from typing import Any

from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.models import AuditEvent, User
from tests.factories import create_user


def admin_viewer(session: Session, **kw: Any) -> Viewer:
    return load_viewer(session, create_user(session, role="admin", **kw))


def viewer_of(session: Session, user: User) -> Viewer:
    return load_viewer(session, user)


def last_event(session: Session, action: str) -> AuditEvent:
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id).desc())
    ).first()
    assert event is not None, f"no audit event {action!r}"
    return event


def tag() -> str:
    """A short random suffix for names that must be unique in the database."""
    return secrets.token_hex(3)


def actions_by(session: Session, action: str, user_id: int) -> list[AuditEvent]:
    """Audit events of one kind written by one user (each test has its own admin)."""
    return list(
        session.exec(
            select(AuditEvent).where(AuditEvent.action == action, AuditEvent.user_id == user_id)
        ).all()
    )
