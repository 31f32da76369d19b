"""Signals stored ahead (`jcpp.trends.snapshots`): the dashboard reads them until the data they
were found from changes, and never shows another city's signal to a liaison."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.admin.service import create_city, rename_city
from jcpp.auth.permissions import load_viewer
from jcpp.models import SignalSnapshot, Topic
from jcpp.trends import data_version, rollup, signals, snapshots
from tests.trends.dashboard_data import CHICAGO, analysed, fixed_clock
from tests.trends.test_dashboard_signals import DAYS, persisting, raised_again, signal_items
from tests.web import WebClient, soup

__all__ = ["fixed_clock"]


@pytest.fixture
def finds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[frozenset[int] | None]]:
    """The cities of each call of `find_signals` (the real one) made from here on."""
    calls: list[frozenset[int] | None] = []
    real = signals.find_signals

    def counted(session: Session, **kwargs: object) -> signals.Signals:
        calls.append(kwargs["city_ids"])  # type: ignore[arg-type]
        return real(session, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(signals, "find_signals", counted)
    yield calls


def titles(client: WebClient) -> list[str]:
    return [item.select_one(".signal__title").get_text() for item in signal_items(client)]


def test_stored_signals_are_read_until_a_write_changes_them(
    client: WebClient, session: Session, fixed_clock: dt.date, finds: list[object]
) -> None:
    world = persisting(session)
    world.sign_in(client, "county_staff")
    run = f"Traffic safety raised at {len(DAYS)} meetings in a row: Richfield MAC"
    assert run in titles(client)
    assert len(finds) == 1
    assert run in titles(client)
    assert len(finds) == 1, "the second view reads the stored signals"

    # Minutes of one more meeting raising it: the next view shows the longer run.
    raised_again(session, world)
    longer = f"Traffic safety raised at {len(DAYS) + 1} meetings in a row: Richfield MAC"
    shown = titles(client)
    assert longer in shown and run not in shown
    assert len(finds) == 2


def test_a_topic_rename_and_a_committee_rename_show_at_once(
    client: WebClient, session: Session, fixed_clock: dt.date
) -> None:
    world = persisting(session)
    world.sign_in(client, "county_staff")
    assert any(title.startswith("Traffic safety raised") for title in titles(client))
    topic = session.exec(select(Topic).where(Topic.slug == "traffic-safety")).one()
    topic.name = "Road safety"
    session.add(topic)
    session.commit()
    shown = titles(client)
    assert any(title.startswith("Road safety raised") for title in shown)
    assert not any(title.startswith("Traffic safety") for title in shown)
    world.committee.name = "Richfield Safety Commission"
    session.add(world.committee)
    session.commit()
    assert any(title.endswith(": Richfield Safety Commission") for title in titles(client))


def scope_now(city_ids: frozenset[int] | None) -> snapshots.Scope:
    return snapshots.scope_of(
        city_ids=city_ids, topic_ids=None, confirmed_only=False, today=clock.today()
    )


def test_the_generation_changes_with_names_new_cities_and_a_rebuild(
    session: Session, fixed_clock: dt.date
) -> None:
    world = persisting(session)
    before = snapshots.generation(session)
    assert snapshots.generation(session) == before
    admin = load_viewer(session, world.users["admin"])
    rename_city(session, world.city.id or 0, name=f"{world.city.name} Falls", by=admin)
    session.commit()
    renamed = snapshots.generation(session)
    assert renamed != before
    create_city(session, name="New Hope", slug="new-hope", by=admin)
    session.commit()
    assert snapshots.generation(session) != renamed
    # A rename that is rolled back leaves the data version as it was.
    added = snapshots.generation(session)
    rename_city(session, world.other_city.id or 0, name="Nowhere", by=admin)
    session.rollback()
    assert snapshots.generation(session) == added
    # Every rebuild is a new data version (a random one: never one handed out before).
    version = data_version.current(session)
    rollup.rebuild(session)
    assert data_version.current(session) not in (version, "none")


def test_the_month_rolling_over_starts_new_signals(
    client: WebClient, session: Session, fixed_clock: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = persisting(session)
    world.sign_in(client, "county_staff")
    heading = soup(client.get("/trends")).select_one("#signals-h").get_text()
    assert heading == "Signals, Dec 2042 – Mar 2043"
    april = dt.datetime(2043, 4, 2, 12, tzinfo=CHICAGO).astimezone(dt.UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: april)
    heading = soup(client.get("/trends")).select_one("#signals-h").get_text()
    assert heading == "Signals, Jan 2043 – Apr 2043"


def stored_row(session: Session, scope: snapshots.Scope) -> SignalSnapshot:
    return session.exec(select(SignalSnapshot).where(SignalSnapshot.scope_key == scope.key)).one()


def test_a_liaison_never_gets_signals_stored_for_other_cities(
    client: WebClient, session: Session, fixed_clock: dt.date, finds: list[object]
) -> None:
    world = persisting(session)
    world.sign_in(client, "county_staff")
    assert any("Youth" in title for title in titles(client))
    county = stored_row(session, scope_now(None))
    world.sign_in(client, "liaison")
    assert not any("Youth" in title for title in titles(client))
    assert finds == [None, frozenset({world.city.id})], "her own cities' signals, found apart"

    # Were her row ever to hold the county's signals (of the data now), they are not shown.
    hers = stored_row(session, scope_now(frozenset({world.city.id or 0})))
    hers.payload = county.payload
    session.add(hers)
    session.commit()
    shown = titles(client)
    assert shown and not any("Youth" in title for title in shown)
    # Nor a signal naming another city, even in a row stored for her cities.
    data = json.loads(county.payload)
    data["scope"] = scope_now(frozenset({world.city.id or 0})).as_json()
    hers.payload = json.dumps(data)
    session.add(hers)
    session.commit()
    shown = titles(client)
    assert shown and not any("Youth" in title for title in shown)


def test_the_job_s_refresh_finds_only_what_is_out_of_date_and_prune_drops_old_months(
    session: Session, fixed_clock: dt.date, finds: list[object]
) -> None:
    world = persisting(session)
    scopes = [scope_now(None), scope_now(frozenset({world.city.id or 0}))]
    today = clock.today()
    assert snapshots.refresh(session, scopes, today=today) == 2
    assert snapshots.refresh(session, scopes, today=today) == 0
    analysed(session, world.committee.id or 0, dt.date(2043, 3, 9), "Residents reported speeding.",
             {"traffic-safety": ["speeding"]})  # fmt: skip
    assert snapshots.refresh(session, scopes, today=today) == 2
    kept = snapshots.prune(session, today=today, older_than=dt.timedelta(days=1))
    assert kept == 0
    keys = [scope.key for scope in scopes]
    assert session.exec(
        select(SignalSnapshot.scope_key).where(col(SignalSnapshot.scope_key).in_(keys))
    ).all()
    next_month = dt.date(2043, 4, 1)
    assert snapshots.prune(session, today=next_month, older_than=dt.timedelta(days=1)) >= 2
    assert not session.exec(
        select(SignalSnapshot.scope_key).where(col(SignalSnapshot.scope_key).in_(keys))
    ).all()
    assert data_version.current(session) != "none", "the data version is never pruned"
