"""The search index, kept current on write and rebuilt from the source rows.

`refresh` runs just before every commit (see `jcpp.derived`) for the meetings and follow-ups
the transaction touched: their documents are deleted and made again from the source rows.
`rebuild` makes the whole index again, a batch of meetings at a time (`jcpp search rebuild`).

The text index follows the documents: PostgreSQL computes `terms_tsv` itself (a generated
column); SQLite's FTS5 table is an external-content index of `search_document`, told here of
every row added or removed (FTS5 must be given a removed row's old terms). PostgreSQL's GIN
index takes each new document at once (`fastupdate = off`, see the migration e4a7c2d9b851):
a rebuild drops it and builds it again in one pass afterwards, which is faster than growing it
a row at a time and leaves it compact.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from sqlalchemy import and_, bindparam, delete, insert, text
from sqlmodel import Session, col, select

from jcpp.derived import Changes
from jcpp.models import FollowUp, Meeting, SearchDocument, SearchDocumentTopic
from jcpp.search.documents import Batch, follow_up_documents, meeting_documents

REBUILD_BATCH = 1000  # meetings per batch
# SQLite allows a limited number of bound parameters per statement.
ID_CHUNK = 500


# PostgreSQL's text index, as the migrations leave it.
_TEXT_INDEX = "ix_search_document_terms_tsv"
_CREATE_TEXT_INDEX = (
    f"CREATE INDEX {_TEXT_INDEX} ON search_document USING gin (terms_tsv) WITH (fastupdate = off)"
)


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _chunks(ids: Sequence[int], size: int = ID_CHUNK) -> list[Sequence[int]]:
    return [ids[k : k + size] for k in range(0, len(ids), size)]


_FTS_DELETE = {
    "follow_up": text(
        "INSERT INTO search_fts(search_fts, rowid, terms) SELECT 'delete', id, terms "
        "FROM search_document WHERE kind = 'follow_up' AND source_id IN :ids"
    ).bindparams(bindparam("ids", expanding=True)),
    "meeting_id": text(
        "INSERT INTO search_fts(search_fts, rowid, terms) "
        "SELECT 'delete', id, terms FROM search_document WHERE meeting_id IN :ids"
    ).bindparams(bindparam("ids", expanding=True)),
}
_FTS_INSERT = text(
    "INSERT INTO search_fts(rowid, terms) SELECT id, terms FROM search_document WHERE id IN :ids"
).bindparams(bindparam("ids", expanding=True))


def _remove(session: Session, column: str, ids: Sequence[int]) -> None:
    """Remove the documents of these meetings (`column` "meeting_id") or follow-ups
    ("follow_up"), with their topics and their entries in SQLite's text index."""
    for chunk in _chunks(ids):
        where = (
            col(SearchDocument.meeting_id).in_(chunk)
            if column == "meeting_id"
            else and_(
                col(SearchDocument.kind) == "follow_up", col(SearchDocument.source_id).in_(chunk)
            )
        )
        selected = select(SearchDocument.id).where(where)
        session.exec(
            delete(SearchDocumentTopic).where(col(SearchDocumentTopic.document_id).in_(selected))
        )
        if _is_sqlite(session):
            session.connection().execute(_FTS_DELETE[column], {"ids": list(chunk)})
        session.exec(delete(SearchDocument).where(where))


def _insert(session: Session, batch: Batch, *, index_text: bool = True) -> None:
    if not batch.documents:
        return
    session.execute(insert(SearchDocument), batch.documents)
    if batch.topics:
        session.execute(insert(SearchDocumentTopic), batch.topics)
    if index_text and _is_sqlite(session):
        for chunk in _chunks([row["id"] for row in batch.documents]):
            session.connection().execute(_FTS_INSERT, {"ids": list(chunk)})


def _meetings_of_topics(session: Session, topic_ids: Collection[int]) -> set[int]:
    rows = session.exec(
        select(SearchDocument.meeting_id)
        .join(SearchDocumentTopic, col(SearchDocumentTopic.document_id) == SearchDocument.id)
        .where(col(SearchDocumentTopic.topic_id).in_(topic_ids))
        .distinct()
    ).all()
    return set(rows)


def refresh(session: Session, changes: Changes) -> None:
    """Make the documents of what `changes` names again: every document of a marked meeting
    (its follow-ups included), every marked follow-up, and the meetings of documents tagged
    with a marked topic (a merge moves tags with statements the flush does not see)."""
    meeting_ids = set(changes.meetings)
    if changes.topics:
        meeting_ids |= _meetings_of_topics(session, changes.topics)
    follow_up_ids = set(changes.follow_ups)
    if meeting_ids:
        session.flush()
        ordered = sorted(meeting_ids)
        _remove(session, "meeting_id", ordered)
        for chunk in _chunks(ordered, REBUILD_BATCH):
            _insert(session, meeting_documents(session, chunk))
        follow_up_ids -= set(
            session.exec(select(FollowUp.id).where(col(FollowUp.meeting_id).in_(ordered))).all()
        )
    if follow_up_ids:
        ordered = sorted(follow_up_ids)
        _remove(session, "follow_up", ordered)
        _insert(session, follow_up_documents(session, ordered))


def _clear(session: Session) -> None:
    if _is_sqlite(session):
        session.exec(delete(SearchDocumentTopic))
        session.exec(delete(SearchDocument))
        session.connection().execute(
            text("INSERT INTO search_fts(search_fts) VALUES('delete-all')")
        )
    else:
        connection = session.connection()
        connection.execute(text("TRUNCATE search_document_topic, search_document"))
        connection.execute(text(f"DROP INDEX IF EXISTS {_TEXT_INDEX}"))


def rebuild(session: Session, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Make the whole index again from the source rows; returns the number of documents.
    `progress(done, total)` is told after each batch of meetings.

    Meetings are read in date order, so that the documents are written in about the order of
    their ids, as minutes saved one by one are: a search looks among the newest documents
    first, and on PostgreSQL those then share table pages instead of being strewn over the
    whole table (meetings made committee by committee would put each city's together)."""
    session.flush()
    _clear(session)
    meeting_ids = list(
        session.exec(select(Meeting.id).order_by(col(Meeting.start_at), col(Meeting.id))).all()
    )
    total = 0
    for k, chunk in enumerate(_chunks([i for i in meeting_ids if i is not None], REBUILD_BATCH)):
        batch = meeting_documents(session, chunk)
        _insert(session, batch, index_text=False)
        total += len(batch.documents)
        if progress is not None:
            progress(min((k + 1) * REBUILD_BATCH, len(meeting_ids)), len(meeting_ids))
    connection = session.connection()
    if _is_sqlite(session):
        connection.execute(text("INSERT INTO search_fts(search_fts) VALUES('rebuild')"))
    else:
        connection.execute(text(_CREATE_TEXT_INDEX))
        connection.execute(text("ANALYZE search_document, search_document_topic"))
    return total
