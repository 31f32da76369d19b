"""Saves that race each other (review S3), on real committed rows and separate connections.

These tests commit, so they build their own rows with unique names and delete them at the end.
Threads order the steps with events; where they sleep it is only to let the other one reach
its lock, and the outcome asserted is the same whichever comes first.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import delete, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.db import request_engine
from jcpp.minutes import service
from jcpp.models import (
    ActionItem,
    AuditEvent,
    City,
    Committee,
    Concern,
    ConcernTopic,
    FollowUp,
    Meeting,
    MeetingTopic,
    Minutes,
    MinutesAnalysis,
    MinutesRevision,
    TopicMention,
    User,
)
from tests.factories import create_city, create_committee, create_meeting, create_user
from tests.minutes.helpers import textarea_value
from tests.web import WebClient, soup


@dataclass(frozen=True)
class Committed:
    meeting_id: int
    user_id: int
    city_id: int

    @property
    def url(self) -> str:
        return f"/meetings/{self.meeting_id}/minutes"


@pytest.fixture
def committed(engine: Engine) -> Iterator[Committed]:
    n = secrets.token_hex(4)
    with Session(engine) as session:
        city = create_city(session, name=f"Race City {n}", slug=f"race-city-{n}")
        meeting = create_meeting(session, committee=create_committee(session, city=city))
        user = create_user(session, role="admin", name=f"Race Admin {n}", email=f"race-{n}@x.org")
        session.commit()
        rows = Committed(meeting.id or 0, user.id or 0, city.id or 0)
    yield rows
    with Session(engine) as session:
        session.exec(  # type: ignore[call-overload]
            delete(AuditEvent).where(
                or_(AuditEvent.city_id == rows.city_id, AuditEvent.user_id == rows.user_id)
            )
        )
        concern_ids = select(Concern.id).where(Concern.meeting_id == rows.meeting_id)
        session.exec(delete(ConcernTopic).where(col(ConcernTopic.concern_id).in_(concern_ids)))  # type: ignore[call-overload]
        # Saving analyses the minutes: its findings go before the meeting.
        for table in (
            FollowUp,
            ActionItem,
            Concern,
            TopicMention,
            MeetingTopic,
            MinutesAnalysis,
            MinutesRevision,
            Minutes,
        ):
            session.exec(delete(table).where(table.meeting_id == rows.meeting_id))  # type: ignore[call-overload]
        session.exec(delete(Meeting).where(col(Meeting.id) == rows.meeting_id))  # type: ignore[call-overload]
        session.exec(delete(Committee).where(col(Committee.city_id) == rows.city_id))  # type: ignore[call-overload]
        session.exec(delete(City).where(col(City.id) == rows.city_id))  # type: ignore[call-overload]
        session.exec(delete(User).where(col(User.id) == rows.user_id))  # type: ignore[call-overload]
        session.commit()


def viewer(session: Session, rows: Committed) -> Viewer:
    user = session.get(User, rows.user_id)
    assert user is not None
    return load_viewer(session, user)


def save(session: Session, rows: Committed, by: Viewer, text: str) -> service.SaveOutcome:
    return service.save_minutes(
        session, rows.meeting_id, text=text, base_revision=0, note=None, by=by
    )


def stored_texts(engine: Engine, rows: Committed) -> list[str]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(MinutesRevision.text)
                .where(MinutesRevision.meeting_id == rows.meeting_id)
                .order_by(col(MinutesRevision.number))
            ).all()
        )


def test_a_first_save_based_on_an_old_read_is_a_conflict_with_the_winners_text(
    engine: Engine, committed: Committed
) -> None:
    """SQLite: the late transaction read before the early one committed, so its write is
    refused with "database is locked"; it must come back as the conflict, not a 500."""
    with (
        Session(engine, expire_on_commit=False) as late,
        Session(engine, expire_on_commit=False) as early,
    ):
        late_viewer = viewer(late, committed)  # the late transaction has read: its view is fixed
        save(early, committed, viewer(early, committed), "Early text")
        early.commit()

        with pytest.raises(service.MinutesConflict) as raised:
            save(late, committed, late_viewer, "Late text")
        late.commit()

    assert raised.value.stored.revision.text == "Early text"
    assert stored_texts(engine, committed) == ["Early text"]


def run_together(*steps: Callable[[], Any]) -> list[Any]:
    """Run each step in its own thread; each result is a value or the exception raised."""
    results: list[Any] = [None] * len(steps)

    def run(index: int, step: Callable[[], Any]) -> None:
        try:
            results[index] = step()
        except Exception as error:  # noqa: BLE001 - the test looks at what was raised
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_first_saves_at_once_give_one_revision_and_one_conflict(
    engine: Engine, committed: Committed
) -> None:
    """PostgreSQL: without the meeting's row lock both find no Minutes row and the second
    insert breaks the unique key; SQLite: the second writer finds the database locked."""
    early_saved = threading.Event()

    def early() -> str:
        with Session(engine) as session:
            save(session, committed, viewer(session, committed), "Early text")
            early_saved.set()
            time.sleep(0.3)  # let the late save reach the lock and wait there
            session.commit()
        return "saved"

    def late() -> str:
        early_saved.wait(timeout=10)
        with Session(engine, expire_on_commit=False) as session:
            save(session, committed, viewer(session, committed), "Late text")
            session.commit()
        return "saved"

    first, second = run_together(early, late)

    assert first == "saved"
    assert isinstance(second, service.MinutesConflict), repr(second)
    assert second.stored.revision.text == "Early text"
    assert stored_texts(engine, committed) == ["Early text"]


@pytest.fixture
def real_app(engine: Engine) -> Any:
    """The app with each request in its own session and transaction (jcpp.db.get_session, as
    in production), on the test database."""
    from jcpp.main import create_app

    application = create_app()
    application.dependency_overrides[request_engine] = lambda: engine
    return application


def test_first_saves_posted_at_once_answer_saved_and_conflict_never_500(
    engine: Engine, committed: Committed, real_app: Any
) -> None:
    with Session(engine) as session:
        user = session.get(User, committed.user_id)
        assert user is not None
    with WebClient(real_app) as ours, WebClient(real_app) as theirs:
        ours.sign_in(user)
        theirs.sign_in(user)
        ours.csrf(), theirs.csrf()
        start = threading.Barrier(2)

        def post(client: WebClient, text: str) -> Any:
            start.wait(timeout=10)
            return client.post(committed.url, data={"text": text, "base_revision": "0"})

        answers = run_together(lambda: post(ours, "Our text"), lambda: post(theirs, "Their text"))

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [303, 409], [a.text[:300] for a in answers]
    refused = next(a for a in answers if a.status_code == 409)
    page = soup(refused)
    [saved_text] = stored_texts(engine, committed)
    mine = "Their text" if saved_text == "Our text" else "Our text"
    assert page.select_one(".minutes-conflict__stored").get_text() == saved_text
    assert textarea_value(page.select_one("#minutes-text")) == mine
