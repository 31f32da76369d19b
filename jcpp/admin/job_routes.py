"""The admin Jobs page: the scheduler's jobs with their next and last runs, "run now", and the
history of runs (administrators only).

"Run now" records a request (the web process never runs a job); the jobs list is one htmx
component (block `job_list`, id="job-list") swapped in place after asking, and without
JavaScript the form posts and redirects back. The history (block `job_history`) pages and
filters by job with htmx or plain links.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from jcpp.admin import jobs as service
from jcpp.admin.pages import flash, page_context, see_other
from jcpp.auth.permissions import Viewer, require_admin
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.web import htmx
from jcpp.web.templating import render_page_or_block
from scheduler.jobs import jobs_by_id

router = APIRouter()
PER_PAGE = 25


def _page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    job: str = "",
    page: int = 1,
    block: str = "job_list",
    toast: str | None = None,
) -> Response:
    jobs = jobs_by_id()
    job = job if job in jobs else ""
    next_run_times = service.next_runs(session)
    history, total = service.run_history(session, job_id=job or None, page=page, per_page=PER_PAGE)

    def url_for_page(n: int) -> str:
        return "/admin/jobs?" + urlencode({**({"job": job} if job else {}), "page": n})

    context: dict[str, Any] = page_context(
        request,
        rows=service.job_rows(session, jobs=jobs, next_run_times=next_run_times),
        running=service.scheduler_running(next_run_times),
        history=history,
        total=total,
        page=page,
        per_page=PER_PAGE,
        url_for_page=url_for_page,
        job=job,
        toast=toast,
    )
    return render_page_or_block(request, "admin/jobs.html", context, block=block)


@router.get("/jobs")
def jobs(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    job: Annotated[str, Query(max_length=80)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    require_admin(viewer)
    response = _page(request, session, viewer, job=job, page=page, block="job_history")
    htmx.vary(response)
    return response


@router.post("/jobs/{job_id}/run")
def run_now(request: Request, session: SessionDep, viewer: CurrentViewer, job_id: str) -> Response:
    require_admin(viewer)
    _request, new = service.request_run(session, job_id, jobs=jobs_by_id(), by=viewer)
    message = (
        f"Asked the scheduler to run “{job_id}”: "
        "it starts within seconds if the scheduler is running."
        if new
        else f"“{job_id}” was already asked for and waits for the scheduler."
    )
    if not htmx.wants_fragment(request):
        flash(request, message)
        return see_other("/admin/jobs")
    return _page(request, session, viewer, toast=message)
