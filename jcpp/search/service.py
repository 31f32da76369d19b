"""Search: one text-index match joined to the filters and the viewer's scope, a page at a time.

The query's words go through `nlp.query_terms`, as the index's did, and every term must be
found (AND). Document ids sort by date, so the text index hands over matches newest first:
"newest" and "oldest" read in index order and stop at the page; "best match" ranks only the
newest RANK_WINDOW matches (bm25 on SQLite, computed in the index's own cursor; ts_rank on
PostgreSQL, which reads each document's stored vector) instead of every match of a common word
across the state, and pages past them go on newest first. Ties end with the id, so pages never
overlap. PostgreSQL's text index hands matches over unordered; there the newest are looked for
among the last two years' documents first (each document's year is a word of the index), among
all only when those hold too few; a page of best matches inside the window comes in one
statement with its ranking and the count. The total is counted only up to `COUNT_CAP` (a search
that matches half the state needs no exact figure). Only the page's own rows are read from
`search_document` (by id).

For county-wide viewers without a status or topic filter, SQLite's text index answers alone:
city and committee are words of the index, date and kind are parts of the id.

The viewer's scope is part of the query itself (liaison: her cities; member: his committees;
admin and county staff: all): a WHERE clause on the document's city or committee, and the words
naming them in the index (which let the index narrow first); nothing out of scope is ever read,
let alone shown, and each hit's committee is checked again before its text is read for the
snippet."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Integer,
    any_,
    bindparam,
    case,
    column,
    extract,
    func,
    literal,
    literal_column,
    table,
    true,
)
from sqlalchemy import cast as cast_as
from sqlalchemy import select as select_columns
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer
from jcpp.models import City, Committee, SearchDocument, SearchDocumentTopic
from jcpp.models.search import DAY_SHIFT, DOCUMENT_KINDS, document_id
from jcpp.search.documents import YEAR_PREFIX
from nlp import query_terms

PER_PAGE = 20
COUNT_CAP = 1000
# Best match ranks the newest this many matches. On SQLite 1,000 until 27 Nov 2026: 200 made
# the search's p95 with 8 clients 110-132 ms instead of 156-199 (benchmarks/scale.py).
RANK_WINDOW = 200
MAX_TERMS = 12
DENSE_MATCHES = 10_000  # PostgreSQL: see _sparse
MAX_PAGE = COUNT_CAP // PER_PAGE
SHAPES = 1024  # statements kept per builder: one per shape of search (see _Shape)
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
    """A document as indexed, and its committee as it is now (name, city and the city's name:
    read in the same query, for the result's line and the viewer's scope)."""

    id: int
    kind: str
    source_id: int
    meeting_id: int
    city_id: int
    committee_id: int
    meeting_date: dt.date
    status: str
    committee_name: str
    committee_city_id: int
    city_name: str


@dataclass(frozen=True)
class HitPage:
    terms: list[str]
    hits: list[Hit]
    total: int  # up to COUNT_CAP
    page: int

    @property
    def capped(self) -> bool:
        return self.total >= COUNT_CAP


@dataclass(frozen=True)
class _Shape:
    """What a search's statements are built from: the database, the kind of the viewer's
    scope and which conditions the filters set. Their values (the words, the scope's ids, the
    filters', the page's offset and sizes) are bound when a statement runs and are never part
    of one, so the statements of a shape are built once and serve every search of that shape
    (building and keying one for the statement cache took ~1.5 ms of CPU a search)."""

    postgres: bool
    scope: str  # "all", "cities" (a liaison's) or "committees" (a member's)
    conditions: frozenset[str]  # the names of the filters' values that are set (see _values)

    @property
    def index_only(self) -> bool:
        """Whether SQLite's text index alone can answer: county-wide viewers (no scope to check
        against the committees' current cities), and filters the index knows (its city and
        committee words; date and kind, which the id holds)."""
        return self.scope == "all" and not self.conditions & {"status", "topic_id"}


def _scope_kind(viewer: Viewer) -> str:
    if viewer.sees_all_cities:
        return "all"
    return "cities" if viewer.role == "liaison" else "committees"


def _values(
    postgres: bool, terms: list[str], viewer: Viewer, filters: SearchFilters
) -> tuple[_Shape, dict[str, Any]]:
    """The search's shape and the values its statements are run with."""
    values = {name: value for name, value in asdict(filters).items() if value is not None}
    if not postgres:  # dates and kind also as conditions on the document id, which FTS5 can use
        if filters.date_from is not None:
            values["first_id"] = _first_id(filters.date_from)
        if filters.date_to is not None and filters.date_to < dt.date.max:
            values["end_id"] = _first_id(filters.date_to + dt.timedelta(days=1))
        if filters.kind in DOCUMENT_KINDS:
            values["kind_code"] = _kind_code(filters.kind)
    shape = _Shape(postgres, _scope_kind(viewer), frozenset(values))
    if shape.scope != "all":
        values["scope_ids"] = sorted(
            viewer.city_ids if shape.scope == "cities" else viewer.committee_ids
        )
    scope = _scope_terms(viewer)
    if postgres:
        words = " & ".join(f"'{t}'" for t in terms)
        if scope:
            words += " & (" + " | ".join(f"'{t}'" for t in scope) + ")"
        values["words"] = words
    else:
        values["fts"] = _fts_expression(terms, scope, filters)
    return shape, values


def _scope(shape: _Shape) -> ColumnElement[bool]:
    if shape.scope == "all":
        return true()
    ids: Any = bindparam("scope_ids", expanding=True)
    if shape.scope == "cities":
        # Her cities' committees as they are now (the copy in the index may be older).
        committees = select(Committee.id).where(col(Committee.city_id).in_(ids))
        return col(SearchDocument.committee_id).in_(committees)
    return col(SearchDocument.committee_id).in_(ids)


_EQUAL = {
    "city_id": SearchDocument.city_id,
    "committee_id": SearchDocument.committee_id,
    "kind": SearchDocument.kind,
    "status": SearchDocument.status,
}


def _filters(shape: _Shape) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        col(column) == bindparam(name)
        for name, column in _EQUAL.items()
        if name in shape.conditions
    ]
    if "date_from" in shape.conditions:
        where.append(col(SearchDocument.meeting_date) >= bindparam("date_from"))
    if "date_to" in shape.conditions:
        where.append(col(SearchDocument.meeting_date) <= bindparam("date_to"))
    if "topic_id" in shape.conditions:
        tagged = select(SearchDocumentTopic.document_id).where(
            SearchDocumentTopic.topic_id == bindparam("topic_id")
        )
        where.append(col(SearchDocument.id).in_(tagged))
    return where


_FTS = table("search_fts")
_FTS_ROWID: ColumnElement[Any] = literal_column("search_fts.rowid")
_FTS_MATCH: ColumnElement[Any] = literal_column("search_fts")
_TSV: ColumnElement[Any] = literal_column("search_document.terms_tsv")
_ID_ARRAY = ARRAY(BigInteger())


def _scope_terms(viewer: Viewer) -> list[str]:
    """The index words of the viewer's scope (see `scope_terms`): none when she sees all."""
    if viewer.sees_all_cities:
        return []
    if viewer.role == "liaison":
        return [f"zzcity{i}" for i in sorted(viewer.city_ids)]
    return [f"zzcommittee{i}" for i in sorted(viewer.committee_ids)]


_COLUMNS = [
    col(SearchDocument.id), col(SearchDocument.kind), col(SearchDocument.source_id),
    col(SearchDocument.meeting_id), col(SearchDocument.city_id),
    col(SearchDocument.committee_id), col(SearchDocument.meeting_date),
    col(SearchDocument.status), col(Committee.name), col(Committee.city_id), col(City.name),
]  # fmt: skip


def _with_places(query: Any) -> Any:
    """`query` joined to each document's committee and that committee's city (`_COLUMNS`); a
    document whose committee is gone is left out."""
    return query.join(Committee, col(Committee.id) == SearchDocument.committee_id).join(
        City, col(City.id) == Committee.city_id
    )


def _kind_code(kind: str) -> int:
    """The kind's code in the lowest bits of a document id (see `document_id`)."""
    return document_id(kind, 0, dt.date.min) & 3


def _first_id(day: dt.date) -> int:
    """The lowest document id of a meeting on `day` (ids sort by date)."""
    return document_id("minutes", 0, day)


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


def _id_filters(document: ColumnElement[Any], shape: _Shape) -> list[Any]:
    """Dates and kind as conditions on the document id (see `_values`)."""
    where: list[Any] = []
    if "first_id" in shape.conditions:
        where.append(document >= bindparam("first_id"))
    if "end_id" in shape.conditions:
        where.append(document < bindparam("end_id"))
    if "kind_code" in shape.conditions:
        where.append(document.op("&")(3) == bindparam("kind_code"))
    return where


@dataclass(frozen=True, eq=False)
class _Match:
    """The ids of the documents matching every term and the filters (`ids`, a SELECT of one
    column; `document`, that column as the text index orders it) and how good a match is
    (`score`, lower is better; None on PostgreSQL, where ts_rank is computed afterwards on the
    window's rows only). Built once for each shape (see `_Shape`)."""

    shape: _Shape
    ids: Any
    document: ColumnElement[Any]
    score: ColumnElement[Any] | None
    tsquery: ColumnElement[Any] | None = None
    order: ColumnElement[Any] = literal_column("0")  # what to sort by for index order
    sparse: bool = False  # PostgreSQL: every match is read from the text index and sorted
    recent: Any = None  # when sparse: `ids` among the last two years' documents (see _newest)


@dataclass(frozen=True, eq=False)
class _Run:
    """A search's statements (`match`) and the values they run with."""

    match: _Match
    values: dict[str, Any]

    def ids(self, session: Session, statement: Any) -> list[int]:
        return list(session.execute(statement, self.values).scalars())

    def rows(self, session: Session, statement: Any) -> list[Any]:
        return list(session.execute(statement, self.values).all())


class _Explain(Executable, ClauseElement):
    """`EXPLAIN (FORMAT JSON)` of a SELECT, run with its values bound (PostgreSQL plans the
    statement for them) and compiled once, as any statement, not again for every search."""

    inherit_cache = True
    _traverse_internals = [("statement", InternalTraversal.dp_clauseelement)]

    def __init__(self, statement: Any) -> None:
        self.statement = statement


@compiles(_Explain)
def _compile_explain(element: _Explain, compiler: Any, **kw: Any) -> str:
    # The SELECT's result column (a BigInteger, which psycopg reads as is) names EXPLAIN's one
    # column too: its JSON plan comes back as the driver parsed it.
    return "EXPLAIN (FORMAT JSON) " + str(compiler.process(element.statement, **kw))


def _sparse(session: Session, dense: _Match, values: dict[str, Any]) -> bool:
    """Whether PostgreSQL expects fewer than DENSE_MATCHES matches. Then the newest are found
    from the text index (every match's row read, and sorted), not by walking the ids from the
    newest down and testing each document's stored vector (read from its TOAST table) until
    enough match, which the planner favours for a short LIMIT although a word in one document
    of 200 means reading 40,000 vectors for 200 matches ("interpreter" at state scale: 30 ms
    against 180-380 on a loaded machine). Its estimate is good for one word and low for words
    that go together ("body & camera": 1,078 for 29,620), where both ways cost about the same;
    for a word in one document of ten or more ("meeting") the walk is the faster."""
    plan = session.execute(_explained(dense.shape), values).scalar_one()
    rows = plan[0]["Plan"]["Plan Rows"]
    return isinstance(rows, int | float) and rows < DENSE_MATCHES


@lru_cache(maxsize=SHAPES)
def _explained(shape: _Shape) -> _Explain:
    return _Explain(_postgres_match(shape, sparse=False).ids)


def _match(session: Session, shape: _Shape, values: dict[str, Any]) -> _Run:
    if not shape.postgres:
        return _Run(_sqlite_match(shape), values)
    dense = _postgres_match(shape, sparse=False)
    if not _sparse(session, dense, values):
        return _Run(dense, values)
    return _Run(_postgres_match(shape, sparse=True), values)


@lru_cache(maxsize=SHAPES)
def _sqlite_match(shape: _Shape) -> _Match:
    matching = _FTS_MATCH.op("MATCH")(bindparam("fts"))
    where = [matching, *_id_filters(_FTS_ROWID, shape)]
    bm25 = func.bm25(_FTS_MATCH)
    if shape.index_only:
        ids = select_columns(_FTS_ROWID.label("id")).select_from(_FTS).where(*where)
        return _Match(shape, ids, _FTS_ROWID, bm25, order=_FTS_ROWID)
    ids = (
        select_columns(col(SearchDocument.id))
        .select_from(_FTS)
        .join(SearchDocument, col(SearchDocument.id) == _FTS_ROWID)
        .where(*where, _scope(shape), *_filters(shape))
    )
    return _Match(shape, ids, _FTS_ROWID, bm25, order=_FTS_ROWID)


def _tsquery() -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'"), bindparam("words"))


@lru_cache(maxsize=SHAPES)
def _postgres_match(shape: _Shape, *, sparse: bool) -> _Match:
    document = cast(ColumnElement[Any], col(SearchDocument.id))
    where = [_scope(shape), *_filters(shape)]
    ids = select_columns(document).where(_TSV.op("@@")(_tsquery()), *where)
    if not sparse:
        return _Match(shape, ids, document, None, tsquery=_tsquery(), order=document)
    in_years = _year_words(0).op("||")(_year_words(1))
    recent = select_columns(document).where(_TSV.op("@@")(_tsquery().op("&&")(in_years)), *where)
    # "+ 0" keeps the planner from walking the primary key (see _sparse).
    return _Match(
        shape, ids, document, None, tsquery=_tsquery(), order=document + 0, sparse=True,
        recent=recent,
    )  # fmt: skip


# The year of the newest document, read from its id (the meeting day's ordinal, counted from
# 1 January of year 1, in the highest bits; see `document_id`) by the database, in the query.
_NEWEST_DOCUMENT = SearchDocument.__table__.alias("newest_document")  # type: ignore[attr-defined]
_NEWEST_DAY = literal(dt.date(1, 1, 1), Date) + cast_as(
    func.max(_NEWEST_DOCUMENT.c.id).op(">>")(literal(DAY_SHIFT, Integer)) - 1, Integer
)
_NEWEST_YEAR: ColumnElement[Any] = (
    select_columns(cast_as(extract("year", _NEWEST_DAY), Integer))
    .select_from(_NEWEST_DOCUMENT)
    .scalar_subquery()
)


def _year_words(back: int) -> ColumnElement[Any]:
    """The tsquery of the year word `back` years before the newest document's (on an empty
    index a word no document has)."""
    return func.to_tsquery(
        literal_column("'simple'"), func.concat(YEAR_PREFIX, _NEWEST_YEAR - back)
    )


def _sizes(offset: int) -> dict[str, int]:
    """The values of the page's offset and of the sizes (bound, not built in: see `_Shape`)."""
    return {
        "page_offset": offset, "per_page": PER_PAGE, "rank_window": RANK_WINDOW,
        "count_cap": COUNT_CAP,
    }  # fmt: skip


def _size(name: str) -> Any:
    return bindparam(name, type_=Integer)


def _newest(
    session: Session, run: _Run, limit: int, *, offset: int = 0, enough: int | None = None
) -> tuple[list[int], bool]:
    """The ids of the newest `limit` matches after `offset`, and whether they are all there are
    (fewer than `limit` of every match). When PostgreSQL reads every match from the text index
    (`sparse`), it looks among the last two years' documents first (`recent`: for a common word
    a fraction of all) and keeps what it found there when that is `enough` (default: `limit`);
    else it looks among all."""
    match = run.match
    if match.recent is not None:
        recent = match.recent.order_by(match.order.desc()).limit(limit).offset(offset)
        ids = run.ids(session, recent)
        if len(ids) >= (enough or limit):
            return ids, False
    everywhere = match.ids.order_by(match.order.desc()).limit(limit).offset(offset)
    ids = run.ids(session, everywhere)
    return ids, len(ids) < limit


def _newest_window(
    session: Session, run: _Run, size: int
) -> tuple[list[tuple[int, float]], int | None]:
    """(id, score) of the newest `size` matches, and how many matches there are (up to
    COUNT_CAP) when that was learnt on the way. When PostgreSQL reads every match from the text
    index and sorts them anyway (`sparse`), the newest COUNT_CAP cost little more than the
    newest `size`, and they are the count: no second pass over the index to count them."""
    match = run.match
    if match.score is not None:
        rows = run.rows(
            session, match.ids.add_columns(match.score).order_by(match.order.desc()).limit(size)
        )
        return [(row[0], row[1]) for row in rows], len(rows) if len(rows) < size else None
    ranked = table("search_document", column("id"), column("terms_tsv")).alias("ranked")
    rank = -func.ts_rank(ranked.c.terms_tsv, match.tsquery)
    if match.sparse:
        newest, every = _newest(session, run, COUNT_CAP, enough=size)
        rows = run.rows(
            session,
            # One array parameter, not one per id: the statement's text stays the same, so
            # the driver need not parse it again (a list of 200 parameters cost ~1.5 ms).
            select_columns(ranked.c.id, rank).where(
                ranked.c.id == any_(bindparam("window", newest[:size], type_=_ID_ARRAY))
            ),
        )
        known = every or len(newest) == COUNT_CAP
        return [(row[0], row[1]) for row in rows], len(newest) if known else None
    window = match.ids.order_by(match.order.desc()).limit(size).subquery()
    rows = run.rows(
        session, select_columns(window.c.id, rank).join(ranked, ranked.c.id == window.c.id)
    )
    return [(row[0], row[1]) for row in rows], len(rows) if len(rows) < size else None


def _best_first(
    session: Session, run: _Run, window_size: int, offset: int
) -> tuple[list[int], int | None]:
    """The page's ids by relevance among the newest `window_size` matches, then (past them)
    newest first; and how many matches there are, when known (see _newest_window)."""
    window, total = _newest_window(session, run, window_size)
    ranked = sorted(window, key=lambda row: (row[1], -row[0]))
    ids = [row[0] for row in ranked[offset : offset + PER_PAGE]]
    if len(ids) < PER_PAGE and len(window) == window_size:
        below = min(row[0] for row in window)
        match = run.match
        older = (
            match.ids.where(match.document < below)
            .order_by(match.order.desc())
            .limit(PER_PAGE - len(ids))
            .offset(max(0, offset - window_size))
        )
        ids += run.ids(session, older)
    return ids, total


def _best_page(session: Session, run: _Run, offset: int) -> tuple[list[Hit], int] | None:
    """PostgreSQL, when every match is read from the text index (`sparse`) and the page lies
    in the ranking window: the newest matches, their ranking, the page's documents and how many
    matches there are (up to COUNT_CAP) in one statement, first among the last two years'
    documents, among all when those hold fewer than the window (as `_newest`). The page's hits
    and the count; None when this does not apply."""
    if run.match.recent is None or offset + PER_PAGE > RANK_WINDOW:  # recent: when sparse
        return None
    values = run.values | _sizes(offset)
    for recent in (True, False):
        rows = session.execute(_ranked_page(run.match.shape, recent=recent), values).all()
        if recent and (not rows or rows[0][-2] < RANK_WINDOW):
            continue  # too few among the last two years
        total = rows[0][-1] if rows else _count(session, run)  # none: a page past the last
        return [Hit(*row[:-2]) for row in rows], total
    return None


@lru_cache(maxsize=SHAPES)
def _ranked_page(shape: _Shape, *, recent: bool) -> Any:
    """The page's documents (`_COLUMNS`) by relevance among the newest RANK_WINDOW matches
    (PostgreSQL, sparse; among the last two years' documents when `recent`), each row ending
    with how many of those there are and how many matches there are in all (both up to
    COUNT_CAP). When the last two years hold the window but not COUNT_CAP, all matches are
    counted; when they hold too few, the count is left out (the database runs a CASE's
    subquery only when its branch is taken)."""
    match = _postgres_match(shape, sparse=True)
    ids = match.recent if recent else match.ids
    newest = ids.order_by(match.order.desc()).limit(_size("count_cap")).cte("newest")
    window = (
        select_columns(newest.c.id).order_by(newest.c.id.desc()).limit(_size("rank_window"))
    ).cte("window")
    every = select_columns(func.count()).select_from(newest).scalar_subquery()
    total: ColumnElement[Any] = every
    if recent:
        total = case(
            (every >= _size("count_cap"), every),
            (every >= _size("rank_window"), _counted(match)),
        )
    document = col(SearchDocument.id)
    return (
        _with_places(
            select_columns(*_COLUMNS, every, total).join_from(
                window, SearchDocument, document == window.c.id
            )
        )
        .order_by(-func.ts_rank(_TSV, match.tsquery), document.desc())
        .limit(_size("per_page"))
        .offset(_size("page_offset"))
    )


def _counted(match: _Match) -> Any:
    """How many documents match (up to COUNT_CAP), as a scalar subquery."""
    counted = match.ids.limit(_size("count_cap")).subquery()
    return select_columns(func.count()).select_from(counted).scalar_subquery()


def _count(session: Session, run: _Run) -> int:
    total: int = session.execute(
        select_columns(_counted(run.match)), run.values | {"count_cap": COUNT_CAP}
    ).scalar_one()
    return total


@lru_cache(maxsize=SHAPES)
def _page_rows(shape: _Shape) -> Any:
    """The documents of a page's ids (`page_ids`), the viewer's scope and the filters checked."""
    return _with_places(select_columns(*_COLUMNS).select_from(SearchDocument)).where(
        col(SearchDocument.id).in_(bindparam("page_ids", expanding=True)),
        _scope(shape),
        *_filters(shape),
    )


def _hits_by_id(session: Session, ids: list[int], run: _Run) -> list[Hit]:
    """The documents of `ids`, in that order, the viewer's scope and the filters checked."""
    if not ids:
        return []
    rows = session.execute(_page_rows(run.match.shape), run.values | {"page_ids": ids}).all()
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
    if not viewer.sees_all_cities and not _scope_terms(viewer):
        return HitPage(terms=terms, hits=[], total=0, page=page)
    postgres = session.get_bind().dialect.name != "sqlite"
    run = _match(session, *_values(postgres, terms, viewer, filters))
    match = run.match
    offset = (page - 1) * PER_PAGE
    total: int | None = None
    if sort in ("newest", "oldest"):
        if sort == "newest":
            ids, _every = _newest(session, run, PER_PAGE, offset=offset)
        else:
            ids = run.ids(session, match.ids.order_by(match.order).limit(PER_PAGE).offset(offset))
        if page == 1 and len(ids) < PER_PAGE:
            total = len(ids)
    elif found := _best_page(session, run, offset):
        hits, total = found
        return HitPage(terms=terms, hits=hits, total=total, page=page)
    else:
        ids, total = _best_first(session, run, RANK_WINDOW, offset)
    if total is None:
        total = _count(session, run)
    hits = _hits_by_id(session, ids, run)
    return HitPage(terms=terms, hits=hits, total=total, page=page)
