"""Minutes: append-only revisions plus one status row per meeting."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from jcpp.models.base import UTCDateTime, created_at_field

MINUTES_STATUSES = ("draft", "approved", "published")
MAX_MINUTES_BYTES = 1_000_000


class Minutes(SQLModel, table=True):
    __tablename__ = "minutes"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", unique=True)
    status: str = Field(default="draft", max_length=20)
    current_revision: int = Field(default=0)
    approved_revision: int | None = None
    approved_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    approved_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    published_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class MinutesRevision(SQLModel, table=True):
    """One saved version of a meeting's minutes. Rows are only ever added."""

    __tablename__ = "minutes_revision"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    number: int
    text: str = Field(sa_type=Text)
    author_id: int | None = Field(default=None, foreign_key="user_account.id")
    note: str | None = Field(default=None, max_length=300)
    created_at: dt.datetime = created_at_field()

    __table_args__ = (UniqueConstraint("meeting_id", "number"),)
