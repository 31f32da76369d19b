"""A meeting with minutes, and one user of each role in and out of its scope."""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass

import pytest
from sqlmodel import Session

from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.models import City, Committee, Meeting, User
from tests.factories import create_city, create_committee, create_meeting, create_user

_seq = itertools.count(1)


@dataclass(frozen=True)
class Scene:
    city: City
    other_city: City
    committee: Committee
    other_committee: Committee
    meeting: Meeting
    users: dict[str, User]

    @property
    def meeting_id(self) -> int:
        assert self.meeting.id is not None
        return self.meeting.id

    @property
    def url(self) -> str:
        return f"/meetings/{self.meeting_id}/minutes"


@pytest.fixture
def scene(session: Session) -> Scene:
    # Names unique across the whole suite: on SQLite, rows of a test that commits (any signed-in
    # request) outlive the test, and other packages' helpers number their cities too.
    n = f"m{next(_seq)}-{secrets.token_hex(3)}"
    city = create_city(session, name=f"Brooklyn Center {n}", slug=f"brooklyn-center-{n}")
    other_city = create_city(session, name=f"Richfield {n}", slug=f"richfield-{n}")
    committee = create_committee(session, city=city)
    other_committee = create_committee(session, city=city, name=f"{city.name} PAC", kind="pac")
    meeting = create_meeting(session, committee=committee, status="held")
    users = {
        "admin": create_user(session, role="admin", name=f"Avery Admin {n}"),
        "county_staff": create_user(session, role="county_staff", name=f"Casey County {n}"),
        "liaison": create_user(session, role="liaison", name=f"Lena Liaison {n}", cities=[city]),
        "other_liaison": create_user(session, role="liaison", cities=[other_city]),
        "member": create_user(session, role="member", committees=[committee]),
        "other_member": create_user(session, role="member", committees=[other_committee]),
    }
    return Scene(city, other_city, committee, other_committee, meeting, users)


def viewer_for(session: Session, user: User) -> Viewer:
    return load_viewer(session, user)


@pytest.fixture
def liaison(session: Session, scene: Scene) -> Viewer:
    return viewer_for(session, scene.users["liaison"])


@pytest.fixture
def admin(session: Session, scene: Scene) -> Viewer:
    return viewer_for(session, scene.users["admin"])
