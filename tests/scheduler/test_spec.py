"""Schedules and period keys: the county's day and week, slots named alike by every try."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.spec import county_day, daily, every, hourly, iso_week, time_slot, weekly


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_the_day_and_week_are_the_countys() -> None:
    # 11:30 pm on Sunday Jan 3, 2027 in the county is Monday in UTC.
    late_sunday = utc(2027, 1, 4, 5, 30)
    assert county_day(late_sunday) == "2027-01-03"
    assert iso_week(late_sunday) == "2026-W53"
    assert iso_week(utc(2027, 1, 4, 18, 0)) == "2027-W01"


def test_a_slot_is_named_by_its_start_whenever_it_is_tried() -> None:
    five_minutes = time_slot(300)
    assert five_minutes(utc(2026, 11, 1, 6, 40, 1)) == "2026-11-01T06:40Z"
    assert five_minutes(utc(2026, 11, 1, 6, 44, 59)) == "2026-11-01T06:40Z"
    # The hour repeated when summer time ends (1 am CDT, then 1 am CST) is two periods.
    assert time_slot(3600)(utc(2026, 11, 1, 6, 30)) != time_slot(3600)(utc(2026, 11, 1, 7, 30))
    assert time_slot(2)(utc(2026, 11, 1, 6, 0, 3)) == "2026-11-01T06:00:02Z"


def test_schedules_say_when_they_try() -> None:
    assert daily(at=6).cron == {"hour": "6-23", "minute": "0"}
    assert weekly(day="mon", at=7).cron == {"day_of_week": "mon-sun", "hour": "7-23", "minute": "0"}
    assert hourly(minute=5).cron == {"minute": "5"}
    assert every(minutes=15).cron == {"minute": "*/15"}
    assert every(seconds=10).description == "every 10 seconds"
    assert weekly().period is iso_week and daily().period is county_day


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: every(minutes=7), "must divide 60"),
        (lambda: every(), "either minutes or seconds"),
        (lambda: daily(at=24), "at must be from 0 to 23"),
        (lambda: weekly(day="monday"), "day must be one of"),
    ],
)
def test_impossible_schedules_are_refused(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        make()
