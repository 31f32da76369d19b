"""The scheduler: jobs that run on their own (reminders, alerts, digests, re-analysis), in a
process of their own (`jcpp scheduler` / `python -m scheduler`), never in the web workers.

- `spec`: what a job is (id, description, schedule, function, lease) and the schedules.
- `jobs`: THE one list of jobs.
- `runner`: runs one job for one period exactly once (lease, idempotency, history), without
  APScheduler, so it is tested with a controlled clock.
- `process`: the APScheduler process that calls the runner on each job's schedule and picks up
  the "run now" requests made on the admin Jobs page.
"""
