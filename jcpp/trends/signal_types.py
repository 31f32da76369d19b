"""What `jcpp.trends.signals.find_signals` returns, and the window of months it reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from jcpp.trends import stats
from jcpp.trends.rollup import month_bounds


@dataclass(frozen=True)
class Drill:
    """Where the evidence of a signal is: a topic (or a keyword) in cities, a committee, months."""

    topic_id: int | None
    city_ids: tuple[int, ...]
    first_month: dt.date
    last_month: dt.date
    committee_id: int | None = None
    term: str | None = None


@dataclass(frozen=True)
class Signal:
    """One signal: `kind` is rising, spreading, persisting or new_term; `title` names it,
    `explanation` gives its numbers in plain words; `numbers` the same numbers for tables."""

    kind: str
    title: str
    explanation: str
    drill: Drill
    topic_name: str | None
    place: str  # the city, committee or cities it is about ("county-wide" for new terms)
    numbers: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Signals:
    period_first: dt.date
    period_last: dt.date
    rising: list[Signal]
    spreading: list[Signal]
    persisting: list[Signal]
    new_terms: list[Signal]

    def all(self) -> list[Signal]:
        return [*self.rising, *self.spreading, *self.persisting, *self.new_terms]


@dataclass(frozen=True)
class Window:
    """The months read: the baseline, then the period (which ends with today's month)."""

    baseline_first: dt.date
    period_first: dt.date
    period_last: dt.date
    zone: ZoneInfo

    @classmethod
    def ending(cls, today: dt.date, *, period: int, baseline: int, zone: ZoneInfo) -> Window:
        last = today.replace(day=1)
        first = stats.add_months(last, 1 - period)
        return cls(stats.add_months(first, -baseline), first, last, zone)

    @property
    def period(self) -> str:
        return stats.month_span(self.period_first, self.period_last)

    @property
    def baseline_months(self) -> int:
        first, last = self.baseline_first, self.period_first
        return (last.year - first.year) * 12 + last.month - first.month

    def start(self, month: dt.date) -> dt.datetime:
        return month_bounds(month, self.zone)[0]

    def end(self) -> dt.datetime:
        return month_bounds(self.period_last, self.zone)[1]


@dataclass
class Held:
    """Held meetings with analysed minutes per city: (in the baseline, in the period)."""

    per_city: dict[int, tuple[int, int]]

    def of(self, city_id: int) -> tuple[int, int]:
        return self.per_city.get(city_id, (0, 0))

    def county(self) -> tuple[int, int]:
        values = self.per_city.values()
        return sum(b for b, _r in values), sum(r for _b, r in values)


@dataclass
class Names:
    topics: dict[int, str]
    cities: dict[int, str]
