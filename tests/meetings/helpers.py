"""A small county for committee and meeting tests: two cities, a committee in each, and one
user of every role with and without scope."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

import pytest
from sqlmodel import Session

from jcpp.models import AgendaItem, City, Committee, Meeting, Person, User
from tests.factories import (
    create_city,
    create_committee,
    create_meeting,
    create_membership,
    create_person,
    create_user,
)
from tests.web import WebClient

# Who may do what on the committee of `city` (see jcpp.auth.permissions).
READERS = ("admin", "county_staff", "liaison", "member")
EDITORS = ("admin", "liaison")
READ_ONLY = ("county_staff", "member")
OUT_OF_SCOPE = ("liaison_other", "member_other")
ALL_ROLES = (*READERS, *OUT_OF_SCOPE, "anonymous")


@dataclass
class World:
    city: City
    other_city: City
    committee: Committee
    other_committee: Committee
    users: dict[str, User] = field(default_factory=dict)

    def sign_in(self, client: WebClient, role: str) -> WebClient:
        if role != "anonymous":
            client.sign_in(self.users[role])
        return client


def build_world(session: Session) -> World:
    # Unique names: the test database may keep rows of earlier tests (see the report on
    # SQLite savepoints), and city names are unique.
    n = secrets.token_hex(3)
    city = create_city(session, name=f"Richfield {n}")
    other_city = create_city(session, name=f"Crystal {n}")
    committee = create_committee(session, city=city, name="Richfield MAC")
    other_committee = create_committee(session, city=other_city, name="Crystal MAC")
    users = {
        "admin": create_user(session, role="admin", name="Ada Admin"),
        "county_staff": create_user(session, role="county_staff", name="Cory County"),
        "liaison": create_user(session, role="liaison", name="Lia Liaison", cities=[city]),
        "liaison_other": create_user(
            session, role="liaison", name="Olga Other", cities=[other_city]
        ),
        "member": create_user(session, role="member", name="Meg Member", committees=[committee]),
        "member_other": create_user(
            session, role="member", name="Otto Other", committees=[other_committee]
        ),
    }
    return World(city, other_city, committee, other_committee, users)


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def local_start(
    session: Session, committee: Committee, day: dt.date, hour: int = 18, minute: int = 30
) -> Meeting:
    """A meeting at a county wall-clock time."""
    from zoneinfo import ZoneInfo

    start = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo("America/Chicago"))
    return create_meeting(session, committee=committee, start_at=start.astimezone(dt.UTC))


def expected_status(role: str, *, write: bool, ok: int) -> int:
    """The answer a role gets on the committee of `city`: `ok` when allowed."""
    if role == "anonymous":
        return 303
    if role in OUT_OF_SCOPE:
        return 404
    if write and role in READ_ONLY:
        return 403
    return ok


MARCH_18 = dt.date(2026, 3, 18)


@dataclass
class Scene:
    """A meeting of `world.committee` on Wed Mar 18, 2026 at 6:30 pm, with Amina Hassan (chair)
    on the roster and one agenda item."""

    world: World
    meeting: Meeting
    item: AgendaItem
    person: Person

    @property
    def url(self) -> str:
        return f"/meetings/{self.meeting.id}"


@pytest.fixture
def scene(session: Session, world: World) -> Scene:
    meeting = local_start(session, world.committee, MARCH_18)
    person = create_person(session, name="Amina Hassan")
    create_membership(session, committee=world.committee, person=person, role="chair")
    item = AgendaItem(meeting_id=meeting.id or 0, position=1, title="Call to order")
    session.add(item)
    session.flush()
    return Scene(world, meeting, item, person)
