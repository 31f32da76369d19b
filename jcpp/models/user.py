"""Users who sign in, their roles and scopes."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from jcpp.models.base import UTCDateTime, created_at_field

USER_ROLES = {
    "admin": "Administrator",
    "county_staff": "County staff",
    "liaison": "Community liaison",
    "member": "Committee member",
}


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20)
    active: bool = Field(default=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")
    failed_logins: int = Field(default=0)
    locked_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Bumped on every password change so that other sessions of the user end.
    session_version: int = Field(default=1)
    last_login_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = created_at_field()


class UserCity(SQLModel, table=True):
    """A liaison's cities."""

    __tablename__ = "user_city"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    city_id: int = Field(foreign_key="city.id", primary_key=True)


class UserCommittee(SQLModel, table=True):
    """A member's committees."""

    __tablename__ = "user_committee"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", primary_key=True)
