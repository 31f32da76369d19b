"""The scheduler's own records: what ran when and how it went, who may run a job now, and
the requests to run one made in the web app (which never runs jobs itself)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from jcpp.models.base import UTCDateTime, created_at_field

JOB_RUN_STATUSES = ("running", "succeeded", "failed")
# APScheduler's job store (next run times of the jobs): a table APScheduler makes and reads
# itself, which no model or migration describes (jcpp.migrations.include_name skips it).
JOB_STORE_TABLE = "apscheduler_job"


class JobRun(SQLModel, table=True):
    """One job for one period (a county day, an ISO week, "request-<id>" for a run asked for by
    hand). The unique (job, period) makes every job idempotent: a period that succeeded is
    never run again; one that failed is tried again (attempts counts the tries)."""

    __tablename__ = "job_run"

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(max_length=80, index=True)
    period: str = Field(max_length=80)
    status: str = Field(default="running", max_length=20)
    attempts: int = Field(default=1)
    started_at: dt.datetime = created_at_field()
    finished_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str | None = Field(default=None, max_length=500)
    error: str | None = Field(default=None, sa_type=Text)
    holder: str = Field(default="", max_length=200, description="host:pid of the runner")
    requested_by_id: int | None = Field(default=None, foreign_key="user_account.id")

    __table_args__ = (UniqueConstraint("job_id", "period"),)


class JobLease(SQLModel, table=True):
    """At most one scheduler process runs a job at a time: it holds the job's lease until it
    releases it or the lease expires (a killed process holds it no longer than that)."""

    __tablename__ = "job_lease"

    job_id: str = Field(max_length=80, primary_key=True)
    holder: str = Field(max_length=200)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime)


class JobRequest(SQLModel, table=True):
    """ "Run now", asked for on the admin Jobs page and picked up by the scheduler."""

    __tablename__ = "job_request"

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(max_length=80)
    requested_by_id: int = Field(foreign_key="user_account.id")
    requested_at: dt.datetime = created_at_field()
    picked_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    run_id: int | None = Field(default=None, foreign_key="job_run.id")
