"""The real list's e-mail job alone, for a scheduler process in the tests (the other jobs would
run every second on the test schedule)."""

from __future__ import annotations

from scheduler.jobs import JOBS as ALL_JOBS

JOBS = tuple(spec for spec in ALL_JOBS if spec.id == "send-email")
