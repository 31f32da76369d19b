"""The dashboard's filters as they appear in the URL, and the links that keep them.

?from=2025-12&to=2026-11   the period, as months (default: the twelve months up to this one);
                           ?month=2026-03 is the same as from=to=2026-03
?city=<slug>&city=<slug>   cities (none: the county total)
?topic=<slug>&topic=…      topics (none: every topic of the list)
?confirmed=1               only what a person confirmed
?measure=meetings|mentions|concerns
?format=csv|json           the view's numbers as a file

On the dashboard, values that cannot be meant (a hand-edited URL, a city not the viewer's) are
left out with a note, so a shared link always opens; a drill-down into a city that is not the
viewer's is refused (404) instead.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote_plus, urlencode

from starlette.datastructures import QueryParams

from jcpp.models import Topic
from jcpp.trends.service import (
    MEASURES,
    CityRef,
    Grid,
    TrendFilters,
    add_months,
    first_of_month,
    month_key,
)

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
LONGEST = 120  # months in one view
FORMATS = ("csv", "json")


def parse_month(value: str) -> dt.date | None:
    """ "2026-03" as its first day; None when it is not a month."""
    match = MONTH.match(value.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
        return None
    return dt.date(int(match[1]), int(match[2]), 1)


def _texts(params: QueryParams, name: str) -> list[str]:
    return [value.strip()[:120] for value in params.getlist(name) if value.strip()][:900]


@dataclass
class TrendQuery:
    """The filters as typed; `resolve` turns them into `TrendFilters`."""

    start: str = ""
    end: str = ""
    cities: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    confirmed: bool = False
    measure: str = "meetings"
    format: str = ""
    page: int = 1

    @classmethod
    def from_params(cls, params: QueryParams) -> TrendQuery:
        month = params.get("month", "").strip()[:20]
        page = params.get("page", "1").strip()
        return cls(
            start=month or params.get("from", "").strip()[:20],
            end=month or params.get("to", "").strip()[:20],
            cities=_texts(params, "city"),
            topics=_texts(params, "topic"),
            confirmed=params.get("confirmed", "") in ("1", "on", "true"),
            measure=params.get("measure", "meetings"),
            format=params.get("format", ""),
            page=int(page) if page.isdigit() and len(page) < 6 else 1,
        )

    def period(self, today: dt.date) -> tuple[dt.date, dt.date, list[str]]:
        """(first month, last month, notes): the twelve months up to `today`'s by default."""
        notes = []
        last = parse_month(self.end) if self.end else None
        first = parse_month(self.start) if self.start else None
        if self.end and last is None:
            notes.append(f"“{self.end}” is not a month (YYYY-MM): the period ends this month.")
        if self.start and first is None:
            notes.append(f"“{self.start}” is not a month (YYYY-MM): the period is 12 months.")
        last = last or first_of_month(today)
        first = first or add_months(last, -11)
        if first > last:
            first, last = last, first
        if add_months(first, LONGEST - 1) < last:
            first = add_months(last, -(LONGEST - 1))
            notes.append(f"A view covers at most {LONGEST} months: showing the last {LONGEST}.")
        return first, last, notes

    def resolve(
        self,
        *,
        today: dt.date,
        cities: Sequence[CityRef],
        topics: Sequence[Topic],
        strict: bool = False,
    ) -> tuple[TrendFilters, list[str]]:
        """The filters among `cities` and `topics` (the viewer's choices), and notes on what
        was left out. `strict`: a city that is not among them raises LookupError."""
        first, last, notes = self.period(today)
        by_slug = {city.slug: city for city in cities}
        unknown = [slug for slug in self.cities if slug not in by_slug]
        if unknown and strict:
            raise LookupError(unknown[0])
        if unknown:
            notes.append("Left out cities that are not yours to see or do not exist.")
        by_topic = {topic.slug: topic for topic in topics}
        if any(slug not in by_topic for slug in self.topics):
            notes.append("Left out topics that are not on the topic list.")
        filters = TrendFilters(
            first=first,
            last=last,
            cities=tuple(by_slug[s] for s in dict.fromkeys(self.cities) if s in by_slug),
            topics=tuple(by_topic[s] for s in dict.fromkeys(self.topics) if s in by_topic),
            confirmed_only=self.confirmed,
            measure=self.measure if self.measure in MEASURES else "meetings",
        )
        return filters, notes

    @property
    def export(self) -> str | None:
        return self.format if self.format in FORMATS else None


def filter_params(filters: TrendFilters) -> list[tuple[str, str]]:
    """The filters as query parameters, in a stable order (for links, exports, history)."""
    params = [("from", month_key(filters.first)), ("to", month_key(filters.last))]
    params += [("city", city.slug) for city in filters.cities]
    params += [("topic", topic.slug) for topic in filters.topics]
    if filters.confirmed_only:
        params.append(("confirmed", "1"))
    if filters.measure != "meetings":
        params.append(("measure", filters.measure))
    return params


def with_params(path: str, params: Sequence[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


@dataclass(frozen=True)
class Links:
    """URLs of the dashboard's views and drill-downs, keeping the filters."""

    filters: TrendFilters

    def view(self, path: str, **extra: str) -> str:
        return with_params(path, [*filter_params(self.filters), *extra.items()])

    def topic(self, slug: str, **extra: str) -> str:
        return with_params(f"/trends/topics/{slug}", [*self._without_topics(), *extra.items()])

    @cached_property
    def _evidence_tails(self) -> dict[tuple[bool, bool], str]:
        """The filters of a drill-down link after its topic, city and month, encoded once per
        view (a state-scale matrix has a thousand links): by (the view's cities kept, the
        view's months kept)."""
        tails = {}
        for keep_cities in (True, False):
            for keep_months in (True, False):
                params = [
                    (k, v)
                    for k, v in filter_params(self.filters)
                    if k != "topic"
                    and (keep_cities or k != "city")
                    and (keep_months or k not in ("from", "to"))
                ]
                tails[(keep_cities, keep_months)] = urlencode(params)
        return tails

    def evidence(
        self, topic: str, *, city: str | None = None, month: str | None = None, county: bool = False
    ) -> str:
        """The drill-down of one topic: in one city (else the view's cities, or the county with
        `county`) and one month (else the view's period)."""
        parts = [f"topic={quote_plus(topic)}"]
        if city is not None:
            parts.append(f"city={quote_plus(city)}")
        if month is not None:
            parts.append(f"month={quote_plus(month)}")
        tail = self._evidence_tails[(city is None and not county, month is None)]
        if tail:
            parts.append(tail)
        return "/trends/evidence?" + "&".join(parts)

    def topic_month_cells(self, grid: Grid) -> list[list[str]]:
        """Heatmap cells: a topic (row) in a month (column), in the view's cities."""
        return [[self.evidence(r.key, month=c.key) for c in grid.columns] for r in grid.rows]

    def city_topic_cells(self, grid: Grid) -> list[list[str]]:
        """Matrix cells: a city (row) on a topic (column) over the period."""
        return [[self.evidence(c.key, city=r.key) for c in grid.columns] for r in grid.rows]

    def city_month_cells(self, grid: Grid, *, topic: str) -> list[list[str]]:
        """Small multiples: a city (row) in a month (column) on `topic`."""
        return [
            [self.evidence(topic, city=r.key, month=c.key) for c in grid.columns] for r in grid.rows
        ]

    def total_month_cells(self, grid: Grid, topic: str) -> list[str]:
        return [self.evidence(topic, month=c.key, county=True) for c in grid.columns]

    def total_topic_cells(self, grid: Grid) -> list[str]:
        return [self.evidence(c.key, county=True) for c in grid.columns]

    def _without_topics(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in filter_params(self.filters) if k != "topic"]
