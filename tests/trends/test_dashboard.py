"""The dashboard's parts: the colour scale, chart geometry, the period and links of the filters,
highlighted evidence, and charts that say the same numbers as the tables next to them."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session, select
from starlette.datastructures import QueryParams

from jcpp.auth.permissions import load_viewer
from jcpp.models import Topic
from jcpp.trends.charts import DARK_INK, EMPTY, SCALE, heatmap, legend, level, levels, swatch
from jcpp.trends.evidence import find_evidence, highlight, month_span
from jcpp.trends.forms import Links, TrendQuery
from jcpp.trends.service import Grid, Label, TrendFilters, months_between
from tests.trends.dashboard_data import Trends, fixed_clock, trends
from tests.web import WebClient, soup

__all__ = ["fixed_clock", "trends"]


def contrast(one: str, other: str) -> float:
    def luminance(colour: str) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_levels_split_the_largest_count_in_fifths() -> None:
    assert [level(n, 10) for n in (0, 1, 2, 3, 4, 5, 9, 10)] == [0, 1, 1, 2, 2, 3, 5, 5]
    assert level(3, 0) == 0
    # Small counts stay light: one meeting of one is not the darkest colour.
    assert [level(n, 2) for n in (1, 2)] == [1, 2]
    assert swatch(0, 10) == (EMPTY, DARK_INK)
    assert swatch(10, 10)[0] == SCALE[-1]
    assert levels([[0, 5], [10, 1]], 10) == [[0, 3], [5, 1]]
    assert swatch(2, 2)[0] == SCALE[1]


def test_legend_names_the_counts_of_each_colour() -> None:
    assert [s.label for s in legend(10)] == ["0", "1–2", "3–4", "5–6", "7–8", "9–10"]
    assert [s.label for s in legend(12)] == ["0", "1–2", "3–4", "5–7", "8–9", "10–12"]
    assert [s.label for s in legend(2)] == ["0", "1", "2"]  # only the colours in use
    assert [s.label for s in legend(0)] == ["0"]


@pytest.mark.parametrize("value", range(0, 11))
def test_every_number_is_readable_on_its_colour(value: int) -> None:
    fill, ink = swatch(value, 10)
    assert contrast(fill, ink) >= 4.5


def test_heatmap_has_a_cell_per_count_in_reading_order() -> None:
    grid = Grid(
        rows=[Label("a", "Alpha"), Label("b", "Beta")],
        columns=[Label("2043-01", "Jan 2043"), Label("2043-02", "Feb 2043")],
        values=[[0, 4], [2, 1]],
    )
    chart = heatmap(grid)
    assert [cell.value for cell in chart.cells] == [0, 4, 2, 1]
    assert chart.cells[1].x > chart.cells[0].x and chart.cells[2].y > chart.cells[0].y
    assert [t.text for t in chart.row_labels] == ["Alpha", "Beta"]
    assert chart.cells[1].fill == SCALE[3] and chart.cells[0].fill == EMPTY  # 4 of at least 5


def test_highlight_marks_the_matched_words_and_merges_overlaps() -> None:
    passage = highlight("Speeding on Elm Street again.", [(0, 8), (12, 22), (15, 18)])
    assert passage.pieces == (
        ("Speeding", True),
        (" on ", False),
        ("Elm Street", True),
        (" again.", False),
    )
    assert highlight("Short.", [(3, 99)]).pieces == (("Sho", False), ("rt.", True))


def query(**params: str | list[str]) -> TrendQuery:
    items = [(k, v) for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs)]
    return TrendQuery.from_params(QueryParams(items))


TODAY = dt.date(2043, 3, 10)


def test_the_period_is_the_twelve_months_up_to_today_by_default() -> None:
    first, last, notes = query().period(TODAY)
    assert (first, last, notes) == (dt.date(2042, 4, 1), dt.date(2043, 3, 1), [])
    assert query(month="2043-01").period(TODAY)[:2] == (dt.date(2043, 1, 1),) * 2
    # Reversed months are read the right way round.
    assert query(**{"from": "2043-02", "to": "2042-11"}).period(TODAY)[:2] == (
        dt.date(2042, 11, 1),
        dt.date(2043, 2, 1),
    )
    first, last, notes = query(**{"from": "2000-01", "to": "2043-03"}).period(TODAY)
    assert len(months_between(first, last)) == 120 and last == dt.date(2043, 3, 1)
    assert notes == ["A view covers at most 120 months: showing the last 120."]
    assert "is not a month" in query(to="2043-13").period(TODAY)[2][0]


def test_drill_down_links_keep_the_filters_and_name_the_cell() -> None:
    filters = TrendFilters(
        first=dt.date(2042, 4, 1), last=dt.date(2043, 3, 1), confirmed_only=True, measure="concerns"
    )
    links = Links(filters)
    assert links.evidence("youth", month="2043-01") == (
        "/trends/evidence?topic=youth&month=2043-01&confirmed=1&measure=concerns"
    )
    assert links.evidence("youth", city="richfield") == (
        "/trends/evidence?topic=youth&city=richfield&from=2042-04&to=2043-03"
        "&confirmed=1&measure=concerns"
    )
    assert links.topic("youth").startswith("/trends/topics/youth?from=2042-04&to=2043-03")
    assert month_span(dt.date(2042, 11, 1), dt.date(2043, 2, 1)) == "Nov 2042 – Feb 2043"


def table_values(page: BeautifulSoup, table: str) -> list[int]:
    return [int(td.get_text(strip=True)) for td in page.select(f"#{table} tbody td[data-column]")]


@pytest.mark.parametrize("measure", ["meetings", "mentions", "concerns"])
def test_the_charts_say_the_same_numbers_as_their_tables(
    client: WebClient, trends: Trends, measure: str
) -> None:
    trends.world.sign_in(client, "county_staff")
    page = soup(client.get(f"/trends?measure={measure}"))
    in_chart = [int(a["data-value"]) for a in page.select("#heatmap .heatmap__cell")]
    assert in_chart == table_values(page, "heatmap-table") and sum(in_chart) > 0

    page = soup(client.get(f"/trends/matrix?measure={measure}"))
    in_chart = [int(a["data-value"]) for a in page.select("#matrix .heatmap__cell")]
    assert in_chart == table_values(page, "matrix-table") and sum(in_chart) > 0

    page = soup(client.get(f"/trends/topics/traffic-safety?measure={measure}"))
    for row in page.select("#topic-table tbody tr"):
        bars = [int(a["data-value"]) for a in page.select(f"#bars-{row['data-row']} .bars__bar")]
        assert bars == [int(td.get_text(strip=True)) for td in row.select("td[data-column]")]
    county = [int(a["data-value"]) for a in page.select("#bars-county .bars__bar")]
    total_row = page.select("#topic-table tfoot td[data-column]")
    assert county == [int(td.get_text(strip=True)) for td in total_row] and sum(county) > 0


def test_every_chart_is_an_image_with_a_title_and_text_labels(
    client: WebClient, trends: Trends
) -> None:
    trends.world.sign_in(client, "admin")
    for url, chart in (
        ("/trends", "#heatmap"),
        ("/trends/matrix", "#matrix"),
        ("/trends/topics/traffic-safety", "#bars-county"),
    ):
        svg = soup(client.get(url)).select_one(chart)
        assert svg is not None and svg["role"] == "img"
        title = svg.find("title")
        assert title is not None and title.get_text(strip=True)
        assert svg.select("text")  # numbers and labels are text, not only colour
        assert svg.select("a") == []  # an image holds no links: the table next to it does


def test_the_drill_down_comes_in_pages_newest_first(session: Session, trends: Trends) -> None:
    admin = load_viewer(session, trends.world.users["admin"])
    topic = session.exec(select(Topic).where(Topic.slug == "traffic-safety")).one()
    filters = TrendFilters(first=dt.date(2043, 1, 1), last=dt.date(2043, 2, 1))
    pages = [
        find_evidence(session, viewer=admin, topic=topic, filters=filters, page=n, page_size=2)
        for n in (1, 2, 9)
    ]
    assert [(p.shown, p.counted, p.pages, p.page) for p in pages] == [
        (3, 3, 2, 1),
        (3, 3, 2, 2),
        (3, 3, 2, 2),  # past the last page: the last page
    ]
    order = [row.meeting.id for p in pages[:2] for row in p.meetings]
    assert order == [trends.richfield_feb.id, trends.crystal_jan.id, trends.richfield_jan.id]
