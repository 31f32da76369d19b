"""Follow-ups for tests: one of the world's committee's meetings, made by its liaison and
assigned to its member (the owner user), and a fake clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.followups.service import create_follow_up
from jcpp.models import FollowUp, FollowUpEvent, Meeting, Notification
from tests.factories import create_meeting
from tests.meetings.helpers import World, build_world

NOW = dt.datetime(2026, 4, 1, 15, 0, tzinfo=dt.UTC)


class FakeClock:
    """jcpp.clock's idea of now (and so of today), moved by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeClock]:
    fake = FakeClock(NOW)
    monkeypatch.setattr(clock, "utcnow", lambda: fake.now)
    yield fake


@dataclass
class Loop:
    """A follow-up of `meeting`, created by the liaison and assigned to the member."""

    world: World
    meeting: Meeting
    follow_up: FollowUp

    def viewer(self, session: Session, role: str) -> Viewer:
        return load_viewer(session, self.world.users[role])

    @property
    def id(self) -> int:
        assert self.follow_up.id is not None
        return self.follow_up.id


def make_follow_up(
    session: Session, world: World, *, owner: str | None = "member", **kw: object
) -> FollowUp:
    meeting = kw.pop("meeting", None) or create_meeting(session, committee=world.committee)
    assert isinstance(meeting, Meeting)
    liaison = load_viewer(session, world.users["liaison"])
    values: dict[str, object] = {
        "title": "Bring stop data to the next meeting",
        "owner_text": "Lt. Okafor",
        "owner_user_id": world.users[owner].id if owner else None,
        "due_date": dt.date(2026, 5, 1),
        **kw,
    }
    return create_follow_up(
        session, meeting_id=meeting.id or 0, by=liaison, summary="Made a follow-up",
        **values,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.fixture
def loop(session: Session, fake_clock: FakeClock) -> Loop:
    world = build_world(session)
    follow_up = make_follow_up(session, world)
    meeting = session.get(Meeting, follow_up.meeting_id)
    assert meeting is not None
    return Loop(world, meeting, follow_up)


def events(session: Session, follow_up_id: int) -> list[FollowUpEvent]:
    return list(
        session.exec(
            select(FollowUpEvent)
            .where(FollowUpEvent.follow_up_id == follow_up_id)
            .order_by(col(FollowUpEvent.id))
        )
    )


def notifications(session: Session, follow_up_id: int) -> list[Notification]:
    return list(
        session.exec(
            select(Notification)
            .where(Notification.follow_up_id == follow_up_id)
            .order_by(col(Notification.id))
        )
    )
