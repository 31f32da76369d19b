"""Getting data in and out: imported minutes files, personal access tokens, public minutes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from jcpp.models.base import UTCDateTime, created_at_field

TOKEN_SCOPES = {
    "api": "Read-only API",
    "calendar": "Calendar feeds",
}


class ImportedFile(SQLModel, table=True):
    """A minutes file imported for a committee. The content hash makes a re-run import nothing
    new: the same bytes for the same committee are a duplicate whatever the file is called."""

    __tablename__ = "imported_file"

    id: int | None = Field(default=None, primary_key=True)
    committee_id: int = Field(foreign_key="committee.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    file_name: str = Field(max_length=300)
    content_hash: str = Field(max_length=64, description="SHA-256 of the file's bytes, hex")
    size: int
    imported_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    imported_at: dt.datetime = created_at_field()

    __table_args__ = (UniqueConstraint("committee_id", "content_hash"),)


class ApiToken(SQLModel, table=True):
    """A personal access token. Only its SHA-256 is kept; `prefix` (the first characters) lets
    the owner tell tokens apart. The token acts with its owner's permissions, no more."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    name: str = Field(max_length=100)
    scope: str = Field(default="api", max_length=20)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    created_at: dt.datetime = created_at_field()
    expires_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class PublicMinutes(SQLModel, table=True):
    """What residents see of a meeting's minutes: the text of one revision with residents'
    names removed, as a liaison reviewed it. `redactions` is JSON: the names found and, for
    each, whether the reviewer kept it hidden or let it stand (police staff, officers)."""

    __tablename__ = "public_minutes"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", unique=True)
    revision: int = Field(description="The minutes revision this text was made from")
    text: str = Field(sa_type=Text)
    redactions: str = Field(default="[]", sa_type=Text)
    reviewed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    reviewed_at: dt.datetime = created_at_field()


class SignalSnapshot(SQLModel, table=True):
    """Signals computed ahead of the request that reads them. `scope_key` names what they were
    computed for (window, filters, cities); `generation` is the state of the data they were
    computed from, so a snapshot of older data is never shown as current."""

    __tablename__ = "signal_snapshot"

    id: int | None = Field(default=None, primary_key=True)
    scope_key: str = Field(max_length=200, unique=True)
    generation: str = Field(max_length=64)
    payload: str = Field(sa_type=Text)
    computed_at: dt.datetime = created_at_field()
