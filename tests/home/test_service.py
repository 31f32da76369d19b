from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from jcpp.auth.permissions import load_viewer
from jcpp.home import service
from jcpp.models import City
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
