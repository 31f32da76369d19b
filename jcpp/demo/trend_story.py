"""The demo's trend story: what its minutes discuss so that the trends dashboard has one signal
of each kind to show (`jcpp.trends.signals`, default thresholds), on whatever day it is loaded.

- Rising: Crystal starts discussing license plate readers (surveillance technology) at every
  meeting of the signals' period, never before.
- Spreading: hate and bias incidents, not discussed in Hopkins, Minnetonka and New Hope for the
  year before the period, come up there one month after another within it.
- Persisting: Richfield discusses traffic safety at each of its latest six meetings.

Each of these cities keeps its meetings and minutes through the months the signals read (no
cancellation, no missing minutes), so the numbers come out the same on any day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from jcpp.trends import stats
from jcpp.trends.signal_types import Window
from jcpp.trends.signals import BASELINE_MONTHS, PERIOD_MONTHS

RISING_CITY, RISING_TOPIC = "crystal", "surveillance-tech"
SPREADING_CITIES = ("hopkins", "minnetonka", "new-hope")
SPREADING_TOPIC = "hate-bias-incidents"
PERSISTING_CITY, PERSISTING_TOPIC = "richfield", "traffic-safety"
PERSISTING_MEETINGS = 6

Steer = tuple[tuple[str, ...], frozenset[str]]  # (topics to discuss, topics not to discuss)


@dataclass(frozen=True)
class TrendStory:
    baseline_first: dt.date  # the first month the signals read
    period_first: dt.date  # the first month of the signals' period

    @classmethod
    def for_today(cls, today: dt.date, zone: ZoneInfo) -> TrendStory:
        window = Window.ending(today, period=PERIOD_MONTHS, baseline=BASELINE_MONTHS, zone=zone)
        return cls(baseline_first=window.baseline_first, period_first=window.period_first)

    @property
    def cities(self) -> frozenset[str]:
        """The cities whose meetings tell the story."""
        return frozenset({RISING_CITY, *SPREADING_CITIES, PERSISTING_CITY})

    def steer(self, city: str, month: dt.date, *, from_latest: int) -> Steer:
        """What the minutes of `city`'s meeting in `month` discuss or leave out; `from_latest`
        counts the committee's meetings with minutes back from the latest (0)."""
        include: list[str] = []
        exclude: set[str] = set()
        in_period = month >= self.period_first
        if city == RISING_CITY:
            (include.append if in_period else exclude.add)(RISING_TOPIC)
        if city in SPREADING_CITIES:
            turn = stats.add_months(self.period_first, SPREADING_CITIES.index(city))
            if not in_period:
                exclude.add(SPREADING_TOPIC)
            elif month == turn:
                include.append(SPREADING_TOPIC)
        if city == PERSISTING_CITY and from_latest < PERSISTING_MEETINGS:
            include.append(PERSISTING_TOPIC)
        return tuple(include), frozenset(exclude)
