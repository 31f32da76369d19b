"""Public pages for residents (no sign-in), the liaison's review of names, the admin's switch.

- `/public`, `/public/{committee_slug}`, `/public/{committee_slug}/meetings/{id}`: anyone. They
  are rendered without the session: no CSRF token is made, no cookie is set, the signed-in
  header is not shown, so a shared cache may keep them for a few minutes.
- `/meetings/{id}/minutes/public`: the review, for whoever may edit the minutes.
- `/admin/committees/{id}/public-pages`: administrators turn a committee's public pages on/off.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from jcpp import clock
from jcpp.admin.pages import flash
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import Conflict, InvalidInput
from jcpp.public import reading, service
from jcpp.web.forms import parse_int
from jcpp.web.templating import render, render_public

router = APIRouter()

# Five minutes: a withdrawn page (minutes unpublished or edited) leaves shared caches soon.
PUBLIC_CACHE = "public, max-age=300"
REVIEW_DONE = {"saved": "Saved. The public page shows the minutes with the names hidden below."}


def _public_page(request: Request, template: str, context: dict[str, Any]) -> Response:
    """A public page: the public layout, nothing from the visitor's session."""
    response = render_public(request, template, context)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


@router.get("/public")
def public_index(request: Request, session: SessionDep) -> Response:
    committees = reading.public_committees(session)
    return _public_page(request, "public/index.html", {"committees": committees})


@router.get("/public/{committee_slug}")
def public_calendar(request: Request, session: SessionDep, committee_slug: str) -> Response:
    calendar = reading.calendar(session, committee_slug, now=clock.now())
    return _public_page(request, "public/committee.html", {"calendar": calendar})


@router.get("/public/{committee_slug}/meetings/{meeting_id:int}")
def public_meeting(
    request: Request, session: SessionDep, committee_slug: str, meeting_id: int
) -> Response:
    page = reading.public_meeting(session, committee_slug, meeting_id)
    return _public_page(request, "public/meeting.html", {"page": page})


# ---------------------------------------------------------------- the review


def _review_page(
    request: Request, view: service.ReviewView, *, status_code: int = 200, **extra: Any
) -> Response:
    context: dict[str, Any] = {
        "nav": "committees",
        "view": view,
        "ctx": view.context,
        "errors": {},
        "message": None,
        "error": None,
        "typed": None,
    }
    context.update(extra)
    return render(request, "public/review.html", context, status_code=status_code)


@router.get("/meetings/{meeting_id:int}/minutes/public")
def review_page(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    view = service.review_view(session, meeting_id, viewer=viewer)
    return _review_page(request, view, message=REVIEW_DONE.get(done or ""))


@router.post("/meetings/{meeting_id:int}/minutes/public")
def save_review(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    meeting_id: int,
    revision: Annotated[str, Form(max_length=12)] = "",
    hide: Annotated[list[str] | None, Form()] = None,
    added: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    try:
        service.save_review(
            session,
            meeting_id,
            revision=parse_int(revision) or 0,
            hidden=set(hide or ()),
            added=added,
            by=viewer,
        )
    except (InvalidInput, Conflict) as refused:
        view = service.review_view(session, meeting_id, viewer=viewer)
        errors = refused.errors if isinstance(refused, InvalidInput) else {}
        return _review_page(
            request,
            view,
            status_code=refused.status_code,
            errors=errors,
            error=None if errors else refused.message,
            typed={"hide": set(hide or ()), "added": added},
        )
    return RedirectResponse(f"/meetings/{meeting_id}/minutes/public?done=saved", status_code=303)


# ---------------------------------------------------------------- the switch


@router.post("/admin/committees/{committee_id:int}/public-pages")
def switch_public_pages(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    committee_id: int,
    public_pages: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    committee = service.set_public_pages(session, committee_id, on=public_pages == "on", by=viewer)
    state = "on" if committee.public_pages else "off"
    flash(request, f"Public pages of {committee.name} are {state}.")
    return RedirectResponse(f"/admin/committees/{committee_id}", status_code=303)
