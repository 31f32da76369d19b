"""Search across minutes, agenda items, concerns and follow-ups.

GET /search?q=…          the search page: the form, and the results of a search when words were
                         given (htmx: the results alone; the form pushes its URL, so every search
                         is a bookmarkable page that also works without JavaScript).
GET /search/cities?city=…           the city filter's suggestions for what was typed (htmx
GET /search/committees?committee=…  fills the field's datalist), among what the viewer may see.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jcpp.deps import CurrentViewer, SessionDep
from jcpp.models.search import DOCUMENT_KINDS
from jcpp.search import places, service
from jcpp.search.forms import SearchForm
from jcpp.search.results import STATUSES, result_page
from jcpp.web.templating import render, render_page_or_block

router = APIRouter()

PAGE = "search/search.html"
OPTIONS = "search/_options.html"


@router.get("/search")
def search_page(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    form = SearchForm.from_params(request.query_params)
    choices = places.filter_choices(
        session, viewer=viewer, city=form.city, committee=form.committee
    )
    # The form and its links show what was applied (a name for a slug; nothing unknown).
    form.city = choices.city.value if choices.city else ""
    form.committee = choices.committee.value if choices.committee else ""
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


@router.get("/search/cities")
def city_suggestions(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    typed = request.query_params.get("city", "")
    found = places.suggest_cities(session, viewer=viewer, typed=typed)
    return render(request, OPTIONS, {"places": found})


@router.get("/search/committees")
def committee_suggestions(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    params = request.query_params
    typed_city = params.get("city", "").strip()[: places.MAX_TYPED]
    city = places.find_city(session, viewer, typed_city) if typed_city else None
    found = places.suggest_committees(
        session, viewer=viewer, typed=params.get("committee", ""), city=city
    )
    return render(request, OPTIONS, {"places": found})
