"""People on committee rosters and their memberships with terms."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from jcpp.models.base import created_at_field

MEMBERSHIP_ROLES = ("chair", "member", "police", "liaison")


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    title: str | None = Field(default=None, max_length=60)  # e.g. "Lt." for police staff
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    organisation: str | None = Field(default=None, max_length=200)
    created_at: dt.datetime = created_at_field()


class Membership(SQLModel, table=True):
    """A person's term on a committee in one role; end_date None means the term is current."""

    __tablename__ = "membership"

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(default="member", max_length=20)
    start_date: dt.date
    end_date: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)
