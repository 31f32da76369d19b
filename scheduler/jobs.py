"""THE one list of the scheduler's jobs: each with an explicit id (the key of its history and of
its row in the job store: never rename one that has run), a description for the admin Jobs
page, a schedule (`scheduler.spec`), and its function `fn(session, *, now, period) -> str`.

Adding a job is adding an entry here (the job functions live in scheduler/tasks/).
"""

from __future__ import annotations

import datetime as dt

from jcpp.mail.outbox import send_outbox
from scheduler.spec import JobSpec, daily, every, weekly
from scheduler.tasks import (
    analysis,
    cadence,
    database,
    digest,
    followups,
    meetings,
    outbox,
    reminders,
    rollups,
    signals,
)

JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "send-email",
        "Send the outbox's due e-mails (with no SMTP server configured they stay queued).",
        every(minutes=1),
        send_outbox,
        # Short: a killed scheduler's lease blocks sending no longer than this.
        lease=dt.timedelta(minutes=10),
    ),
    JobSpec(
        "purge-sent-email",
        "Delete e-mails sent more than 90 days ago (the outbox is not an archive).",
        daily(at=4),
        outbox.purge_sent_messages,
    ),
    JobSpec(
        "plan-meetings",
        "Create the meetings of the next three months from each committee's meeting rule.",
        daily(at=5),
        meetings.create_upcoming_meetings,
    ),
    JobSpec(
        "meeting-reminders",
        "Remind each committee's roster of its meeting two days before (e-mail and in-app).",
        daily(at=7),
        reminders.send_meeting_reminders,
    ),
    JobSpec(
        "follow-ups-due",
        "Tell owners and liaisons of follow-ups due in three days and of those newly overdue.",
        daily(at=7),
        followups.remind_follow_ups,
    ),
    JobSpec(
        "minutes-missing",
        "Tell the city's liaisons of meetings still without minutes 3 and 7 days after.",
        daily(at=8),
        followups.remind_missing_minutes,
    ),
    JobSpec(
        "cadence-alert",
        "Tell county staff of each city with no meeting held in 35 days (once per gap).",
        daily(at=9),
        cadence.alert_lapsed_cities,
    ),
    JobSpec(
        "weekly-digest",
        "The weekly digest for county staff: trend signals, overdue follow-ups, missing minutes.",
        weekly(day="mon", at=7),
        digest.send_weekly_digest,
    ),
    JobSpec(
        "reanalyse-minutes",
        "Re-analyse minutes whose analysis is stale (topic list, pipeline or model changed), "
        "for a few seconds a run (a minute on PostgreSQL).",
        every(minutes=10),
        analysis.reanalyse_stale_minutes,
    ),
    JobSpec(
        "retrain-classifier",
        "Retrain the topic classifier after 50 new reviews; use it only if it scores at least "
        "as well on the project's test minutes.",
        daily(at=2),
        analysis.retrain_classifier,
        lease=dt.timedelta(hours=1),
    ),
    JobSpec(
        "analyse-database",
        "Refresh the database's planner statistics (SQLite keeps none of its own).",
        daily(at=4),
        database.analyse_database,
    ),
    JobSpec(
        "check-trend-counts",
        "Compare the trend counts with a rebuild from the source rows; repair any difference.",
        daily(at=3),
        rollups.check_trend_counts,
    ),
    JobSpec(
        "refresh-signals",
        "Find the trend signals again where the data changed (the county's, each liaison's and "
        "member's), so the dashboard reads them stored; delete old ones.",
        every(minutes=2),
        signals.refresh_signals,
    ),
)

# The scheduler's own entry in the job store: the poller of "run now" requests (not a job).
REQUESTS_JOB_ID = "run-requests"


def jobs_by_id(jobs: tuple[JobSpec, ...] | None = None) -> dict[str, JobSpec]:
    """The list (this one, or the one given) by id; ids must be unique."""
    listed = JOBS if jobs is None else jobs
    by_id = {spec.id: spec for spec in listed}
    if len(by_id) != len(listed):
        raise ValueError("two jobs of the list have the same id")
    if REQUESTS_JOB_ID in by_id:
        raise ValueError(f"{REQUESTS_JOB_ID} is the scheduler's own id, not a job's")
    return by_id
