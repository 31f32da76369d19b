"""The audit log: who changed what and when (admins and county staff)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jcpp.audit import service
from jcpp.audit.forms import AuditQuery
from jcpp.auth.permissions import require_audit_reader
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.web import htmx
from jcpp.web.templating import render_page_or_block

router = APIRouter()
PER_PAGE = 50


@router.get("/audit")
def audit_log(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    """The log, newest first, filtered by what the URL asks (the filter form's fields)."""
    require_audit_reader(viewer)
    query = AuditQuery.from_params(request.query_params)
    filters = query.filters()
    page = query.page_number()
    rows, total = service.list_events(session, filters=filters, page=page, per_page=PER_PAGE)
    params = query.params()

    def url_for_page(n: int) -> str:
        return "/audit?" + urlencode({**params, "page": n})

    context: dict[str, object] = {
        "nav": "audit",
        "rows": rows,
        "total": total,
        "page": page,
        "per_page": PER_PAGE,
        "url_for_page": url_for_page,
        "filters": filters,
        "fragment": htmx.wants_fragment(request),
    }
    if not context["fragment"]:  # the filter form is on the full page only
        context["actions"] = service.action_choices(session, chosen=filters.action)
        context["users"] = service.user_choices(session)
        context["cities"] = service.city_choices(session)
    return render_page_or_block(request, "audit/log.html", context, block="audit_results")
