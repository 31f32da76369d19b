"""What the API answers, as pydantic models: every response has one, errors too, so that the
OpenAPI description says exactly what comes back."""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

Item = TypeVar("Item")

MeetingStatus = Literal["scheduled", "held", "cancelled"]
MinutesStatus = Literal["draft", "approved", "published"]
ReviewState = Literal["proposed", "confirmed", "rejected"]
FollowUpStatus = Literal[
    "open", "acknowledged", "declined", "in_progress", "reported_done", "verified_done"
]


class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(Out, Generic[Item]):
    """One page of a list, oldest id first; pass `next_cursor` as `cursor` for the next."""

    items: list[Item]
    next_cursor: str | None = Field(
        description="Opaque; null on the last page. Send it back unchanged as `cursor`."
    )


class Error(Out):
    detail: str = Field(description="What went wrong, in plain words.")


class ParameterError(Out):
    parameter: str = Field(description="Where: e.g. query.limit")
    message: str


class ValidationError(Out):
    detail: str
    errors: list[ParameterError]


class CityOut(Out):
    id: int
    name: str
    slug: str


class CommitteeOut(Out):
    id: int
    city_id: int
    name: str
    slug: str
    kind: str = Field(description="mac, pac, hrc or other")
    active: bool


class MeetingOut(Out):
    id: int
    committee_id: int
    city_id: int
    start_at: dt.datetime = Field(description="UTC")
    end_at: dt.datetime | None
    place: str | None
    status: MeetingStatus
    guest_count: int
    minutes_status: MinutesStatus | None = Field(description="null: no minutes yet")


class RevisionOut(Out):
    number: int
    created_at: dt.datetime
    note: str | None


class MinutesOut(Out):
    meeting_id: int
    status: MinutesStatus
    current_revision: int
    text: str = Field(description="The current revision's text (Markdown)")
    approved_revision: int | None
    approved_at: dt.datetime | None
    published_at: dt.datetime | None
    revisions: list[RevisionOut] = Field(description="Every revision, oldest first")


class TopicOut(Out):
    id: int
    slug: str
    name: str
    description: str
    active: bool
    merged_into_id: int | None


class MentionOut(Out):
    id: int
    meeting_id: int
    topic_id: int
    state: ReviewState = Field(description="The review state of the topic at this meeting")
    revision_number: int = Field(description="The minutes revision the offsets point into")
    start: int
    end: int
    text: str
    sentence: str
    score: float
    source: str = Field(description="rules or model")


class ConcernOut(Out):
    id: int
    meeting_id: int
    committee_id: int
    text: str = Field(description="A person's wording where there is one, else as found")
    state: ReviewState
    origin: str = Field(description="nlp or person")
    revision_number: int
    missing_since_revision: int | None
    topic_ids: list[int]
    created_at: dt.datetime


class FollowUpOut(Out):
    id: int
    meeting_id: int
    committee_id: int
    title: str
    description: str
    owner: str | None = Field(description="The owner as the minutes name them")
    due_date: dt.date | None
    status: FollowUpStatus
    progress: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None


class TrendCountOut(Out):
    city_id: int
    topic_id: int
    month: str = Field(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM, county time")
    meetings_all: int
    meetings_confirmed: int
    mentions_all: int
    mentions_confirmed: int
    concerns_all: int
    concerns_confirmed: int
