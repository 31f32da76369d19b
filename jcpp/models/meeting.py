"""Meetings, their agenda items and attendance."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from jcpp.models.base import UTCDateTime, created_at_field, utcnow

MEETING_STATUSES = ("scheduled", "held", "cancelled")
ATTENDANCE_STATUSES = ("present", "absent", "excused")


class Meeting(SQLModel, table=True):
    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", index=True)
    start_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    end_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    place: str | None = Field(default=None, max_length=300)
    status: str = Field(default="scheduled", max_length=20)
    from_rule: bool = Field(default=False, description="Created by 'schedule next meetings'")
    guest_count: int = Field(default=0)
    guest_organisations: str | None = Field(default=None, max_length=1000)
    version: int = Field(default=1, description="Optimistic lock: bumped on every change")
    created_at: dt.datetime = created_at_field()
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    __table_args__ = (UniqueConstraint("committee_id", "start_at"),)


class AgendaItem(SQLModel, table=True):
    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    position: int
    title: str = Field(max_length=300)
    presenter: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=5000)


class Attendance(SQLModel, table=True):
    __tablename__ = "attendance"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    status: str = Field(max_length=20)

    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)
