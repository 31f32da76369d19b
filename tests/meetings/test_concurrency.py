"""Write requests at the same moment, on real committed rows and separate connections.

A request that may write holds SQLite's write lock from the start of its transaction (jcpp.db),
so two saves take turns instead of the second failing with "database is locked"; PostgreSQL
gets the same from the meeting's row lock. These tests commit, so they build their own rows
with unique names and delete them at the end.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col
from starlette.requests import Request

from jcpp.db import get_session
from jcpp.models import City, Committee, Meeting
from tests.factories import create_city, create_committee, create_meeting


@dataclass(frozen=True)
class Committed:
    city_id: int
    meeting_id: int


@pytest.fixture
def committed(engine: Engine) -> Iterator[Committed]:
    """A meeting, committed."""
    n = secrets.token_hex(4)
    with Session(engine) as session:
        city = create_city(session, name=f"Turns City {n}", slug=f"turns-city-{n}")
        meeting = create_meeting(session, committee=create_committee(session, city=city))
        session.commit()
        rows = Committed(city.id or 0, meeting.id or 0)
    yield rows
    with Session(engine) as session:
        statements = [
            delete(Meeting).where(col(Meeting.id) == rows.meeting_id),
            delete(Committee).where(col(Committee.city_id) == rows.city_id),
            delete(City).where(col(City.id) == rows.city_id),
        ]
        for statement in statements:
            session.exec(statement)  # type: ignore[call-overload]
        session.commit()


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


def request_session(engine: Engine, method: str = "POST") -> Iterator[Session]:
    """The session jcpp.db.get_session gives a request with `method`."""
    request = Request({"type": "http", "method": method, "headers": []})
    return get_session(request, engine)


def test_two_write_requests_take_turns(engine: Engine, committed: Committed) -> None:
    """The second one reads what the first one committed, and can then write."""
    meeting_id = committed.meeting_id
    first_read = threading.Event()

    def first() -> str:
        sessions = request_session(engine)
        session = next(sessions)
        meeting = session.get(Meeting, meeting_id, with_for_update=True)
        assert meeting is not None
        first_read.set()
        time.sleep(0.3)  # the second request starts meanwhile, and must wait
        meeting.place = "Library"
        session.add(meeting)
        next(sessions, None)  # the request ends: commit
        return "saved"

    def second() -> str | None:
        first_read.wait(timeout=10)
        sessions = request_session(engine)
        session = next(sessions)
        meeting = session.get(Meeting, meeting_id, with_for_update=True)
        assert meeting is not None
        seen = meeting.place
        meeting.place = f"{seen}, room 2"
        session.add(meeting)
        next(sessions, None)
        return seen

    results = run_together(first, second)

    assert results == ["saved", "Library"], results
    with Session(engine) as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None and meeting.place == "Library, room 2"
