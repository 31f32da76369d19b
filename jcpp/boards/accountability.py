"""Department accountability: for each city's police department, how it answers what its
committees raise. For county staff (and admins), across every city.

The figures, per city (a follow-up belongs to the city of its meeting's committee):
- open: follow-ups whose work is outstanding (open, acknowledged, in progress);
- overdue: of those, the ones whose due date is before today (county calendar date);
- median days to close: over the verified-done follow-ups, the median of the time from
  creation to verification (`closed_at`), in days; none when nothing was verified;
- share verified: verified done / (verified done + reported done), the part of the work the
  department says it finished that someone has checked; none when both are 0;
- concerns raised again: per recurring concern, its confirmed concerns raised at this city's
  meetings beyond the first, summed (a concern raised three times here counts 2).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from jcpp.boards.service import OUTSTANDING_STATUSES, overdue_condition
from jcpp.models import City, Committee, Concern, FollowUp, Meeting, RecurringConcernMember

__all__ = ["SORT_COLUMNS", "CityAccountability", "department_accountability"]

SECONDS_PER_DAY = 24 * 60 * 60


@dataclass(frozen=True)
class CityAccountability:
    city: City
    open: int = 0
    overdue: int = 0
    median_days_to_close: float | None = None
    verified: int = 0
    reported_done: int = 0
    raised_again: int = 0

    @property
    def share_verified(self) -> float | None:
        """Verified / (verified + reported done), from 0 to 1; None when both are 0."""
        checked = self.verified + self.reported_done
        return self.verified / checked if checked else None


# Column name (as in the URL) → the value it sorts by. None (no figure) sorts last either way.
SORT_COLUMNS: dict[str, Callable[[CityAccountability], Any]] = {
    "city": lambda row: row.city.name.casefold(),
    "open": lambda row: row.open,
    "overdue": lambda row: row.overdue,
    "median": lambda row: row.median_days_to_close,
    "share": lambda row: row.share_verified,
    "again": lambda row: row.raised_again,
}


def department_accountability(
    session: Session, *, today: dt.date, sort: str = "city", descending: bool = False
) -> list[CityAccountability]:
    """One row per city (cities without follow-ups too, with zeros), sorted by `sort` (a key
    of SORT_COLUMNS); ties and cities without the figure go by city name."""
    counts = _status_counts(session, today)
    medians = _median_days_to_close(session)
    again = _concerns_raised_again(session)
    cities = session.exec(select(City)).all()
    rows = [
        CityAccountability(
            city=city,
            **counts.get(city.id or 0, {}),
            median_days_to_close=medians.get(city.id or 0),
            raised_again=again.get(city.id or 0, 0),
        )
        for city in cities
    ]
    return sort_rows(rows, sort=sort, descending=descending)


def sort_rows(
    rows: list[CityAccountability], *, sort: str, descending: bool
) -> list[CityAccountability]:
    key = SORT_COLUMNS.get(sort, SORT_COLUMNS["city"])
    by_name = sorted(rows, key=SORT_COLUMNS["city"])
    known = [row for row in by_name if key(row) is not None]
    unknown = [row for row in by_name if key(row) is None]
    # sorted() is stable: rows with the same figure stay in city-name order.
    return sorted(known, key=key, reverse=descending) + unknown


def _status_counts(session: Session, today: dt.date) -> dict[int, dict[str, int]]:
    """Per city: open, overdue, verified done and reported done follow-ups."""

    def per_city(query: Any) -> Any:
        return (
            query.select_from(FollowUp)
            .join(Meeting, col(Meeting.id) == FollowUp.meeting_id)
            .join(Committee, col(Committee.id) == Meeting.committee_id)
            .group_by(col(Committee.city_id))
        )

    by_status = session.exec(
        per_city(select(Committee.city_id, FollowUp.status, func.count())).group_by(
            col(FollowUp.status)
        )
    ).all()
    overdue = session.exec(
        per_city(select(Committee.city_id, func.count()).where(overdue_condition(today)))
    ).all()
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: {"open": 0, "overdue": 0, "verified": 0, "reported_done": 0}
    )
    for city_id, status, n in by_status:
        if status in OUTSTANDING_STATUSES:
            counts[city_id]["open"] += n
        elif status == "verified_done":
            counts[city_id]["verified"] = n
        elif status == "reported_done":
            counts[city_id]["reported_done"] = n
    for city_id, n in overdue:
        counts[city_id]["overdue"] = n
    return dict(counts)


def _median_days_to_close(session: Session) -> dict[int, float]:
    """Per city, the median of (verified at − created at) in days over verified follow-ups.
    Computed here rather than in SQL: SQLite has no median, and the rows are few."""
    rows = session.exec(
        select(Committee.city_id, FollowUp.created_at, FollowUp.closed_at)
        .select_from(FollowUp)
        .join(Meeting, col(Meeting.id) == FollowUp.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(col(FollowUp.status) == "verified_done", col(FollowUp.closed_at).is_not(None))
    ).all()
    days: dict[int, list[float]] = defaultdict(list)
    for city_id, created_at, closed_at in rows:
        assert closed_at is not None
        days[city_id].append((closed_at - created_at).total_seconds() / SECONDS_PER_DAY)
    return {city_id: statistics.median(values) for city_id, values in days.items()}


def _concerns_raised_again(session: Session) -> dict[int, int]:
    """Per city, the confirmed members of each recurring concern raised at its meetings,
    beyond the first one there."""
    rows = session.exec(
        select(Committee.city_id, RecurringConcernMember.recurring_id, func.count())
        .select_from(RecurringConcernMember)
        .join(Concern, col(Concern.id) == RecurringConcernMember.concern_id)
        .join(Meeting, col(Meeting.id) == Concern.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(col(RecurringConcernMember.state) == "confirmed")
        .group_by(col(Committee.city_id), col(RecurringConcernMember.recurring_id))
    ).all()
    again: dict[int, int] = defaultdict(int)
    for city_id, _recurring_id, members in rows:
        again[city_id] += members - 1
    return dict(again)
