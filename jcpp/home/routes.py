"""The home page, different for each role."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jcpp.deps import CurrentViewer, SessionDep
from jcpp.home import service
from jcpp.web.templating import render

router = APIRouter()


@router.get("/")
def home(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    context: dict[str, object] = {
        "nav": "home",
        "upcoming": service.upcoming_meetings(session, viewer=viewer),
        "recent": service.recent_meetings(session, viewer=viewer),
        "summary": service.summary(session, viewer=viewer),
        "cadence_days": service.CADENCE_DAYS,
    }
    if viewer.role in ("liaison", "admin"):
        context["missing"] = service.meetings_missing_minutes(session, viewer=viewer)
    if viewer.sees_all_cities:
        context["cities"] = service.city_overview(session)
    return render(request, "home/home.html", context)
