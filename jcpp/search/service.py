"""Search: one text-index match joined to the filters and the viewer's scope, a page at a time.

The query's words go through `nlp.query_terms`, as the index's did, and every term must be
found (AND). Document ids sort by date, so the text index hands over matches newest first:
"newest" and "oldest" read in index order and stop at the page; "best match" ranks the newest
`RANK_WINDOW` matches (bm25 on SQLite, ts_rank on PostgreSQL) instead of every match of a common
word across the state. Ties end with the id, so pages never overlap. The total is counted only
up to `COUNT_CAP` (a search that matches half the state needs no exact figure).

The viewer's scope is part of the query itself (liaison: her cities; member: his committees;
admin and county staff: all): a WHERE clause on the document's city or committee, and the words
naming them in the index (which let the index narrow first); nothing out of scope is ever read,
let alone shown, and each hit's committee is checked again before its text is read for the
snippet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, column, false, func, literal_column, table, true
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer
from jcpp.models import Committee, SearchDocument, SearchDocumentTopic
from jcpp.models.search import DOCUMENT_KINDS, document_id
from nlp import query_terms

PER_PAGE = 20
COUNT_CAP = 1000
RANK_WINDOW = COUNT_CAP  # relevance orders the newest this many matches
MAX_TERMS = 12
MAX_PAGE = COUNT_CAP // PER_PAGE
SORTS = {"relevance": "Best match", "newest": "Newest first", "oldest": "Oldest first"}


@dataclass(frozen=True)
class SearchFilters:
    city_id: int | None = None
    committee_id: int | None = None
    topic_id: int | None = None
    kind: str | None = None
    status: str | None = None  # with `kind`: a status of that kind of document
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class Hit:
    id: int
    kind: str
    source_id: int
    meeting_id: int
    city_id: int
    committee_id: int
    meeting_date: dt.date
    status: str


@dataclass(frozen=True)
class HitPage:
    terms: list[str]
    hits: list[Hit]
    total: int  # up to COUNT_CAP
    page: int

    @property
    def capped(self) -> bool:
        return self.total >= COUNT_CAP


def _scope(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.sees_all_cities:
        return true()
    if viewer.role == "liaison":
        # Her cities' committees as they are now (the copy in the index may be older).
        if not viewer.city_ids:
            return false()
        committees = select(Committee.id).where(col(Committee.city_id).in_(viewer.city_ids))
        return col(SearchDocument.committee_id).in_(committees)
    ids = viewer.committee_ids
    return col(SearchDocument.committee_id).in_(ids) if ids else false()


def _filters(filters: SearchFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if filters.city_id is not None:
        where.append(col(SearchDocument.city_id) == filters.city_id)
    if filters.committee_id is not None:
        where.append(col(SearchDocument.committee_id) == filters.committee_id)
    if filters.kind is not None:
        where.append(col(SearchDocument.kind) == filters.kind)
    if filters.status is not None:
        where.append(col(SearchDocument.status) == filters.status)
    if filters.date_from is not None:
        where.append(col(SearchDocument.meeting_date) >= filters.date_from)
    if filters.date_to is not None:
        where.append(col(SearchDocument.meeting_date) <= filters.date_to)
    if filters.topic_id is not None:
        tagged = select(SearchDocumentTopic.document_id).where(
            SearchDocumentTopic.topic_id == filters.topic_id
        )
        where.append(col(SearchDocument.id).in_(tagged))
    return where


_FTS = table("search_fts")
_TSV: ColumnElement[Any] = literal_column("search_document.terms_tsv")


def _scope_terms(viewer: Viewer) -> list[str]:
    """The index words of the viewer's scope (see `scope_terms`): none when she sees all."""
    if viewer.sees_all_cities:
        return []
    if viewer.role == "liaison":
        return [f"zzcity{i}" for i in sorted(viewer.city_ids)]
    return [f"zzcommittee{i}" for i in sorted(viewer.committee_ids)]


@dataclass(frozen=True)
class _Match:
    """The documents matching every term, with the id as the text index returns it (ids sort
    by date, see `document_id`) and how to rank them: bm25 on SQLite (computed in the index's
    cursor), ts_rank on PostgreSQL (computed on the ranked rows only)."""

    query: Any
    index_order: Any
    bm25: ColumnElement[Any] | None = None
    tsquery: ColumnElement[Any] | None = None


_COLUMNS = [
    col(SearchDocument.id), col(SearchDocument.kind), col(SearchDocument.source_id),
    col(SearchDocument.meeting_id), col(SearchDocument.city_id),
    col(SearchDocument.committee_id), col(SearchDocument.meeting_date),
    col(SearchDocument.status),
]  # fmt: skip


def _match(session: Session, terms: list[str], scope: list[str], filters: SearchFilters) -> _Match:
    if session.get_bind().dialect.name == "sqlite":
        rowid: ColumnElement[Any] = literal_column("search_fts.rowid")
        query = (
            select_columns(*_COLUMNS)
            .select_from(_FTS)
            .join(SearchDocument, col(SearchDocument.id) == rowid)
            .where(literal_column("search_fts").op("MATCH")(_fts_expression(terms, scope, filters)))
            .where(*_rowid_filters(rowid, filters))
        )
        return _Match(query, rowid, bm25=func.bm25(literal_column("search_fts")))
    words = " & ".join(f"'{t}'" for t in terms)
    if scope:
        words += " & (" + " | ".join(f"'{t}'" for t in scope) + ")"
    tsquery = func.to_tsquery(literal_column("'simple'"), words)
    query = select_columns(*_COLUMNS).where(_TSV.op("@@")(tsquery))
    return _Match(query, col(SearchDocument.id), tsquery=tsquery)


def _best_first(match: _Match, query: Any) -> Any:
    """Ranked among the newest RANK_WINDOW matches: ranking every match of a common word
    across a state costs a read of each; the newest come in index order, and only they are
    ranked."""
    if match.bm25 is not None:
        window = (
            query.add_columns(match.bm25.label("relevance"))
            .order_by(match.index_order.desc())
            .limit(RANK_WINDOW)
            .subquery()
        )
        columns = [c for c in window.c if c.name != "relevance"]
        return select_columns(*columns).order_by(window.c.relevance, window.c.id.desc())
    window = query.order_by(match.index_order.desc()).limit(RANK_WINDOW).subquery()
    ranked = table("search_document", column("id"), column("terms_tsv")).alias("ranked")
    return (
        select_columns(*window.c)
        .join(ranked, ranked.c.id == window.c.id)
        .order_by(-func.ts_rank(ranked.c.terms_tsv, match.tsquery), window.c.id.desc())
    )


def _kind_code(kind: str) -> int:
    """The kind's code in the lowest bits of a document id (see `document_id`)."""
    return document_id(kind, 0, dt.date.min) & 3


def _first_id(day: dt.date) -> int:
    """The lowest document id of a meeting on `day` (ids sort by date)."""
    return document_id("minutes", 0, day)


def _index_only(viewer: Viewer, filters: SearchFilters) -> bool:
    """Whether SQLite's text index alone can answer: county-wide viewers (no scope to check
    against the committees' current cities), and filters the index knows (its city and
    committee words; date and kind, which the id holds)."""
    return viewer.sees_all_cities and filters.status is None and filters.topic_id is None


def _fts_expression(terms: list[str], scope: list[str], filters: SearchFilters) -> str:
    # Terms are letters and digits only (nlp.search_terms): quoting them is enough.
    expression = " AND ".join(f'"{term}"' for term in terms)
    if scope:
        expression += " AND (" + " OR ".join(f'"{term}"' for term in scope) + ")"
    if filters.city_id is not None:
        expression += f' AND "zzcity{filters.city_id}"'
    if filters.committee_id is not None:
        expression += f' AND "zzcommittee{filters.committee_id}"'
    return expression


def _rowid_filters(rowid: ColumnElement[Any], filters: SearchFilters) -> list[Any]:
    where: list[Any] = []
    if filters.date_from is not None:
        where.append(rowid >= _first_id(filters.date_from))
    if filters.date_to is not None and filters.date_to < dt.date.max:
        where.append(rowid < _first_id(filters.date_to + dt.timedelta(days=1)))
    if filters.kind is not None and filters.kind in DOCUMENT_KINDS:
        where.append(rowid.op("&")(3) == _kind_code(filters.kind))
    return where


def _sqlite_index_only(
    session: Session, expression: str, filters: SearchFilters, sort: str, page: int
) -> tuple[list[int], int]:
    """The page's document ids and the total (up to COUNT_CAP), from the text index alone:
    best match ranks the newest RANK_WINDOW matches by bm25 (one read of the index, which also
    counts them); newest and oldest read the page in index order."""
    rowid: ColumnElement[Any] = literal_column("search_fts.rowid")
    matching = (
        select_columns(rowid.label("id"))
        .select_from(_FTS)
        .where(literal_column("search_fts").op("MATCH")(expression))
        .where(*_rowid_filters(rowid, filters))
    )
    offset = (page - 1) * PER_PAGE
    if sort in ("newest", "oldest"):
        ordered = matching.order_by(rowid.desc() if sort == "newest" else rowid)
        ids = list(session.execute(ordered.limit(PER_PAGE).offset(offset)).scalars())
        if page == 1 and len(ids) < PER_PAGE:
            return ids, len(ids)
        total = session.execute(
            select_columns(func.count()).select_from(matching.limit(COUNT_CAP).subquery())
        ).scalar_one()
        return ids, total
    window = session.execute(
        matching.add_columns(func.bm25(literal_column("search_fts")))
        .order_by(rowid.desc())
        .limit(RANK_WINDOW)
    ).all()
    if len(window) < RANK_WINDOW:
        total = min(len(window), COUNT_CAP)
    elif RANK_WINDOW >= COUNT_CAP:
        total = COUNT_CAP
    else:
        total = session.execute(
            select_columns(func.count()).select_from(matching.limit(COUNT_CAP).subquery())
        ).scalar_one()
    ranked = sorted(window, key=lambda row: (row[1], -row[0]))
    return [row[0] for row in ranked[offset : offset + PER_PAGE]], total


def _hits_by_id(
    session: Session, ids: list[int], viewer: Viewer, filters: SearchFilters
) -> list[Hit]:
    """The documents of `ids`, in that order, the viewer's scope and the filters checked."""
    if not ids:
        return []
    rows = session.execute(
        select_columns(*_COLUMNS).where(
            col(SearchDocument.id).in_(ids), _scope(viewer), *_filters(filters)
        )
    ).all()
    found = {row[0]: Hit(*row) for row in rows}
    return [found[i] for i in ids if i in found]


def search(
    session: Session,
    text: str,
    *,
    viewer: Viewer,
    filters: SearchFilters,
    sort: str = "relevance",
    page: int = 1,
) -> HitPage:
    """A page of the documents the viewer may see that hold every word of `text`."""
    terms = query_terms(text)[:MAX_TERMS]
    page = min(max(page, 1), MAX_PAGE)
    if not terms:
        return HitPage(terms=[], hits=[], total=0, page=1)
    scope = _scope_terms(viewer)
    if not viewer.sees_all_cities and not scope:
        return HitPage(terms=terms, hits=[], total=0, page=page)
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite and _index_only(viewer, filters):
        expression = _fts_expression(terms, scope, filters)
        ids, total = _sqlite_index_only(session, expression, filters, sort, page)
        hits = _hits_by_id(session, ids, viewer, filters)
        return HitPage(terms=terms, hits=hits, total=total, page=page)
    match = _match(session, terms, scope, filters)
    query = match.query.where(_scope(viewer), *_filters(filters))
    total = session.execute(
        select_columns(func.count()).select_from(query.limit(COUNT_CAP).subquery())
    ).scalar_one()
    if sort in ("newest", "oldest"):
        order = match.index_order
        ordered = query.order_by(order.desc() if sort == "newest" else order)
    else:
        ordered = _best_first(match, query)
    rows = session.execute(ordered.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return HitPage(terms=terms, hits=[Hit(*row) for row in rows], total=total, page=page)
