"""Follow-ups and what hangs on them: their history, threaded comments, links to concerns and
topics; recurring concerns; concerns and follow-ups carried onto the next agenda; in-app
notifications.

A follow-up's status moves open → acknowledged or declined → in progress → reported done →
verified done, and can be reopened (see `jcpp.followups.lifecycle`); every change is a
`FollowUpEvent` row, so nothing about who did what is lost.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from jcpp.models.base import UTCDateTime, created_at_field, utcnow

FOLLOW_UP_STATUSES = (
    "open",
    "acknowledged",
    "declined",
    "in_progress",
    "reported_done",
    "verified_done",
)
FOLLOW_UP_EVENT_KINDS = ("created", "status", "edited", "linked", "unlinked")
RECURRENCE_STATES = ("proposed", "confirmed", "split")
NOTIFICATION_KINDS = ("status_changed", "commented", "assigned", "edited", "raised_again")


class FollowUp(SQLModel, table=True):
    """Who will do what by when, from a meeting. The owner is written as the minutes name it
    ("Lt. Okafor", "Public Works") and may also be a user of the app, who then may report it
    done. `closed_at` is when it was verified done (for the time it took to close the loop)."""

    __tablename__ = "follow_up"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    title: str = Field(max_length=300)
    description: str = Field(default="", sa_type=Text)
    owner_text: str | None = Field(default=None, max_length=200)
    owner_user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    due_date: dt.date | None = None
    status: str = Field(default="open", max_length=30, index=True)
    progress: int | None = Field(default=None, description="Per cent done, when someone says")
    action_item_id: int | None = Field(default=None, foreign_key="action_item.id")
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    closed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1, description="Optimistic lock: bumped on every change")
    created_at: dt.datetime = created_at_field()
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FollowUpEvent(SQLModel, table=True):
    """One change of a follow-up: who, when, from → to, and why."""

    __tablename__ = "follow_up_event"

    id: int | None = Field(default=None, primary_key=True)
    follow_up_id: int = Field(foreign_key="follow_up.id", index=True)
    kind: str = Field(max_length=20)
    from_status: str | None = Field(default=None, max_length=30)
    to_status: str | None = Field(default=None, max_length=30)
    comment: str = Field(default="", sa_type=Text)
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    at: dt.datetime = created_at_field()


class FollowUpComment(SQLModel, table=True):
    """A comment on a follow-up; `parent_id` makes a thread."""

    __tablename__ = "follow_up_comment"

    id: int | None = Field(default=None, primary_key=True)
    follow_up_id: int = Field(foreign_key="follow_up.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="follow_up_comment.id")
    user_id: int = Field(foreign_key="user_account.id")
    body: str = Field(sa_type=Text)
    created_at: dt.datetime = created_at_field()


class FollowUpConcern(SQLModel, table=True):
    __tablename__ = "follow_up_concern"

    follow_up_id: int = Field(foreign_key="follow_up.id", primary_key=True)
    concern_id: int = Field(foreign_key="concern.id", primary_key=True, index=True)


class FollowUpTopic(SQLModel, table=True):
    __tablename__ = "follow_up_topic"

    follow_up_id: int = Field(foreign_key="follow_up.id", primary_key=True)
    topic_id: int = Field(foreign_key="topic.id", primary_key=True, index=True)


class RecurringConcern(SQLModel, table=True):
    """One concern raised at several meetings, here or in other cities."""

    __tablename__ = "recurring_concern"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=300)
    created_at: dt.datetime = created_at_field()
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RecurringConcernMember(SQLModel, table=True):
    """A concern's place in a recurring concern: proposed by the software (with how similar it
    is), confirmed by a person, or split off (kept, so it is not proposed again)."""

    __tablename__ = "recurring_concern_member"

    id: int | None = Field(default=None, primary_key=True)
    recurring_id: int = Field(foreign_key="recurring_concern.id", index=True)
    concern_id: int = Field(foreign_key="concern.id", index=True)
    state: str = Field(default="proposed", max_length=20)
    similarity: float | None = None
    reviewed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    reviewed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = created_at_field()

    __table_args__ = (UniqueConstraint("recurring_id", "concern_id"),)


class CarriedItem(SQLModel, table=True):
    """An open follow-up or an unanswered concern put on a meeting's agenda under "Old
    business" (agenda item), or dropped from that agenda by the liaison with a reason."""

    __tablename__ = "carried_item"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    follow_up_id: int | None = Field(default=None, foreign_key="follow_up.id", index=True)
    concern_id: int | None = Field(default=None, foreign_key="concern.id", index=True)
    agenda_item_id: int | None = Field(default=None, foreign_key="agenda_item.id")
    dropped_reason: str | None = Field(default=None, max_length=500)
    dropped_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: dt.datetime = created_at_field()


class Notification(SQLModel, table=True):
    """Something a user should know about (a follow-up assigned to her changed, got a comment,
    something she raised moved); unread until `read_at`."""

    __tablename__ = "notification"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    kind: str = Field(max_length=30)
    follow_up_id: int | None = Field(default=None, foreign_key="follow_up.id")
    recurring_id: int | None = Field(default=None, foreign_key="recurring_concern.id")
    message: str = Field(max_length=500)
    created_at: dt.datetime = created_at_field()
    read_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
