"""`jcpp nlp retag`: re-analyse stored minutes after the topic list, pipeline or model changed.

Registered by the `jcpp nlp` command group (`nlp_app.command(name="retag")(cli_retag.retag)`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from jcpp.analysis.service import RetagSummary

MEETING_HELP = "Only this meeting (by id); repeat for several."
STALE_HELP = (
    "Only meetings whose analysis is out of date: newer minutes, or another topic list, "
    "pipeline or model than the one in use."
)


def retag(
    meeting: list[int] = typer.Option(None, "--meeting", help=MEETING_HELP),
    stale: bool = typer.Option(False, "--stale", help=STALE_HELP),
) -> None:
    """Re-analyse the newest minutes of every meeting (or some), keeping what people reviewed."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
    from sqlmodel import Session

    from jcpp.analysis import service
    from jcpp.db import get_engine

    console = Console(stderr=True)
    with Session(get_engine(), expire_on_commit=False) as session:
        meeting_ids: list[int] | None = list(meeting) if meeting else None
        if stale:
            found = service.stale_meeting_ids(session)
            meeting_ids = [m for m in found if meeting_ids is None or m in meeting_ids]
        columns = (BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress("Re-analysing minutes", *columns, console=console) as bar:
            task = bar.add_task("retag", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            summary = service.retag(
                session, meeting_ids=meeting_ids, progress=advance, checkpoint=session.commit
            )
        session.commit()
    typer.echo(_summary_text(summary))
    if summary.skipped:
        skipped = ", ".join(str(m) for m in summary.skipped)
        typer.echo(f"No minutes to analyse for meeting(s) {skipped}.", err=True)


def _summary_text(summary: RetagSummary) -> str:
    if summary.meetings == 0:
        return "Nothing to re-analyse: no meeting with minutes matched."
    return "\n".join(
        [
            f"Re-analysed the minutes of {summary.meetings} meeting(s) "
            f"(pipeline {summary.pipeline_version}, topic list {summary.topic_list_version}).",
            f"Proposals now waiting for review: {summary.topics_proposed} topic(s), "
            f"{summary.concerns_proposed} concern(s), {summary.actions_proposed} action item(s).",
            f"Kept as people reviewed them: {summary.reviewed_kept}; of those, "
            f"{summary.missing} concern(s) or action item(s) are no longer in the text.",
        ]
    )
