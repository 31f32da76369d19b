"""County time: the zone, today's date, the local date of a UTC moment, and local days as UTC
ranges. Times are stored in UTC and people think in county calendar days; convert here.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from jcpp.config import get_settings
from jcpp.models.base import utcnow


def zone() -> ZoneInfo:
    """The county's time zone (Settings.time_zone)."""
    return get_settings().zone


def now() -> dt.datetime:
    """The current moment, in UTC."""
    return utcnow()


def local_date(moment: dt.datetime, in_zone: ZoneInfo | None = None) -> dt.date:
    """The county calendar date of a UTC moment."""
    return moment.astimezone(in_zone or zone()).date()


def today(at: dt.datetime | None = None) -> dt.date:
    """Today's county calendar date (or the date of `at`)."""
    return local_date(at or utcnow())


def day_start(day: dt.date, in_zone: ZoneInfo | None = None) -> dt.datetime:
    """The UTC moment the county day `day` begins (local midnight)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=in_zone or zone()).astimezone(dt.UTC)


def day_bounds(
    first: dt.date | None, last: dt.date | None, in_zone: ZoneInfo | None = None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """UTC bounds [start, end) covering the county days `first` to `last`, both included.

    Either day may be None (no bound on that side). The end is the start of the day after `last`,
    so a day of 23 or 25 hours (a DST change) is covered exactly.
    """
    start = day_start(first, in_zone) if first is not None else None
    end = day_start(last + dt.timedelta(days=1), in_zone) if last is not None else None
    return start, end


def days_between(earlier: dt.datetime, later: dt.datetime) -> int:
    """Calendar days from the county date of `earlier` to that of `later` (0 on the same day)."""
    return (local_date(later) - local_date(earlier)).days
