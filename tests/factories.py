"""Plain factory functions: create_x(session, *, related=None, **overrides)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session

from jcpp.models import (
    City,
    Committee,
    Meeting,
    Membership,
    Minutes,
    MinutesRevision,
    Person,
    User,
    UserCity,
    UserCommittee,
)

PASSWORD = "correct horse battery"
# Real argon2, with the cheapest parameters: verifying reads them from the hash, so the many
# sign-ins of the tests stay fast while the app's own hashes keep their full cost.
_PASSWORD_HASH = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),)).hash(
    PASSWORD
)
_seq = itertools.count(1)


def create_city(session: Session, **kw: Any) -> City:
    n = next(_seq)
    city = City(**{"name": f"City {n}", "slug": f"city-{n}", **kw})
    session.add(city)
    session.flush()
    return city


def create_committee(session: Session, *, city: City | None = None, **kw: Any) -> Committee:
    city = city or create_city(session)
    n = next(_seq)
    committee = Committee(
        **{
            "city_id": city.id,
            "name": f"{city.name} Multicultural Advisory Committee",
            "slug": f"{city.slug}-mac-{n}",
            "kind": "mac",
            "meeting_rule": "FREQ=MONTHLY;BYDAY=WE;BYSETPOS=3;BYHOUR=18;BYMINUTE=30",
            "default_place": "City Hall, Council Chambers",
            **kw,
        }
    )
    session.add(committee)
    session.flush()
    return committee


def create_person(session: Session, **kw: Any) -> Person:
    n = next(_seq)
    person = Person(**{"name": f"Person {n}", **kw})
    session.add(person)
    session.flush()
    return person


def create_membership(
    session: Session, *, committee: Committee, person: Person | None = None, **kw: Any
) -> Membership:
    person = person or create_person(session)
    membership = Membership(
        **{
            "committee_id": committee.id,
            "person_id": person.id,
            "role": "member",
            "start_date": dt.date(2020, 1, 1),
            **kw,
        }
    )
    session.add(membership)
    session.flush()
    return membership


def create_user(
    session: Session,
    *,
    role: str = "liaison",
    cities: list[City] = (),  # type: ignore[assignment]
    committees: list[Committee] = (),
    **kw: Any,
) -> User:  # type: ignore[assignment]
    n = next(_seq)
    user = User(
        **{
            "email": f"user{n}@example.org",
            "name": f"User {n}",
            "role": role,
            "password_hash": _PASSWORD_HASH,
            **kw,
        }
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    for city in cities:
        session.add(UserCity(user_id=user.id, city_id=city.id or 0))
    for committee in committees:
        session.add(UserCommittee(user_id=user.id, committee_id=committee.id or 0))
    session.flush()
    return user


def create_meeting(session: Session, *, committee: Committee | None = None, **kw: Any) -> Meeting:
    committee = committee or create_committee(session)
    n = next(_seq)
    start = kw.pop("start_at", dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.UTC) + dt.timedelta(days=n))
    meeting = Meeting(
        **{
            "committee_id": committee.id,
            "start_at": start,
            "end_at": start + dt.timedelta(hours=1, minutes=30),
            "place": committee.default_place,
            "status": "scheduled",
            **kw,
        }
    )
    session.add(meeting)
    session.flush()
    return meeting


def create_minutes(
    session: Session,
    *,
    meeting: Meeting,
    texts: list[str],
    author: User | None = None,
    status: str = "draft",
) -> Minutes:
    minutes = Minutes(meeting_id=meeting.id or 0, status=status, current_revision=len(texts))
    session.add(minutes)
    for number, text in enumerate(texts, start=1):
        session.add(
            MinutesRevision(
                meeting_id=meeting.id or 0,
                number=number,
                text=text,
                author_id=author.id if author else None,
            )
        )
    session.flush()
    return minutes
