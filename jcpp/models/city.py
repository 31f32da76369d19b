"""Cities and their committees."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel

from jcpp.models.base import UTCDateTime, created_at_field

COMMITTEE_KINDS = {
    "mac": "Multicultural Advisory Committee",
    "pac": "Police Advisory Commission",
    "hrc": "Human Rights Commission",
    "other": "Other advisory body",
}


class City(SQLModel, table=True):
    __tablename__ = "city"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    slug: str = Field(max_length=120, unique=True, index=True)
    is_demo: bool = Field(default=False)
    created_at: dt.datetime = created_at_field()


class Committee(SQLModel, table=True):
    __tablename__ = "committee"

    id: int | None = Field(default=None, primary_key=True)
    city_id: int = Field(foreign_key="city.id", index=True)
    name: str = Field(max_length=200)
    slug: str = Field(max_length=200, unique=True, index=True)
    kind: str = Field(default="mac", max_length=20)
    # RFC 5545 recurrence rule, e.g. "FREQ=MONTHLY;BYDAY=WE;BYSETPOS=3;BYHOUR=18;BYMINUTE=30"
    meeting_rule: str | None = Field(default=None, max_length=500)
    meeting_minutes: int = Field(default=90, description="Usual length of a meeting")
    default_place: str | None = Field(default=None, max_length=300)
    active: bool = Field(default=True)
    public_pages: bool = Field(default=False, description="Residents may see published minutes")
    created_at: dt.datetime = created_at_field()
    archived_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
