"""What a job is: its id, what it does in words, when it is tried, how one period of its work is
named, and the function that does the work.

A job is *tried* on its schedule's trigger and *does its work* once per period: a daily job is
tried every hour from its hour on, and the first try that succeeds that county day does the
day's work; later tries that day find the day done and do nothing. So a failed run is tried
again at the next tick, and a scheduler that was down catches up as soon as it is back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Protocol

from sqlmodel import Session

from jcpp import clock

PeriodOf = Callable[[dt.datetime], str]


class JobFunction(Protocol):
    """The work of one period, in the session the runner commits; returns a one-line outcome
    ("3 reminders queued")."""

    def __call__(self, session: Session, *, now: dt.datetime, period: str) -> str: ...


@dataclass(frozen=True)
class Schedule:
    """When a job is tried (APScheduler cron fields, in the county's time zone) and the period
    its work is for (a key derived from the moment of the try)."""

    description: str
    cron: dict[str, str]
    period: PeriodOf


@dataclass(frozen=True)
class JobSpec:
    """One job of the list. `lease` must be longer than the job ever takes: a scheduler killed
    in the middle of the job holds it until it expires, and the job runs again after that."""

    id: str
    description: str
    schedule: Schedule
    run: JobFunction
    lease: dt.timedelta = field(default=dt.timedelta(minutes=30))


# ---------------------------------------------------------------- periods


def county_day(now: dt.datetime) -> str:
    """The county calendar day of `now`: 2026-11-26."""
    return clock.local_date(now).isoformat()


def iso_week(now: dt.datetime) -> str:
    """The ISO week of the county day of `now`: 2026-W48."""
    year, week, _ = clock.local_date(now).isocalendar()
    return f"{year}-W{week:02d}"


def time_slot(seconds: int) -> PeriodOf:
    """Slots of `seconds` counted from the epoch, named by their start in UTC (county time
    would name two slots alike in the hour repeated when summer time ends)."""

    def period(now: dt.datetime) -> str:
        start = int(now.timestamp()) // seconds * seconds
        moment = dt.datetime.fromtimestamp(start, dt.UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ" if seconds < 60 else "%Y-%m-%dT%H:%MZ")

    return period


# ---------------------------------------------------------------- schedules


def daily(*, at: int = 6) -> Schedule:
    """Once a county day, from `at` o'clock; tried each hour after that until it succeeds."""
    _check_range("at", at, 0, 23)
    return Schedule(
        description=f"daily from {at:02d}:00, tried again each hour until it succeeds",
        cron={"hour": f"{at}-23", "minute": "0"},
        period=county_day,
    )


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def weekly(*, day: str = "mon", at: int = 7) -> Schedule:
    """Once an ISO week, from `day` at `at` o'clock; tried each hour after that, to the end of
    the week, until it succeeds."""
    if day not in WEEKDAYS:
        raise ValueError(f"day must be one of {', '.join(WEEKDAYS)}, not {day!r}")
    _check_range("at", at, 0, 23)
    days = day if day == "sun" else f"{day}-sun"
    return Schedule(
        description=f"weekly from {day.capitalize()} {at:02d}:00, tried again each hour "
        "until it succeeds",
        cron={"day_of_week": days, "hour": f"{at}-23", "minute": "0"},
        period=iso_week,
    )


def hourly(*, minute: int = 0) -> Schedule:
    """Once an hour, at `minute` past."""
    _check_range("minute", minute, 0, 59)
    return Schedule(
        description=f"hourly at {minute:02d} past",
        cron={"minute": str(minute)},
        period=time_slot(3600),
    )


def every(*, minutes: int = 0, seconds: int = 0) -> Schedule:
    """Every few minutes or seconds (a number that divides 60, so slots start on the minute or
    the hour and every try of a slot names the same period)."""
    if bool(minutes) == bool(seconds):
        raise ValueError("give either minutes or seconds")
    amount, unit = (minutes, "minute") if minutes else (seconds, "second")
    if amount < 1 or 60 % amount:
        raise ValueError(f"{unit}s must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)")
    step = "0" if amount == 60 else f"*/{amount}"
    cron = {"minute": step} if minutes else {"second": step}
    plural = f"{amount} {unit}s" if amount > 1 else unit
    return Schedule(
        description=f"every {plural}",
        cron=cron,
        period=time_slot(amount * (60 if minutes else 1)),
    )


def with_test_schedule(spec: JobSpec, seconds: int) -> JobSpec:
    """The job tried every `seconds` and doing its work once per slot of that length (the test
    schedule of `jcpp scheduler --every`)."""
    return replace(spec, schedule=every(seconds=seconds))


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, not {value}")
