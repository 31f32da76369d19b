"""Derived counts behind the trends dashboard and its signals.

Both tables are rebuilt from the source rows by `jcpp trends rebuild` and kept current on every
write that changes what they count (see `jcpp.trends.rollup`). A month is the first day of the
month in the county's time zone, of the meeting's start.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class TopicMonthCount(SQLModel, table=True):
    """How often a topic came up in one city's meetings in one month.

    `*_all` counts what is proposed or confirmed (never what a person rejected);
    `*_confirmed` counts only what a person confirmed (or added). Meetings are those where the
    topic was raised; mentions are evidence sentences; concerns are concerns tagged with it.
    """

    __tablename__ = "topic_month_count"

    city_id: int = Field(foreign_key="city.id", primary_key=True)
    topic_id: int = Field(foreign_key="topic.id", primary_key=True)
    month: dt.date = Field(primary_key=True)
    meetings_all: int = Field(default=0)
    meetings_confirmed: int = Field(default=0)
    mentions_all: int = Field(default=0)
    mentions_confirmed: int = Field(default=0)
    concerns_all: int = Field(default=0)
    concerns_confirmed: int = Field(default=0)

    __table_args__ = (
        Index("ix_topic_month_count_topic_month", "topic_id", "month"),
        Index("ix_topic_month_count_month", "month"),
    )


class KeywordMonthCount(SQLModel, table=True):
    """In how many meetings of a month (county-wide) a keyword was among the analysis's
    keywords: the history that "new terms" compare a month against."""

    __tablename__ = "keyword_month_count"

    term: str = Field(max_length=120, primary_key=True)
    month: dt.date = Field(primary_key=True, index=True)
    meetings: int = Field(default=0)
