"""The trends dashboard (issue 5). Every view takes the filters of `jcpp.trends.forms` in its
query string, answers htmx with its results block alone, and ?format=csv|json with its numbers.

GET /trends                   heatmap topic × month (the county total, or the chosen cities),
                              with the signals
GET /trends/matrix            cities × topics over the period, with the county total
GET /trends/topics/{slug}     one topic: a small chart per city, with the county total
                              (both: 40 cities a page, the busiest first, ?page=N; their CSV
                              and JSON hold every city)
GET /trends/evidence?topic=<slug>[&city=<slug>][&month=YYYY-MM | &from=…&to=…]
                              the meetings and sentences behind a number (only meetings the
                              viewer may open; how many others it counts, as a number)

Everyone signed in may open them: the county total is for all; city by city, each sees the
cities of her scope (`service.trend_scope`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup, escape
from sqlmodel import Session

from jcpp import clock
from jcpp.auth.permissions import Viewer
from jcpp.boards.export import csv_filename
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import NotFound
from jcpp.models import Topic
from jcpp.trends import export, page_cache, service
from jcpp.trends.charts import heatmap, heatmap_svg, levels, small_multiples
from jcpp.trends.evidence import find_evidence, month_span
from jcpp.trends.forms import Links, TrendQuery
from jcpp.trends.service import MEASURES, CityChoice, TrendFilters, TrendScope
from jcpp.trends.signals_view import dashboard_signals
from jcpp.web.templating import render_block_text, render_page_or_block

router = APIRouter(prefix="/trends")

NOUNS = {"meetings": "meetings where raised", "mentions": "mentions", "concerns": "concerns"}


@dataclass
class View:
    """What every view starts from: the filters, the viewer's choices and the links."""

    query: TrendQuery
    filters: TrendFilters
    notes: list[str]
    scope: TrendScope
    cities: list[CityChoice]
    topics: list[Topic]

    @property
    def links(self) -> Links:
        return Links(self.filters)

    @property
    def shown_topics(self) -> list[Topic]:
        return list(self.filters.topics) or self.topics

    def context(self, view: str, **extra: Any) -> dict[str, Any]:
        return {
            "nav": "trends",
            "view": view,
            "query": self.query,
            "filters": self.filters,
            "notes": self.notes,
            "city_options": city_options(self.cities, self.filters),
            "topic_choices": self.topics,
            "measures": MEASURES,
            "noun": NOUNS[self.filters.measure],
            "links": self.links,
            "period": month_span(self.filters.first, self.filters.last),
            "where": where_label(self.filters),
            "draw_heatmap": heatmap_svg,
            **extra,
        }


def city_options(cities: list[CityChoice], filters: TrendFilters) -> Markup:
    """The <option>s of the cities filter, each value and name escaped here: 850 of them at
    state scale, where the template's loop (or Markup.format) cost more than the whole form."""
    chosen = {city.slug for city in filters.cities}
    options = [
        f'<option value="{escape(city.slug)}"{" selected" if city.slug in chosen else ""}>'
        f"{escape(city.name)}</option>"
        for city in cities
    ]
    return Markup("".join(options))  # noqa: S704 (every value in it is escaped above)


def where_label(filters: TrendFilters) -> str:
    if not filters.cities:
        return "County total"
    return ", ".join(city.name for city in filters.cities)


def _view(request: Request, session: Session, viewer: Viewer, *, strict: bool = False) -> View:
    query = TrendQuery.from_params(request.query_params)
    scope = service.trend_scope(session, viewer)
    cities = service.city_choices(session, scope=scope)
    topics = service.topic_choices(session)
    try:
        filters, notes = query.resolve(
            today=clock.today(), cities=cities, topics=topics, strict=strict
        )
    except LookupError as error:
        raise NotFound("There is no such city, or it is not yours to see.") from error
    return View(query, filters, notes, scope, cities, topics)


def _topic(session: Session, slug: str) -> Topic:
    topic = service.topic_by_slug(session, slug)
    if topic is None:
        raise NotFound("There is no such topic on the topic list.")
    return topic


def _file(request: Request, fmt: str, name: str, content: Callable[[], bytes]) -> Response:
    filename = csv_filename("trends", name, today=clock.today())
    if fmt == "json":
        filename = filename.removesuffix(".csv") + ".json"
    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    return Response(
        content(),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _respond(
    request: Request,
    session: Session,
    view: View,
    name: str,
    template: str,
    results: Callable[[], dict[str, Any]],
    **extra: Any,
) -> Response:
    """The view's page, or its results block for htmx, the block drawn once per data version
    and request (`page_cache`): the filters as asked, the cities the viewer may see, the day."""
    cities = None if view.scope.city_ids is None else tuple(sorted(view.scope.city_ids))
    key = (
        template,
        request.url.path,
        tuple(sorted(request.query_params.multi_items())),
        cities,
        clock.today(),
    )

    def draw() -> str:
        context = view.context(name, **extra, **results())
        return render_block_text(request, template, "trend_results", context)

    drawn = Markup(page_cache.block(session, key, draw))  # noqa: S704 (drawn by autoescaping Jinja)
    context = view.context(name, results_html=drawn, **extra)
    return render_page_or_block(request, template, context, block="trend_results")


def _heatmap(grid: service.Grid) -> dict[str, Any]:
    return {"grid": grid, "levels": levels(grid.values, grid.peak), "chart": heatmap(grid)}


@router.get("")
def dashboard(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    view = _view(request, session, viewer)

    def counts() -> service.Grid:
        return service.topic_month_grid(session, filters=view.filters, topics=view.shown_topics)

    if view.query.export == "csv":
        return _file(
            request, "csv", "heatmap", lambda: export.grid_csv(counts(), row_title="Topic")
        )
    if view.query.export == "json":
        where = [city.slug for city in view.filters.cities] or "county"
        return _file(
            request,
            "json",
            "heatmap",
            lambda: export.grid_json(counts(), view="heatmap", filters=view.filters, where=where),
        )

    def results() -> dict[str, Any]:
        grid = counts()
        return {
            **_heatmap(grid),
            "hrefs": view.links.topic_month_cells(grid),
            "signals": dashboard_signals(session, scope=view.scope, filters=view.filters),
            "export_url": view.links.view("/trends"),
        }

    return _respond(request, session, view, "heatmap", "trends/dashboard.html", results)


@router.get("/matrix")
def matrix(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    view = _view(request, session, viewer)

    def counts() -> service.Grid:
        return service.city_topic_grid(
            session,
            filters=view.filters,
            scope=view.scope,
            topics=view.shown_topics,
            cities=view.cities,
            page=None if view.query.export else view.query.page,
        )

    if view.query.export == "csv":
        return _file(request, "csv", "matrix", lambda: export.grid_csv(counts(), row_title="City"))
    if view.query.export == "json":
        return _file(
            request,
            "json",
            "matrix",
            lambda: export.grid_json(counts(), view="matrix", filters=view.filters),
        )

    def results() -> dict[str, Any]:
        grid = counts()
        return {
            **_heatmap(grid),
            "hrefs": view.links.city_topic_cells(grid),
            "total_hrefs": view.links.total_topic_cells(grid),
            "export_url": view.links.view("/trends/matrix"),
            "page_url": lambda n: view.links.view("/trends/matrix", page=str(n)),
        }

    return _respond(request, session, view, "matrix", "trends/matrix.html", results)


@router.get("/topics/{slug}")
def topic_page(request: Request, session: SessionDep, viewer: CurrentViewer, slug: str) -> Response:
    topic = _topic(session, slug)
    view = _view(request, session, viewer)

    def counts() -> service.Grid:
        return service.topic_city_grid(
            session,
            filters=view.filters,
            scope=view.scope,
            topic=topic,
            cities=view.cities,
            page=None if view.query.export else view.query.page,
        )

    if view.query.export == "csv":
        return _file(
            request, "csv", topic.slug, lambda: export.grid_csv(counts(), row_title="City")
        )
    if view.query.export == "json":
        return _file(
            request,
            "json",
            topic.slug,
            lambda: export.grid_json(
                counts(), view="topic", filters=view.filters, topic=topic.slug
            ),
        )

    def results() -> dict[str, Any]:
        grid = counts()
        total_chart, charts = small_multiples(grid)
        return {
            "grid": grid,
            "levels": levels(grid.values, grid.peak),
            "hrefs": view.links.city_month_cells(grid, topic=topic.slug),
            "charts": charts,
            "total_chart": total_chart,
            "total_hrefs": view.links.total_month_cells(grid, topic.slug),
            "export_url": view.links.topic(topic.slug),
            "page_url": lambda n: view.links.topic(topic.slug, page=str(n)),
        }

    return _respond(request, session, view, "topic", "trends/topic.html", results, topic=topic)


@router.get("/evidence")
def evidence(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    topic = _topic(session, request.query_params.get("topic", "").strip()[:80])
    view = _view(request, session, viewer, strict=True)
    base = str(request.base_url).rstrip("/")
    if view.query.export is not None:
        everything = find_evidence(
            session, viewer=viewer, topic=topic, filters=view.filters, page_size=5000
        )
        if view.query.export == "csv":
            return _file(
                request,
                "csv",
                f"evidence-{topic.slug}",
                lambda: export.evidence_csv(everything, base_url=base),
            )
        return _file(
            request,
            "json",
            f"evidence-{topic.slug}",
            lambda: export.evidence_json(everything, filters=view.filters, base_url=base),
        )
    found = find_evidence(
        session, viewer=viewer, topic=topic, filters=view.filters, page=view.query.page
    )
    context = view.context(
        "evidence", topic=topic, evidence=found, export_url=view.links.evidence(topic.slug)
    )
    return render_page_or_block(request, "trends/evidence.html", context, block="trend_results")
