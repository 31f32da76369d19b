"""Jobs for the scheduler's tests: each writes one row of `sample_effect` per run (the effect
whose count says whether a period's work was done once), and may fail on demand."""

from __future__ import annotations

import datetime as dt
import os
import time

from sqlalchemy import Column, Integer, MetaData, String, Table, insert
from sqlmodel import Session

from scheduler.runner import this_process
from scheduler.spec import JobFunction, JobSpec, daily, every

effects = Table(
    "sample_effect",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("job_id", String(80), nullable=False),
    Column("period", String(80), nullable=False),
    Column("holder", String(200), nullable=False),
)


def counting(job_id: str, *, pause: float = 0.0) -> JobFunction:
    """A job that records its run, then takes `pause` seconds (a window in which another
    scheduler tries the same period)."""

    def run(session: Session, *, now: dt.datetime, period: str) -> str:
        session.execute(insert(effects).values(job_id=job_id, period=period, holder=this_process()))
        time.sleep(pause)
        return f"counted {period} in {os.getpid()}"

    return run


JOBS = (
    JobSpec("count-a", "Counts its runs.", every(seconds=1), counting("count-a", pause=0.2)),
    JobSpec("count-b", "Counts its runs too.", daily(at=6), counting("count-b", pause=0.1)),
)
