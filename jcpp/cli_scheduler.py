"""`jcpp scheduler` (also `python -m scheduler`): the scheduler process."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from scheduler.spec import JobSpec


def scheduler(
    database_url: str | None = typer.Option(
        None, "--database-url", help="Database to use (default JCPP_DATABASE_URL)."
    ),
    every: int | None = typer.Option(
        None,
        "--every",
        help="Test schedule: try every job every N seconds (N divides 60), each slot of N "
        "seconds a period of its own. Never in production.",
    ),
    jobs: str | None = typer.Option(
        None,
        "--jobs",
        help="Another list of jobs, as module:name (tests). Default: scheduler.jobs.",
    ),
    poll: int = typer.Option(
        10, "--poll", help="Seconds between looks for the admin page's run-now requests."
    ),
) -> None:
    """Run the jobs on their schedules until stopped (SIGTERM or Ctrl-C). Run exactly one per
    installation, beside the web workers (a second one by mistake does no harm: each job runs
    once per period)."""
    import logging

    from jcpp.backup import describe_database
    from jcpp.config import get_settings
    from jcpp.db import make_engine
    from scheduler.jobs import jobs_by_id
    from scheduler.process import serve
    from scheduler.runner import this_process
    from scheduler.spec import with_test_schedule

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    for amount, name in ((every, "--every"), (poll, "--poll")):
        if amount is not None and (amount < 1 or 60 % amount):
            raise typer.BadParameter(
                f"{name} must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)"
            )
    listed = jobs_by_id(_load_jobs(jobs) if jobs else None)
    if every is not None:
        listed = {job_id: with_test_schedule(spec, every) for job_id, spec in listed.items()}
    url = database_url or get_settings().database_url
    engine = make_engine(url)
    _require_migrated(engine, describe_database(url))
    try:
        serve(engine, listed, holder=this_process(), poll=poll)
    finally:
        engine.dispose()


def _load_jobs(reference: str) -> tuple[JobSpec, ...]:
    import importlib

    module_name, _, name = reference.partition(":")
    try:
        return tuple(getattr(importlib.import_module(module_name), name or "JOBS"))
    except (ImportError, AttributeError) as error:
        raise typer.BadParameter(f"no list of jobs at {reference}: {error}") from None


def _require_migrated(engine: Engine, described: str) -> None:
    from sqlalchemy import inspect

    if not inspect(engine).has_table("job_run"):
        typer.echo(f"The {described} has no job_run table: run `jcpp db upgrade` first.", err=True)
        raise typer.Exit(1)
