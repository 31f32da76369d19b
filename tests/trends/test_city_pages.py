"""The matrix and the topic page at state scale: a page of cities at a time, the busiest first,
with links to the others; their downloads hold every city."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from jcpp.trends import service
from tests.trends.dashboard_data import Trends, fixed_clock, trends
from tests.trends.test_routes import rows_of
from tests.web import WebClient, soup

__all__ = ["fixed_clock", "trends"]


@pytest.fixture
def one_city_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "CITY_ROWS", 1)


def shown(page: BeautifulSoup, table: str) -> list[str]:
    return [str(tr["data-row"]) for tr in page.select(f"#{table} tbody tr[data-row]")]


@pytest.mark.parametrize(
    ("path", "table"),
    [("/trends/matrix", "matrix-table"), ("/trends/topics/traffic-safety", "topic-table")],
)
def test_cities_come_a_page_at_a_time_the_busiest_first(
    client: WebClient, trends: Trends, one_city_a_page: None, path: str, table: str
) -> None:
    trends.world.sign_in(client, "county_staff")
    both = f"city={trends.crystal}&city={trends.richfield}&from=2043-01&to=2043-03"
    first = soup(client.get(f"{path}?{both}"))
    assert shown(first, table) == [trends.richfield]  # 3 meetings against Crystal's 1
    pager = first.select_one("nav.trend-pager")
    assert pager is not None and "Cities 1–1 of 2 (page 1 of 2)" in pager.get_text()
    assert pager.select_one("a[rel=prev]") is None
    following = str(pager.select_one("a[rel=next]")["href"])
    assert f"city={trends.crystal}" in following and "from=2043-01" in following
    assert following.endswith("page=2")
    second = soup(client.get(following))
    assert shown(second, table) == [trends.crystal]
    assert second.select_one("nav.trend-pager a[rel=next]") is None
    back = second.select_one("nav.trend-pager a[rel=prev]")
    assert back is not None and str(back["href"]).endswith("page=1")
    # The county total is on every page; a page past the last shows the last.
    assert second.select_one(f"#{table} tfoot tr[data-row='county']") is not None
    assert shown(soup(client.get(f"{path}?{both}&page=99")), table) == [trends.crystal]

    # The downloads hold every city, busiest first, whatever the page.
    rows = rows_of(client.get(f"{path}?{both}&page=2&format=csv"))
    names = [trends.world.city.name, trends.world.other_city.name, "County total"]
    assert [row[0] for row in rows[1:]] == names
    data = json.loads(client.get(f"{path}?{both}&page=2&format=json").content)
    assert [row["key"] for row in data["rows"]] == [trends.richfield, trends.crystal]


def test_one_page_of_cities_has_no_pager(client: WebClient, trends: Trends) -> None:
    trends.world.sign_in(client, "liaison")
    page = soup(client.get("/trends/matrix"))
    assert shown(page, "matrix-table") == [trends.richfield]
    assert page.select_one("nav.trend-pager") is None
