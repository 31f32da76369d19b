"""Reading served calendars back with icalendar, and a county clock for the feeds' window."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from jcpp import clock

CHICAGO = ZoneInfo("America/Chicago")
# The app's clock in these tests: noon on Monday, March 2, 2026 in the county.
TODAY = dt.date(2026, 3, 2)
NOON_TODAY = dt.datetime(2026, 3, 2, 12, tzinfo=CHICAGO).astimezone(dt.UTC)


@pytest.fixture
def county_clock(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setattr(clock, "utcnow", lambda: NOON_TODAY)
    assert clock.today() == TODAY
    return TODAY


def parse(response: Any) -> Calendar:
    """The calendar a response served: 200, text/calendar, and parsed by icalendar."""
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert isinstance(calendar, Calendar)
    return calendar


def events_by_uid(calendar: Calendar) -> dict[str, Event]:
    events = calendar.events
    uids = [str(event["UID"]) for event in events]
    assert len(uids) == len(set(uids)), "a UID twice in one calendar"
    return dict(zip(uids, events, strict=True))


def local_meeting_start(day: dt.date, hour: int = 18, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CHICAGO).astimezone(dt.UTC)
