"""Sums over the trend counts kept between requests (`jcpp.trends.count_cache`): read again only
when the data changed, so the dashboard never shows a number older than the data."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.models import SignalSnapshot, Topic
from jcpp.trends import data_version, service, snapshots
from jcpp.trends.service import TrendFilters
from tests.trends.dashboard_data import Trends, analysed, fixed_clock, trends

__all__ = ["fixed_clock", "trends"]

PERIOD = TrendFilters(first=dt.date(2043, 1, 1), last=dt.date(2043, 3, 1))


def kept(session: Session) -> list[SignalSnapshot]:
    session.expire_all()  # the rows are written by an upsert, not through the session
    rows = session.exec(
        select(SignalSnapshot).where(col(SignalSnapshot.scope_key).startswith("counts:"))
    ).all()
    return list(rows)


def traffic(session: Session, filters: TrendFilters = PERIOD) -> list[int]:
    topic = session.exec(select(Topic).where(Topic.slug == "traffic-safety")).one()
    grid = service.topic_month_grid(session, filters=filters, topics=[topic])
    return grid.values[0]


def test_kept_counts_are_given_back_until_the_data_changes(
    session: Session, trends: Trends
) -> None:
    first = traffic(session)
    assert first == [2, 1, 0]  # Richfield and Crystal in January, Richfield in February
    (row,) = kept(session)
    assert row.generation == data_version.current(session)
    # The second view reads the kept rows, not the counts: what is kept is what it shows.
    stored = json.loads(row.payload)
    stored["rows"] = [[t, month, n + 40] for t, month, n in stored["rows"]]
    row.payload = json.dumps(stored)
    session.add(row)
    session.commit()
    assert traffic(session) == [42, 41, 0]

    # Minutes raising it in March: a new data version, so the next view counts again.
    analysed(
        session,
        trends.world.committee.id or 0,
        dt.date(2043, 3, 3),
        "Residents again reported speeding on Elm Street.",
        {"traffic-safety": ["speeding"]},
    )
    assert traffic(session) == [2, 1, 1]
    (row,) = kept(session)
    assert row.generation == data_version.current(session)


def test_each_query_is_kept_under_its_own_key(session: Session, trends: Trends) -> None:
    county = traffic(session)
    every_city = service.city_choices(session, scope=service.TrendScope(city_ids=None))
    mine = TrendFilters(
        first=PERIOD.first,
        last=PERIOD.last,
        cities=tuple(c for c in every_city if c.slug == trends.richfield),
    )
    assert traffic(session, mine) == [1, 1, 0]
    assert traffic(session, TrendFilters(first=PERIOD.first, last=PERIOD.first)) == [2]
    assert len(kept(session)) == 3
    assert traffic(session) == county


def test_kept_counts_go_with_the_other_snapshots_when_nobody_reads_them(
    session: Session, trends: Trends, fixed_clock: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    traffic(session)
    keep = dt.timedelta(days=2)
    assert snapshots.prune(session, today=fixed_clock, older_than=keep) == 0
    assert len(kept(session)) == 1
    later = clock.now() + dt.timedelta(days=3)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    assert snapshots.prune(session, today=fixed_clock, older_than=keep) >= 1
    assert kept(session) == []
