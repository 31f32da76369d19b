"""The scheduler's jobs, one module per family; each job is `fn(session, *, now, period) -> str`
(the work of one period, in the runner's transaction; a one-line outcome) and safe to run twice:
e-mails are queued once per dedupe key, in-app notices are looked for before they are made.

- `meetings`: upcoming meetings from each committee's rule;
- `reminders`: the roster's reminder two days before a meeting;
- `followups`: minutes still missing after a meeting, follow-ups due soon or overdue;
- `cadence`: cities with no meeting held in 35 days;
- `digest`: the weekly digest for county staff;
- `analysis`: stale analyses re-run, the classifier retrained;
- `rollups`: the trend counts checked against a rebuild.
"""
