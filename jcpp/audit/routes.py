"""The audit log: who changed what and when (admins and county staff)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlmodel import select

from jcpp.audit import service
from jcpp.auth.permissions import require_audit_reader
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.models import City, User
from jcpp.web.templating import render_page_or_block

router = APIRouter()


@router.get("/audit")
def audit_log(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    action: str | None = None,
    entity_type: str | None = None,
    user_id: int | None = Query(None, alias="user"),
    city_id: int | None = Query(None, alias="city"),
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: int = Query(1, ge=1, le=100_000),
) -> Response:
    require_audit_reader(viewer)
    filters = service.AuditFilter(
        action=action or None,
        entity_type=entity_type or None,
        user_id=user_id,
        city_id=city_id,
        since=since,
        until=until,
    )
    rows, total = service.list_events(session, filters=filters, page=page)
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}

    def url_for_page(n: int) -> str:
        return "/audit?" + urlencode({**params, "page": n})

    context = {
        "nav": "audit",
        "rows": rows,
        "total": total,
        "page": page,
        "per_page": 50,
        "url_for_page": url_for_page,
        "filters": filters,
        "actions": service.distinct_actions(session),
        "users": session.exec(select(User).order_by(User.name)).all(),
        "cities": session.exec(select(City).order_by(City.name)).all(),
    }
    return render_page_or_block(request, "audit/log.html", context, block="audit_results")
