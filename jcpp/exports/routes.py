"""Exports: the data as files, and the minutes of a meeting to print or as a PDF.

GET /exports                          the choices: what, filters, format (everyone signed in; the
                                      viewer is offered only the cities, committees she may see)
GET /exports/download?…               the file (CSV or JSON); a wrong choice re-renders the page
                                      with what is wrong (422), the other choices kept
GET /meetings/{id}/minutes/print      the minutes to print (who may see the meeting)
GET /meetings/{id}/minutes.pdf        the same as a PDF
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session

from jcpp import clock
from jcpp.auth.permissions import Viewer
from jcpp.boards.export import csv_filename
from jcpp.deps import CurrentViewer, SessionDep, SettingsDep
from jcpp.exports import files, service
from jcpp.exports.forms import KINDS, ExportQuery, ExportSpec
from jcpp.exports.pdf import minutes_pdf
from jcpp.exports.printable import printable_minutes
from jcpp.web.templating import render

router = APIRouter()

PAGE = "exports/exports.html"
PRINT_PAGE = "exports/minutes_print.html"


def _page_context(
    session: Session, viewer: Viewer, query: ExportQuery, errors: dict[str, str]
) -> dict[str, Any]:
    return {
        "nav": "exports",
        "query": query,
        "errors": errors,
        "kinds": KINDS,
        "columns": service.COLUMNS,
        "city_choices": service.city_choices(session, viewer),
        "committee_choices": service.committee_choices(session, viewer),
        "topic_choices": service.topic_choices(session),
    }


@router.get("/exports")
def exports_page(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    query = ExportQuery.from_params(request.query_params)
    return render(request, PAGE, _page_context(session, viewer, query, {}))


def _filename(spec: ExportSpec) -> str:
    parts = [spec.kind.key]
    if len(spec.committees) == 1:
        parts.append(spec.committees[0].slug)
    elif len(spec.cities) == 1:
        parts.append(spec.cities[0].slug)
    name = csv_filename(*parts, today=clock.today())
    return name if spec.format == "csv" else name.removesuffix(".csv") + ".json"


@router.get("/exports/download")
def export_download(
    request: Request, session: SessionDep, viewer: CurrentViewer, settings: SettingsDep
) -> Response:
    query = ExportQuery.from_params(request.query_params)
    context = _page_context(session, viewer, query, {})
    spec, errors = query.check(
        cities=context["city_choices"],
        committees=context["committee_choices"],
        topics=context["topic_choices"],
    )
    if spec is None:
        context["errors"] = errors
        return render(request, PAGE, context, status_code=422)
    base_url = settings.base_url.rstrip("/")
    batches = service.export_rows(session, spec, viewer=viewer, base_url=base_url)
    columns = service.COLUMNS[spec.kind.key]
    out = files.spooled()
    try:
        if spec.format == "csv":
            files.write_csv(out, columns, batches)
        else:
            head = {
                "export": spec.kind.key,
                "generated_at": clock.now().astimezone(clock.zone()).isoformat(),
                "filters": spec.describe(),
            }
            files.write_json(out, head, columns, batches)
    except BaseException:
        out.close()
        raise
    media = "text/csv; charset=utf-8" if spec.format == "csv" else "application/json"
    return StreamingResponse(
        files.chunks(out),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{_filename(spec)}"'},
    )


@router.get("/meetings/{meeting_id:int}/minutes/print")
def minutes_print(
    request: Request, session: SessionDep, viewer: CurrentViewer, meeting_id: int
) -> Response:
    minutes = printable_minutes(session, meeting_id, viewer=viewer)
    return render(
        request, PRINT_PAGE, {"nav": "committees", "minutes": minutes, "ctx": minutes.ctx}
    )


@router.get("/meetings/{meeting_id:int}/minutes.pdf")
def minutes_pdf_file(session: SessionDep, viewer: CurrentViewer, meeting_id: int) -> Response:
    minutes = printable_minutes(session, meeting_id, viewer=viewer)
    day = clock.local_date(minutes.ctx.meeting.start_at)
    name = csv_filename("minutes", minutes.ctx.committee.slug, today=day).removesuffix(".csv")
    return Response(
        minutes_pdf(minutes),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )
