"""THE one list of the scheduler's jobs: each with an explicit id (the key of its history and of
its row in the job store: never rename one that has run), a description for the admin Jobs
page, a schedule (`scheduler.spec`), and its function `fn(session, *, now, period) -> str`.

Adding a job is adding an entry here (the job functions live in scheduler/tasks/).
"""

from __future__ import annotations

from scheduler.spec import JobSpec

JOBS: tuple[JobSpec, ...] = ()

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
