"""Helpers for the admin tests (the shared factories stay untouched)."""

from __future__ import annotations

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


def events(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())
