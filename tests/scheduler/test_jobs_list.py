"""The one list of jobs (scheduler/jobs.py) as the scheduler will read it: ids it can key a
history by, schedules APScheduler accepts, functions of the shape the runner calls."""

from __future__ import annotations

import datetime as dt
import inspect
import re

import pytest

from jcpp import clock
from scheduler.jobs import REQUESTS_JOB_ID, jobs_by_id
from scheduler.process import triggers
from scheduler.spec import JobSpec, daily


def test_every_job_can_be_scheduled_and_run() -> None:
    jobs = jobs_by_id()  # also refuses two jobs with one id, or the poller's id
    now = dt.datetime(2026, 11, 24, 16, 0, tzinfo=dt.UTC)

    for job_id, trigger in triggers(jobs, poll=10).items():
        assert trigger.get_next_fire_time(None, now.astimezone(clock.zone())) is not None, job_id
    for spec in jobs.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", spec.id) and len(spec.id) <= 80, spec.id
        assert spec.description.strip(), f"{spec.id} has no description for the Jobs page"
        assert spec.lease > dt.timedelta(0)
        period = spec.schedule.period(now)
        assert period and len(period) <= 80 and not period.startswith("request-"), period
        parameters = inspect.signature(spec.run).parameters
        assert list(parameters)[:1] == ["session"], spec.id
        for name in ("now", "period"):
            assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY, (spec.id, name)


def work(session: object, *, now: dt.datetime, period: str) -> str:
    return ""


@pytest.mark.parametrize(
    "listed",
    [
        (JobSpec("a", "A.", daily(), work), JobSpec("a", "Another A.", daily(), work)),
        (JobSpec(REQUESTS_JOB_ID, "Not a job.", daily(), work),),
    ],
)
def test_a_list_with_an_id_taken_is_refused(listed: tuple[JobSpec, ...]) -> None:
    with pytest.raises(ValueError, match="same id|scheduler's own id"):
        jobs_by_id(listed)
