"""Import minutes in the app: upload files for a committee, review what will happen, confirm.

/committees/{id}/import              GET: the upload form; POST: upload, then the review page
/committees/{id}/import/{token}      POST: confirm (with the dates as corrected), then the summary

All three need edit permission on the committee (its city's liaison, an admin); an upload
belongs to the user who made it, and another user's token is 404. Both POSTs carry the CSRF
token (the app-wide check).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session
from starlette.background import BackgroundTask
from starlette.datastructures import FormData, UploadFile

from jcpp.auth.permissions import Viewer
from jcpp.committees import service as committees
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import NotFound
from jcpp.imports import service, staging
from jcpp.imports.extract import MAX_FILE_BYTES, size_text
from jcpp.meetings.forms import parse_date
from jcpp.models import Committee
from jcpp.web.templating import render

router = APIRouter(prefix="/committees/{committee_id:int}/import")

MAX_FILES = 50
GONE = (
    "This upload is no longer waiting (uploads are kept for a day, until imported): upload "
    "the files again."
)


async def read_form(request: Request) -> AsyncIterator[FormData]:
    """The form (the CSRF check may have read it already); its spooled files closed after."""
    form = await request.form(max_files=MAX_FILES + 1, max_fields=3 * MAX_FILES + 10)
    try:
        yield form
    finally:
        await form.close()


FormDep = Annotated[FormData, Depends(read_form)]


def _context(session: Session, committee: Committee, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "nav": "committees",
        "committee": committee,
        "city": committees.get_city(session, committee),
        "max_files": MAX_FILES,
        "max_size": size_text(MAX_FILE_BYTES),
        "error": None,
    }
    context.update(extra)
    return context


@router.get("")
def upload_page(
    request: Request, session: SessionDep, viewer: CurrentViewer, committee_id: int
) -> Response:
    committee = committees.get_committee(session, committee_id, viewer=viewer, edit=True)
    staging.purge_stale()
    return render(request, "imports/upload.html", _context(session, committee))


@dataclass
class ReviewRow:
    """One uploaded file on the review page."""

    staged: staging.StagedFile
    action: str  # "create", "attach", "duplicate", "refused"
    message: str
    date_value: str  # what the date field shows
    found: str | None  # where the date was read from
    note: str | None
    error: str | None = None
    readable: bool = False  # the file was read: it may be imported once it has a date
    inspected: service.Inspected | None = None

    @property
    def importable(self) -> bool:
        return self.action in ("create", "attach")

    @property
    def size_label(self) -> str:
        return size_text(self.staged.size)


@router.post("")
def upload(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    committee_id: int,
    data: FormDep,
) -> Response:
    committee = committees.get_committee(session, committee_id, viewer=viewer, edit=True)
    uploads = [item for item in data.getlist("files") if isinstance(item, UploadFile)]
    uploads = [item for item in uploads if item.filename]
    problem = None
    if not uploads:
        problem = "Choose one or more minutes files (.docx, .pdf, .txt or .md) to upload."
    elif len(uploads) > MAX_FILES:
        problem = f"Upload at most {MAX_FILES} files at a time ({len(uploads)} were chosen)."
    if problem:
        context = _context(session, committee, error=problem)
        return render(request, "imports/upload.html", context, status_code=422)
    batch = staging.new_batch(committee_id, viewer.id)
    try:
        for item in uploads:
            staging.stage(batch, item.filename, item.file, item.size)
        staging.save(batch)
    except BaseException:
        staging.discard(batch)
        raise
    rows = review_rows(session, committee, batch, values=None)
    return _review(request, session, committee, batch, rows, status_code=200)


def _review(
    request: Request,
    session: Session,
    committee: Committee,
    batch: staging.Batch,
    rows: list[ReviewRow],
    *,
    status_code: int,
) -> Response:
    context = _context(
        session,
        committee,
        batch=batch,
        rows=rows,
        importable=sum(1 for row in rows if row.readable),
        has_errors=any(row.error for row in rows),
    )
    return render(request, "imports/review.html", context, status_code=status_code)


def review_rows(
    session: Session,
    committee: Committee,
    batch: staging.Batch,
    *,
    values: FormData | None,
) -> list[ReviewRow]:
    """What importing each file of the batch will do, on the date found in it or, when `values`
    (the review form) are given, on the date the user entered."""
    rows: list[ReviewRow] = []
    hashes: dict[str, str] = {}
    creating: dict[dt.date, str] = {}
    for staged in batch.files:
        if staged.refusal:
            rows.append(ReviewRow(staged, "refused", staged.refusal, "", None, None))
            continue
        raw = staging.read(batch, staged)
        if raw is None:
            rows.append(ReviewRow(staged, "refused", GONE, "", None, None))
            continue
        inspected = service.inspect(staged.name, raw)
        found = inspected.found
        entered = str(values.get(f"date-{staged.index}", "")).strip() if values else None
        day, error = (found.day if found else None), None
        if entered is not None:
            day = parse_date(entered) if entered else None
            if inspected.refusal is None and day is None:
                error = (
                    "Give the date of the meeting." if not entered else "Give a date as YYYY-MM-DD."
                )
        date_value = entered if entered is not None else (day.isoformat() if day else "")
        source = f"Read from the {found.source}: “{found.matched}”" if found else None
        if inspected.content_hash in hashes and inspected.refusal is None:
            first = hashes[inspected.content_hash]
            message = f"Skipped: the same file as {first}, in this upload."
            rows.append(ReviewRow(staged, "duplicate", message, date_value, source, None))
            continue
        hashes.setdefault(inspected.content_hash, staged.name)
        planned = service.plan(session, committee, inspected, day)
        message = planned.message
        if planned.action == "create" and day is not None:
            if day in creating:
                message = (
                    f"Added as a new revision of the minutes of the meeting {creating[day]} "
                    f"creates on {day:%b %d, %Y}."
                )
            creating.setdefault(day, staged.name)
        if error and planned.action == "refused" and day is None:
            message = "Give the date of the meeting to import this file."
        readable = inspected.refusal is None and planned.action != "duplicate"
        rows.append(
            ReviewRow(
                staged,
                planned.action,
                message,
                date_value,
                source,
                inspected.note,
                error=error,
                readable=readable,
                inspected=inspected,
            )
        )
    return rows


@dataclass(frozen=True)
class SummaryRow:
    name: str
    status: str
    message: str
    meeting_id: int | None


@router.post("/{token}")
def confirm(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    committee_id: int,
    token: str,
    data: FormDep,
) -> Response:
    committee = committees.get_committee(session, committee_id, viewer=viewer, edit=True)
    batch = staging.load(token, committee_id=committee_id, user_id=viewer.id)
    if batch is None:
        raise NotFound(GONE)
    rows = review_rows(session, committee, batch, values=data)
    chosen = {row.staged.index for row in rows if data.get(f"include-{row.staged.index}")}
    if any(row.error for row in rows if row.staged.index in chosen and row.readable):
        return _review(request, session, committee, batch, rows, status_code=422)
    outcomes = [_import_row(session, committee, row, chosen, viewer) for row in rows]
    counts = Counter(outcome.status for outcome in outcomes)
    context = _context(session, committee, outcomes=outcomes, counts=counts)
    response = render(request, "imports/summary.html", context)
    # The files go once the response is sent, after the import was committed.
    response.background = BackgroundTask(staging.discard, batch)
    return response


def _import_row(
    session: Session,
    committee: Committee,
    row: ReviewRow,
    chosen: set[int],
    viewer: Viewer,
) -> SummaryRow:
    staged = row.staged
    if staged.index not in chosen or not row.readable:
        if row.action == "duplicate":
            return SummaryRow(staged.name, "duplicate", row.message, None)
        if not row.readable:
            return SummaryRow(staged.name, "failed", row.message, None)
        return SummaryRow(staged.name, "left out", "Left out: not imported.", None)
    assert committee.id is not None and row.inspected is not None
    outcome = service.import_file(
        session,
        committee.id,
        row.inspected,
        day=parse_date(row.date_value) if row.date_value else None,
        by=viewer,
    )
    return SummaryRow(staged.name, outcome.status, outcome.message, outcome.meeting_id)
