"""Two status changes of one follow-up at the same moment, on committed rows and separate
connections: they take turns (the follow-up's row lock on PostgreSQL, the write lock on SQLite),
so the second sees the first's version and is refused instead of overwriting it. These tests
commit, so they build their own rows and delete them at the end."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from jcpp.auth.permissions import load_viewer
from jcpp.followups.lifecycle import StaleFollowUp, change_status, load_follow_up
from jcpp.models import (
    AuditEvent,
    City,
    Committee,
    FollowUp,
    FollowUpEvent,
    Meeting,
    Notification,
    User,
    UserCity,
)
from tests.factories import create_city, create_committee, create_meeting, create_user
from tests.meetings.test_concurrency import request_session, run_together


@dataclass(frozen=True)
class Committed:
    city_id: int
    follow_up_id: int
    liaison_id: int
    admin_id: int


@pytest.fixture
def committed(engine: Engine) -> Iterator[Committed]:
    n = secrets.token_hex(4)
    with Session(engine) as session:
        city = create_city(session, name=f"Loop City {n}", slug=f"loop-city-{n}")
        meeting = create_meeting(session, committee=create_committee(session, city=city))
        liaison = create_user(session, role="liaison", cities=[city])
        admin = create_user(session, role="admin")
        follow_up = FollowUp(
            meeting_id=meeting.id or 0, title="Stop data", created_by_id=liaison.id
        )
        session.add(follow_up)
        session.commit()
        rows = Committed(city.id or 0, follow_up.id or 0, liaison.id or 0, admin.id or 0)
    yield rows
    users = [rows.liaison_id, rows.admin_id]
    with Session(engine) as session:
        meeting_id = session.exec(
            select(FollowUp.meeting_id).where(FollowUp.id == rows.follow_up_id)
        ).one()
        for statement in [
            delete(Notification).where(col(Notification.follow_up_id) == rows.follow_up_id),
            delete(FollowUpEvent).where(col(FollowUpEvent.follow_up_id) == rows.follow_up_id),
            delete(FollowUp).where(col(FollowUp.id) == rows.follow_up_id),
            delete(AuditEvent).where(col(AuditEvent.user_id).in_(users)),
            delete(UserCity).where(col(UserCity.user_id).in_(users)),
            delete(User).where(col(User.id).in_(users)),
            delete(Meeting).where(col(Meeting.id) == meeting_id),
            delete(Committee).where(col(Committee.city_id) == rows.city_id),
            delete(City).where(col(City.id) == rows.city_id),
        ]:
            session.exec(statement)  # type: ignore[call-overload]
        session.commit()


def test_two_status_changes_at_once_take_turns_and_the_second_is_refused(
    engine: Engine, committed: Committed
) -> None:
    first_has_it = threading.Event()

    def first() -> str:
        sessions = request_session(engine)
        session = next(sessions)
        liaison = load_viewer(session, session.get(User, committed.liaison_id))  # type: ignore[arg-type]
        load_follow_up(session, committed.follow_up_id, viewer=liaison, lock=True)
        first_has_it.set()
        time.sleep(0.3)  # the second change starts meanwhile, and must wait
        follow_up = change_status(
            session, committed.follow_up_id, to="acknowledged", by=liaison, version=1
        )
        next(sessions, None)  # the request ends: commit
        return follow_up.status

    def second() -> str:
        first_has_it.wait(timeout=10)
        sessions = request_session(engine)
        session = next(sessions)
        admin = load_viewer(session, session.get(User, committed.admin_id))  # type: ignore[arg-type]
        try:
            follow_up = change_status(
                session, committed.follow_up_id, to="declined", by=admin, comment="No.",
                version=1,
            )  # fmt: skip
        except StaleFollowUp as stale:
            session.rollback()
            return stale.message
        next(sessions, None)
        return follow_up.status

    results = run_together(first, second)

    assert results[0] == "acknowledged", results
    assert isinstance(results[1], str) and results[1].startswith("User "), results
    assert "(it is now Acknowledged)" in results[1]
    with Session(engine) as session:
        follow_up = session.get(FollowUp, committed.follow_up_id)
        assert follow_up is not None
        assert (follow_up.status, follow_up.version) == ("acknowledged", 2)
        kinds = session.exec(
            select(FollowUpEvent.to_status).where(
                FollowUpEvent.follow_up_id == committed.follow_up_id
            )
        ).all()
        assert kinds == ["acknowledged"]
