"""E-mail without loss: every message goes through the outbox, and each user chooses which
notices come by e-mail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from jcpp.models.base import UTCDateTime, created_at_field

OUTBOX_STATUSES = ("queued", "sending", "sent", "failed")


class OutboxMessage(SQLModel, table=True):
    """A message to send. `dedupe_key` (e.g. "reminder:<meeting>:<user>") keeps one event from
    being queued twice; `message_id` is the Message-ID header, stable across retries."""

    __tablename__ = "outbox_message"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    text_body: str = Field(sa_type=Text)
    html_body: str | None = Field(default=None, sa_type=Text)
    dedupe_key: str = Field(max_length=200, unique=True)
    message_id: str = Field(max_length=200, unique=True)
    status: str = Field(default="queued", max_length=20, index=True)
    attempts: int = Field(default=0)
    next_attempt_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: dt.datetime = created_at_field()
    sent_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class NoticePreference(SQLModel, table=True):
    """A user's choice for one kind of notice; no row means the kind's default."""

    __tablename__ = "notice_preference"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True)
    kind: str = Field(max_length=40, primary_key=True)
    by_email: bool = Field(default=True)
    frequency: str | None = Field(default=None, max_length=20, description="Digests: weekly…")
