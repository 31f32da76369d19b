"""The dashboard's numbers, read from the rollups (`TopicMonthCount`), and who may see which.

Every view is a `Grid` of counts: topics × months (the heatmap), cities × months for one topic
(small multiples), cities × topics over a period (the matrix). The county total is a number
everyone signed in may see; city by city, a viewer sees only her cities (a liaison's cities, a
member's committees' cities; county staff and admins every city). The meetings behind a number
are read in `jcpp.trends.evidence`, limited to the meetings the viewer may open.

Each view is one or two grouped queries over a narrow range of the rollup (a month range, on
the (month) or (topic_id, month) index), never one query per cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer
from jcpp.models import City, Committee, Topic, TopicMonthCount
from jcpp.topics.pipeline import ensure_topic_list
from jcpp.trends import count_cache

MEASURES = {
    "meetings": "Meetings where raised",
    "mentions": "Mentions (evidence sentences)",
    "concerns": "Concerns",
}
CITY_ROWS = 40  # cities on a page of the matrix and the topic page, the busiest first


class CityRef(Protocol):
    """A city as the views use it: a `City`, or a `CityChoice` (read without the ORM)."""

    @property
    def id(self) -> int | None: ...

    @property
    def name(self) -> str: ...

    @property
    def slug(self) -> str: ...


@dataclass(frozen=True)
class CityChoice:
    id: int
    name: str
    slug: str


@dataclass(frozen=True)
class TrendScope:
    """The cities whose numbers the viewer sees city by city (None: every city)."""

    city_ids: frozenset[int] | None

    def sees(self, city_id: int) -> bool:
        return self.city_ids is None or city_id in self.city_ids


@dataclass(frozen=True)
class TrendFilters:
    """A view's filters, resolved: months are first days; no cities means the county total."""

    first: dt.date
    last: dt.date
    cities: tuple[CityRef, ...] = ()
    topics: tuple[Topic, ...] = ()
    confirmed_only: bool = False
    measure: str = "meetings"

    @property
    def months(self) -> list[dt.date]:
        return months_between(self.first, self.last)

    @property
    def city_ids(self) -> list[int]:
        return [city.id for city in self.cities if city.id is not None]


@dataclass(frozen=True)
class Label:
    """A row or column of a grid: a topic (slug), a city (slug) or a month (YYYY-MM)."""

    key: str
    name: str


@dataclass(frozen=True)
class CityPage:
    """Rows `first`–`last` (from 1) of `count` cities ranked busiest first; page `number` of
    `pages` (one page holds every city when the view asked for all of them)."""

    number: int
    pages: int
    first: int
    last: int
    count: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


@dataclass
class Grid:
    """Counts by row and column, with totals; `values[r][c]` for `rows[r]`, `columns[c]`."""

    rows: list[Label]
    columns: list[Label]
    values: list[list[int]]
    total_row: list[int] | None = None  # the county total, when the rows are cities
    page: CityPage | None = None  # which of the cities these rows are, when they are cities
    notes: list[str] = field(default_factory=list)

    @property
    def row_totals(self) -> list[int]:
        return [sum(row) for row in self.values]

    @property
    def column_totals(self) -> list[int]:
        return [sum(cells) for cells in zip(*self.values, strict=True)] if self.values else []

    @property
    def peak(self) -> int:
        return max((max(row, default=0) for row in self.values), default=0)


def month_key(month: dt.date) -> str:
    return f"{month:%Y-%m}"


def month_name(month: dt.date) -> str:
    return f"{month:%b %Y}"


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(first, n) for n in range(max(count, 0))]


def trend_scope(session: Session, viewer: Viewer) -> TrendScope:
    """Admins and county staff: every city; a liaison: her cities; a member: the cities of his
    committees."""
    if viewer.sees_all_cities:
        return TrendScope(None)
    if viewer.role == "liaison":
        return TrendScope(viewer.city_ids)
    if not viewer.committee_ids:
        return TrendScope(frozenset())
    city_ids = session.exec(
        select(Committee.city_id).where(col(Committee.id).in_(viewer.committee_ids))
    ).all()
    return TrendScope(frozenset(city_ids))


def visible_cities(session: Session, *, scope: TrendScope) -> list[City]:
    """The cities the viewer may choose, by name."""
    query = select(City).order_by(City.name)
    if scope.city_ids is not None:
        query = query.where(col(City.id).in_(scope.city_ids or {-1}))
    return list(session.exec(query).all())


def city_choices(session: Session, *, scope: TrendScope) -> list[CityChoice]:
    """The cities the viewer may choose, by name: the dashboard's (850 of them at state scale,
    read as plain rows, not ORM objects, which cost 30 ms)."""
    query = select(City.id, City.name, City.slug).order_by(City.name)
    if scope.city_ids is not None:
        query = query.where(col(City.id).in_(scope.city_ids or {-1}))
    return [CityChoice(i, name, slug) for i, name, slug in session.exec(query).all() if i]


def topic_choices(session: Session) -> list[Topic]:
    """The topics of the list (retired ones keep their history but are not offered)."""
    ensure_topic_list(session)
    return list(session.exec(select(Topic).where(col(Topic.active)).order_by(Topic.name)).all())


def topic_by_slug(session: Session, slug: str) -> Topic | None:
    """A topic of the list, retired ones too (their history stays on the dashboard)."""
    ensure_topic_list(session)
    return session.exec(select(Topic).where(Topic.slug == slug)).first()


def measure_column(measure: str, *, confirmed_only: bool) -> ColumnElement[int]:
    name = f"{measure if measure in MEASURES else 'meetings'}_"
    name += "confirmed" if confirmed_only else "all"
    column: ColumnElement[int] = getattr(TopicMonthCount, name)
    return column


def _in_period(filters: TrendFilters) -> list[ColumnElement[bool]]:
    return [
        col(TopicMonthCount.month) >= filters.first,
        col(TopicMonthCount.month) <= filters.last,
    ]


def _topics_of(filters: TrendFilters) -> list[ColumnElement[bool]]:
    ids = [topic.id for topic in filters.topics]
    return [col(TopicMonthCount.topic_id).in_(ids)] if ids else []


def _cities_in(city_ids: Iterable[int] | None) -> list[ColumnElement[bool]]:
    return [] if city_ids is None else [col(TopicMonthCount.city_id).in_(list(city_ids) or [-1])]


def topic_month_grid(session: Session, *, filters: TrendFilters, topics: Sequence[Topic]) -> Grid:
    """The heatmap: `topics` × the period's months, summed over the chosen cities (the county
    total when none is chosen)."""
    value = func.sum(measure_column(filters.measure, confirmed_only=filters.confirmed_only))
    query = (
        select(col(TopicMonthCount.topic_id), col(TopicMonthCount.month), value)
        .where(*_in_period(filters), *_topics_of(filters))
        .where(*_cities_in(filters.city_ids or None))
        .group_by(col(TopicMonthCount.topic_id), col(TopicMonthCount.month))
    )
    counts = {(t, m): int(n or 0) for t, m, n in count_cache.rows(session, query)}
    months = filters.months
    return Grid(
        rows=[Label(topic.slug, topic.name) for topic in topics],
        columns=[Label(month_key(m), month_name(m)) for m in months],
        values=[[counts.get((topic.id or 0, m), 0) for m in months] for topic in topics],
    )


def _city_rows(
    session: Session,
    counts: dict[int, dict[object, int]],
    *,
    candidates: Sequence[CityRef] | None,
    page: int | None,
) -> tuple[list[CityRef], CityPage]:
    """The cities to show city by city: the `candidates` (the chosen or visible cities), or
    for every city those with a count; ranked busiest first, then by name; the `page`-th
    CITY_ROWS of them (None: all)."""
    if candidates is None:
        ids = list(counts)
        rows = session.exec(
            select(City.id, City.name, City.slug).where(col(City.id).in_(ids or [-1]))
        ).all()
        candidates = [CityChoice(i, name, slug) for i, name, slug in rows if i]

    def busiest(city: CityRef) -> tuple[int, str]:
        return (-sum(counts.get(city.id or 0, {}).values()), city.name)

    ranked = sorted(candidates, key=busiest)
    if page is None:
        return ranked, CityPage(1, 1, min(1, len(ranked)), len(ranked), len(ranked))
    pages = max(1, -(-len(ranked) // CITY_ROWS))
    number = min(max(page, 1), pages)
    shown = ranked[(number - 1) * CITY_ROWS : number * CITY_ROWS]
    first = (number - 1) * CITY_ROWS + 1 if shown else 0
    return shown, CityPage(number, pages, first, first + len(shown) - 1 if shown else 0,
                           len(ranked))  # fmt: skip


def _candidates(
    filters: TrendFilters, scope: TrendScope, cities: Sequence[CityRef]
) -> list[CityRef] | None:
    if filters.cities:
        return list(filters.cities)
    return None if scope.city_ids is None else list(cities)


def _per_city(
    session: Session,
    filters: TrendFilters,
    scope: TrendScope,
    *,
    by: Any,
    where: Sequence[ColumnElement[bool]],
) -> dict[int, dict[object, int]]:
    """Counts by city and `by` (month or topic), for the chosen (or visible) cities."""
    value = func.sum(measure_column(filters.measure, confirmed_only=filters.confirmed_only))
    city_ids = filters.city_ids or (None if scope.city_ids is None else scope.city_ids)
    query = (
        select(TopicMonthCount.city_id, by, value)
        .where(*_in_period(filters), *where, *_cities_in(city_ids))
        .group_by(col(TopicMonthCount.city_id), by)
    )
    counts: dict[int, dict[object, int]] = {}
    for city_id, key, n in count_cache.rows(session, query):
        counts.setdefault(city_id, {})[key] = int(n or 0)
    return counts


def _county_total(
    session: Session,
    filters: TrendFilters,
    scope: TrendScope,
    counts: dict[int, dict[object, int]],
    *,
    by: Any,
    where: Sequence[ColumnElement[bool]],
) -> dict[object, int]:
    """The county total by `by`: the sum of `counts` when they already hold every city (no
    second pass over the rollup), else one grouped query over all cities."""
    if scope.city_ids is None and not filters.cities:
        total: dict[object, int] = {}
        for per_city in counts.values():
            for key, n in per_city.items():
                total[key] = total.get(key, 0) + n
        return total
    value = func.sum(measure_column(filters.measure, confirmed_only=filters.confirmed_only))
    query = select(by, value).where(*_in_period(filters), *where).group_by(by)
    return {key: int(n or 0) for key, n in count_cache.rows(session, query)}


def topic_city_grid(
    session: Session,
    *,
    filters: TrendFilters,
    scope: TrendScope,
    topic: Topic,
    cities: Sequence[CityRef],
    page: int | None = 1,
) -> Grid:
    """Small multiples of one topic: the chosen (or visible) cities × the period's months, with
    the county total. `cities` are the cities the viewer may choose; `page` says which
    CITY_ROWS of them, the busiest first (None: all)."""
    by = col(TopicMonthCount.month)
    where = [col(TopicMonthCount.topic_id) == topic.id]
    counts = _per_city(session, filters, scope, by=by, where=where)
    shown, rows = _city_rows(
        session, counts, candidates=_candidates(filters, scope, cities), page=page
    )
    total = _county_total(session, filters, scope, counts, by=by, where=where)
    months = filters.months
    return Grid(
        rows=[Label(city.slug, city.name) for city in shown],
        columns=[Label(month_key(m), month_name(m)) for m in months],
        values=[[counts.get(city.id or 0, {}).get(m, 0) for m in months] for city in shown],
        total_row=[total.get(m, 0) for m in months],
        page=rows,
    )


def city_topic_grid(
    session: Session,
    *,
    filters: TrendFilters,
    scope: TrendScope,
    topics: Sequence[Topic],
    cities: Sequence[CityRef],
    page: int | None = 1,
) -> Grid:
    """The matrix: the chosen (or visible) cities × `topics`, summed over the period, with the
    county total; `page` says which CITY_ROWS cities, the busiest first (None: all)."""
    by = col(TopicMonthCount.topic_id)
    where = _topics_of(filters)
    counts = _per_city(session, filters, scope, by=by, where=where)
    shown, rows = _city_rows(
        session, counts, candidates=_candidates(filters, scope, cities), page=page
    )
    total = _county_total(session, filters, scope, counts, by=by, where=where)
    return Grid(
        rows=[Label(city.slug, city.name) for city in shown],
        columns=[Label(topic.slug, topic.name) for topic in topics],
        values=[[counts.get(city.id or 0, {}).get(t.id, 0) for t in topics] for city in shown],
        total_row=[total.get(topic.id, 0) for topic in topics],
        page=rows,
    )


def meetings_counted(session: Session, *, topic: Topic, filters: TrendFilters) -> int:
    """How many meetings raised `topic` in the period and the chosen cities (all: the county),
    as the rollup counts them: the number a drill-down was opened from."""
    column = measure_column("meetings", confirmed_only=filters.confirmed_only)
    query = select(func.coalesce(func.sum(column), 0)).where(
        col(TopicMonthCount.topic_id) == topic.id,
        *_in_period(filters),
        *_cities_in(filters.city_ids or None),
    )
    return int(session.exec(query).one())
