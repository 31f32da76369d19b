"""The search index: one row per searchable document, derived from the source rows.

A document is a meeting's minutes (the current revision), an agenda item, a concern (as shown)
or a follow-up. Its id is derived from the source (`document_id`), so the index is rebuilt and
refreshed without looking ids up. `terms` holds the lemmatised words (`nlp.search_terms`); the
text index over them is not a model column, because it differs by database: on SQLite the FTS5
table `search_fts` (external content: this table), on PostgreSQL the generated column
`search_document.terms_tsv` (to_tsvector('simple', terms)) with a GIN index. The migration makes
them; `SEARCH_INDEX_NAMES` lists them so that autogenerate leaves them alone.

City, committee, meeting, date, status and topics are copied here, so that filtering and
scoping by the viewer never touch the big tables.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Index, Integer, Text
from sqlmodel import Field, SQLModel

DOCUMENT_KINDS = {
    "minutes": "Minutes",
    "agenda_item": "Agenda items",
    "concern": "Concerns",
    "follow_up": "Follow-ups",
}
_KIND_CODES = {"minutes": 0, "agenda_item": 1, "concern": 2, "follow_up": 3}
# 64 bits on PostgreSQL; on SQLite INTEGER is 64 bits already, and must stay INTEGER to be
# the table's rowid (which the FTS5 index joins on).
DOCUMENT_ID = BigInteger().with_variant(Integer(), "sqlite")

# The database-specific text index (see the module): tables, columns and indexes autogenerate
# must not compare. "search_fts*" are FTS5's virtual table and its shadow tables.
SEARCH_INDEX_NAMES = frozenset({"terms_tsv", "ix_search_document_terms_tsv"})
SEARCH_INDEX_PREFIX = "search_fts"


# Ids sort by date: the meeting's day in the highest bits, then the source row's id, then the
# kind. So the text index (FTS5 returns matches in id order) yields the newest documents first
# without sorting every match, and "newest" and "oldest" are read in index order.
_SOURCE_BITS = 40
DAY_SHIFT = _SOURCE_BITS + 2  # an id shifted right by this many bits is its day's ordinal


def document_id(kind: str, source_id: int, meeting_date: dt.date) -> int:
    """The document's id: (meeting day, source row id, kind) packed into 62 bits."""
    return (meeting_date.toordinal() << DAY_SHIFT) | (source_id << 2) | _KIND_CODES[kind]


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's `include_name`: skip the search text index, which no model describes."""
    if name is None:
        return True
    if type_ == "table" and name.startswith(SEARCH_INDEX_PREFIX):
        return False
    return name not in SEARCH_INDEX_NAMES


class SearchDocument(SQLModel, table=True):
    __tablename__ = "search_document"

    id: int = Field(
        primary_key=True, sa_type=DOCUMENT_ID, sa_column_kwargs={"autoincrement": False}
    )
    kind: str = Field(max_length=20)
    source_id: int = Field(index=True)
    city_id: int = Field(index=True)
    committee_id: int = Field(index=True)
    meeting_id: int = Field(index=True)
    meeting_date: dt.date
    status: str = Field(default="", max_length=30)
    terms: str = Field(default="", sa_type=Text)

    __table_args__ = (Index("ix_search_document_meeting_date", "meeting_date", "id"),)


class SearchDocumentTopic(SQLModel, table=True):
    """A topic of a document, for the topic filter (minutes and agenda items: the meeting's
    topics not rejected; concerns and follow-ups: their own)."""

    __tablename__ = "search_document_topic"

    topic_id: int = Field(foreign_key="topic.id", primary_key=True)
    document_id: int = Field(
        foreign_key="search_document.id", primary_key=True, index=True, sa_type=DOCUMENT_ID
    )
