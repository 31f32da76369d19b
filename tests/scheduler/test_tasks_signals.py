"""The refresh-signals job: the county's and each liaison's and member's signals found again
when the data changed, so that the dashboard reads them; old snapshots deleted."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from jcpp import clock
from jcpp.models import Committee, SignalSnapshot
from jcpp.trends import snapshots
from jcpp.trends.service import add_months
from scheduler.jobs import jobs_by_id
from scheduler.tasks.signals import refresh_signals, scopes_to_keep
from tests.analysis.helpers import load_topics, slug_id
from tests.factories import create_city, create_committee, create_user
from tests.scheduler.test_tasks_digest import monthly_meeting

PERIOD = "2026-11-24T16:00Z"


def raised_each_month(session: Session, committee: Committee, topic: int, months: int) -> None:
    for n in range(months):
        monthly_meeting(session, committee, add_months(dt.date(2026, 11, 1), -n), topic)
    session.commit()


def stored(session: Session, scope: snapshots.Scope) -> bool:
    return snapshots._stored(session, scope, snapshots.generation(session)) is not None


def test_the_job_keeps_the_county_s_and_each_viewer_s_signals_current(
    session: Session, at: list[dt.datetime]
) -> None:
    load_topics(session)
    youth = slug_id(session, "youth")
    city = create_city(session, name="Signalton")
    committee = create_committee(session, city=city)
    other = create_committee(session, city=create_city(session, name="Elsewhere Park"))
    create_user(session, role="liaison", name="Lee Liaison", cities=[city])
    create_user(session, role="member", name="Max Member", committees=[other])
    raised_each_month(session, committee, youth, 6)
    today = clock.today()
    scopes = scopes_to_keep(session, today)
    county = snapshots.scope_of(city_ids=None, topic_ids=None, confirmed_only=False, today=today)
    liaison = snapshots.scope_of(
        city_ids={city.id or 0}, topic_ids=None, confirmed_only=False, today=today
    )
    member = snapshots.scope_of(
        city_ids={other.city_id}, topic_ids=None, confirmed_only=False, today=today
    )
    assert {county, liaison, member} <= set(scopes)

    outcome = refresh_signals(session, now=at[0], period=PERIOD)
    assert outcome.startswith(f"signals found again for {len(scopes)} of {len(scopes)} scopes")
    assert all(stored(session, scope) for scope in scopes)
    read = snapshots.current_signals(session, city_ids={city.id or 0}, topic_ids=None,
                                     confirmed_only=False)  # fmt: skip
    assert not read.found_now
    assert any("Youth" in signal.title for signal in read.signals.persisting)
    assert refresh_signals(session, now=at[0], period=PERIOD).startswith(
        f"signals found again for 0 of {len(scopes)} scopes"
    )

    # A write: every scope is out of date until the next run; a run out of time leaves the
    # rest for the next one.
    monthly_meeting(session, other, dt.date(2026, 11, 1), youth)
    session.commit()
    assert not stored(session, county)
    outcome = refresh_signals(session, now=at[0], period=PERIOD, seconds=0)
    assert f"signals found again for 1 of {len(scopes)} scopes" in outcome
    assert f"{len(scopes) - 1} left for the next run" in outcome
    refresh_signals(session, now=at[0], period=PERIOD)
    assert all(stored(session, scope) for scope in scopes)


def test_snapshots_of_an_earlier_month_are_deleted(session: Session, at: list[dt.datetime]) -> None:
    october = snapshots.scope_of(
        city_ids=None, topic_ids=None, confirmed_only=False, today=dt.date(2026, 10, 30)
    )
    session.add(SignalSnapshot(scope_key=october.key, generation="g", payload="{}"))
    session.commit()
    outcome = refresh_signals(session, now=at[0], period=PERIOD)
    assert "old snapshot" in outcome and "; 0 old snapshots" not in outcome
    gone = session.exec(select(SignalSnapshot).where(SignalSnapshot.scope_key == october.key))
    assert gone.first() is None


def test_the_job_is_on_the_list() -> None:
    spec = jobs_by_id()["refresh-signals"]
    assert spec.run is refresh_signals
    assert spec.schedule.description == "every 2 minutes"
