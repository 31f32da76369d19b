from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from jcpp.auth.permissions import load_viewer
from jcpp.home import service
from jcpp.models import City
from tests.committees.helpers import statements_run
from tests.factories import (
    create_city,
    create_committee,
    create_meeting,
    create_minutes,
    create_user,
)

NOW = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)


def days(n: int) -> dt.datetime:
    return NOW + dt.timedelta(days=n)


def test_missing_minutes_are_past_meetings_not_cancelled_without_a_revision(
    session: Session,
) -> None:
    committee = create_committee(session)
    city = session.get(City, committee.city_id)
    liaison = load_viewer(session, create_user(session, role="liaison", cities=[city]))
    missing = create_meeting(session, committee=committee, start_at=days(-10), status="held")
    with_minutes = create_meeting(session, committee=committee, start_at=days(-40), status="held")
    create_minutes(session, meeting=with_minutes, texts=["Minutes."])
    create_meeting(session, committee=committee, start_at=days(-20), status="cancelled")
    create_meeting(session, committee=committee, start_at=days(5))

    rows = service.meetings_missing_minutes(session, viewer=liaison, now=NOW)

    assert [row.meeting.id for row in rows] == [missing.id]
    assert service.summary(session, viewer=liaison, now=NOW).missing_minutes == 1


def test_summary_counts_only_what_the_viewer_may_see(session: Session) -> None:
    mine, theirs = create_committee(session), create_committee(session)
    member = load_viewer(session, create_user(session, role="member", committees=[mine]))
    create_meeting(session, committee=mine, start_at=days(3))
    create_meeting(session, committee=mine, start_at=days(45))  # beyond 30 days
    create_meeting(session, committee=theirs, start_at=days(4))

    summary = service.summary(session, viewer=member, now=NOW)

    assert (summary.upcoming_30_days, summary.committees) == (1, 1)


def test_city_overview_flags_cities_without_a_meeting_in_35_days(session: Session) -> None:
    on_time = create_committee(session, city=create_city(session, name="Aaa On Time"))
    late = create_committee(session, city=create_city(session, name="Aab Late"))
    never = create_committee(session, city=create_city(session, name="Aac Never"))
    create_meeting(session, committee=on_time, start_at=days(-30), status="held")
    create_meeting(session, committee=late, start_at=days(-36), status="held")
    create_meeting(session, committee=never, start_at=days(-5), status="cancelled")

    rows = {row.city.name: row for row in service.city_overview(session, now=NOW)}

    assert rows["Aaa On Time"].days_since_held == 30 and not rows["Aaa On Time"].behind
    assert rows["Aab Late"].days_since_held == 36 and rows["Aab Late"].behind
    assert rows["Aac Never"].last_held is None and rows["Aac Never"].behind


def test_days_since_held_counts_county_calendar_days(session: Session) -> None:
    # NOW is 7 am in Chicago; a meeting at 6:30 pm Chicago time yesterday was 12.5 hours ago.
    committee = create_committee(session, city=create_city(session, name="Aad Yesterday"))
    yesterday_evening = dt.datetime(2026, 6, 14, 23, 30, tzinfo=dt.UTC)
    create_meeting(session, committee=committee, start_at=yesterday_evening, status="held")
    late = create_committee(session, city=create_city(session, name="Aae Thirty-six"))
    # 35 days and 12.5 hours ago, but 36 calendar days in the county: behind the promise.
    create_meeting(
        session,
        committee=late,
        start_at=yesterday_evening - dt.timedelta(days=35),
        status="held",
    )

    rows = {row.city.name: row for row in service.city_overview(session, now=NOW)}

    assert rows["Aad Yesterday"].days_since_held == 1
    assert rows["Aae Thirty-six"].days_since_held == 36 and rows["Aae Thirty-six"].behind


def test_a_meeting_misses_minutes_only_once_it_is_over(session: Session) -> None:
    committee = create_committee(session)
    city = session.get_one(City, committee.city_id)
    liaison = load_viewer(session, create_user(session, role="liaison", cities=[city]))
    in_progress = create_meeting(
        session,
        committee=committee,
        start_at=NOW - dt.timedelta(minutes=30),
        end_at=NOW + dt.timedelta(hours=1),
    )
    over = create_meeting(
        session,
        committee=committee,
        start_at=NOW - dt.timedelta(hours=3),
        end_at=NOW - dt.timedelta(hours=1),
    )
    no_end_today = create_meeting(
        session, committee=committee, start_at=NOW - dt.timedelta(hours=5), end_at=None
    )
    no_end_two_days_ago = create_meeting(
        session, committee=committee, start_at=NOW - dt.timedelta(days=2), end_at=None
    )

    ids = {
        row.meeting.id for row in service.meetings_missing_minutes(session, viewer=liaison, now=NOW)
    }

    assert over.id in ids and no_end_two_days_ago.id in ids
    assert in_progress.id not in ids and no_end_today.id not in ids
    assert service.summary(session, viewer=liaison, now=NOW).missing_minutes == 2


def test_city_overview_sums_committees_of_a_city(session: Session) -> None:
    city = create_city(session, name="Aaf Two Committees")
    first, second = create_committee(session, city=city), create_committee(session, city=city)
    older = create_meeting(session, committee=first, start_at=days(-20), status="held")
    newer = create_meeting(session, committee=second, start_at=days(-6), status="held")
    create_meeting(session, committee=first, start_at=days(-3), status="cancelled")
    later = create_meeting(session, committee=first, start_at=days(20))
    sooner = create_meeting(session, committee=second, start_at=days(9))

    row = {r.city.name: r for r in service.city_overview(session, now=NOW)}[city.name]

    assert row.last_held is not None and row.last_held.id == newer.id != older.id
    assert row.next_scheduled is not None and row.next_scheduled.id == sooner.id != later.id
    assert row.missing_minutes == 2


def test_city_overview_runs_the_same_queries_for_any_number_of_cities(session: Session) -> None:
    def statements() -> int:
        with statements_run(session) as seen:
            service.city_overview(session, now=NOW)
        return len(seen)

    for n in range(2):
        committee = create_committee(session, city=create_city(session, name=f"Aag City {n}"))
        create_meeting(session, committee=committee, start_at=days(-3), status="held")
    few = statements()
    for n in range(2, 8):
        committee = create_committee(session, city=create_city(session, name=f"Aag City {n}"))
        create_meeting(session, committee=committee, start_at=days(-3), status="held")
        create_meeting(session, committee=committee, start_at=days(3))
    assert statements() == few
