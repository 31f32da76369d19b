"""The topic list and what the NLP pipeline finds in minutes: topics per meeting with their
evidence, concerns, action items, the follow-ups made from them, and trained models.

Rows the pipeline proposes carry `origin="nlp"` and `state="proposed"`; a person's review turns
them `confirmed` or `rejected` (or `converted` for an action item made into a follow-up), and
re-analysis replaces only what is still proposed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from jcpp.models.base import UTCDateTime, created_at_field, utcnow

REVIEW_STATES = ("proposed", "confirmed", "rejected")
ACTION_STATES = (*REVIEW_STATES, "converted")
ORIGINS = ("nlp", "person")
MENTION_SOURCES = ("rules", "model")


class Topic(SQLModel, table=True):
    """An entry of the county's topic list. Retired topics keep their history (active False);
    a merged topic is retired with `merged_into_id` naming the topic that took it over."""

    __tablename__ = "topic"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True, index=True)
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=1000)
    # Words and phrases as people write them; "term|0.5" gives a weak term (see nlp.taxonomy).
    terms: list[str] = Field(default_factory=list, sa_type=JSON)
    exclusions: list[str] = Field(default_factory=list, sa_type=JSON)
    active: bool = Field(default=True)
    merged_into_id: int | None = Field(default=None, foreign_key="topic.id")
    # True once county staff changed the shipped entry: reloading the default list keeps it.
    edited: bool = Field(default=False)
    version: int = Field(default=1, description="Optimistic lock: bumped on every change")
    created_at: dt.datetime = created_at_field()
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MinutesAnalysis(SQLModel, table=True):
    """The newest analysis of a meeting's minutes: which revision, by which pipeline, model and
    topic list (so that stale analyses can be found and re-run), and the document-level results
    that have no review (keywords, names for redaction)."""

    __tablename__ = "minutes_analysis"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", unique=True)
    revision_number: int
    pipeline_version: str = Field(max_length=40)
    model_version: str | None = Field(default=None, max_length=40)
    topic_list_version: str = Field(max_length=40)
    keywords: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    people: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    warnings: list[str] = Field(default_factory=list, sa_type=JSON)
    analysed_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MeetingTopic(SQLModel, table=True):
    """A topic of one meeting: proposed by the pipeline or added by a person, and reviewed."""

    __tablename__ = "meeting_topic"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    topic_id: int = Field(foreign_key="topic.id", index=True)
    state: str = Field(default="proposed", max_length=20)
    origin: str = Field(default="nlp", max_length=20)
    score: float | None = None
    matched: list[str] = Field(default_factory=list, sa_type=JSON)  # the terms that matched
    pipeline_version: str | None = Field(default=None, max_length=40)
    model_version: str | None = Field(default=None, max_length=40)
    reviewed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    reviewed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = created_at_field()

    __table_args__ = (UniqueConstraint("meeting_id", "topic_id"),)


class TopicMention(SQLModel, table=True):
    """Evidence: where a topic is discussed in the analysed revision of a meeting's minutes.
    Offsets are character offsets into that revision's text."""

    __tablename__ = "topic_mention"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    revision_number: int
    topic_id: int = Field(foreign_key="topic.id", index=True)
    start: int
    end: int
    text: str = Field(max_length=500)
    sentence_start: int
    sentence_end: int
    sentence: str = Field(sa_type=Text)
    score: float
    matched: str = Field(max_length=200)
    source: str = Field(default="rules", max_length=20)
    pipeline_version: str = Field(max_length=40)
    model_version: str | None = Field(default=None, max_length=40)


class Concern(SQLModel, table=True):
    """A problem raised at a meeting. `text` is as found in the minutes; `edited_text` is a
    person's wording. A reviewed concern whose text is gone from a later revision is kept, with
    `missing_since_revision` saying from which revision on."""

    __tablename__ = "concern"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    revision_number: int
    start: int
    end: int
    text: str = Field(sa_type=Text)
    edited_text: str | None = Field(default=None, sa_type=Text)
    state: str = Field(default="proposed", max_length=20)
    origin: str = Field(default="nlp", max_length=20)
    score: float | None = None
    missing_since_revision: int | None = None
    reviewed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    reviewed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = created_at_field()

    @property
    def shown_text(self) -> str:
        return self.edited_text or self.text


class ConcernTopic(SQLModel, table=True):
    __tablename__ = "concern_topic"

    concern_id: int = Field(foreign_key="concern.id", primary_key=True)
    topic_id: int = Field(foreign_key="topic.id", primary_key=True, index=True)


class ActionItem(SQLModel, table=True):
    """A commitment made at a meeting ("Staff will contact the school district"), with its owner
    as written; a confirmed one can become a follow-up (state `converted`)."""

    __tablename__ = "action_item"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    revision_number: int
    start: int
    end: int
    text: str = Field(sa_type=Text)
    owner_text: str | None = Field(default=None, max_length=200)
    due_date: dt.date | None = None
    state: str = Field(default="proposed", max_length=20)
    origin: str = Field(default="nlp", max_length=20)
    score: float | None = None
    missing_since_revision: int | None = None
    # follow_up and action_item point at each other: this key is added after both tables exist.
    follow_up_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("follow_up.id", use_alter=True, name="fk_action_item_follow_up_id"),
            nullable=True,
        ),
    )
    reviewed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    reviewed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: dt.datetime = created_at_field()


class NlpModel(SQLModel, table=True):
    """A trained topic classifier (`jcpp nlp train`): its bytes and how well it did."""

    __tablename__ = "nlp_model"

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(max_length=40, unique=True)
    created_at: dt.datetime = created_at_field()
    trained_on: int = Field(default=0, description="Number of training examples")
    metrics: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    artifact: bytes = Field(sa_type=LargeBinary)
    active: bool = Field(default=False)
