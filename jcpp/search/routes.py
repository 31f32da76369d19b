"""Search across minutes, agenda items, concerns and follow-ups.

GET /search?q=…   the search page: the form, and the results of a search when words were
                  given (htmx: the results alone; the form pushes its URL, so every search is
                  a bookmarkable page that also works without JavaScript).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jcpp.deps import CurrentViewer, SessionDep
from jcpp.models.search import DOCUMENT_KINDS
from jcpp.search import service
from jcpp.search.forms import SearchForm
from jcpp.search.results import STATUSES, result_page
from jcpp.web.templating import render_page_or_block

router = APIRouter()

PAGE = "search/search.html"


@router.get("/search")
def search_page(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    form = SearchForm.from_params(request.query_params)
    choices = service.filter_choices(session, viewer=viewer)
    found = None
    if form.q:
        hits = service.search(
            session,
            form.q,
            viewer=viewer,
            filters=form.filters(choices),
            sort=form.sort,
            page=form.page,
        )
        found = result_page(session, hits, viewer=viewer)
    context: dict[str, Any] = {
        "nav": "search",
        "form": form,
        "choices": choices,
        "found": found,
        "kinds": DOCUMENT_KINDS,
        "statuses": STATUSES,
        "sorts": service.SORTS,
        "per_page": service.PER_PAGE,
        "count_cap": service.COUNT_CAP,
    }
    return render_page_or_block(request, PAGE, context, block="search_results")
