"""The trends pages over HTTP: who sees which numbers, filters, drill-down, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from bs4 import BeautifulSoup, Tag
from sqlmodel import Session

from jcpp.analysis import review
from jcpp.auth.permissions import load_viewer
from tests.analysis.helpers import slug_id
from tests.factories import create_committee
from tests.trends.dashboard_data import WORRY, Trends, analysed, fixed_clock, trends
from tests.web import WebClient, soup

__all__ = ["fixed_clock", "trends"]

SIGNED_IN = ("admin", "county_staff", "liaison", "member")


def cell(page: BeautifulSoup, table: str, row: str, column: str) -> str:
    """The text of a table cell, by the row's key and the column's key."""
    found = page.select_one(f"#{table} tr[data-row='{row}'] td[data-column='{column}']")
    assert found is not None, f"no cell {row} × {column} in #{table}"
    return found.get_text(strip=True)


def city_choices(page: BeautifulSoup) -> list[str]:
    return [str(option["value"]) for option in page.select("#f-city option")]


@pytest.mark.parametrize("role", SIGNED_IN)
def test_dashboard_shows_the_county_total_to_every_role(
    client: WebClient, trends: Trends, role: str
) -> None:
    trends.world.sign_in(client, role)
    page = soup(client.get("/trends"))
    # Traffic safety in January: Richfield's meeting and Crystal's.
    assert cell(page, "heatmap-table", "traffic-safety", "2043-01") == "2"
    assert cell(page, "heatmap-table", "traffic-safety", "2043-02") == "1"
    assert cell(page, "heatmap-table", "language-access", "2043-01") == "1"
    columns = [th.get_text(strip=True) for th in page.select("#heatmap-table thead th")]
    assert columns[1] == "Apr 2042" and columns[-2] == "Mar 2043"  # the 12 months to today
    assert page.select_one("#heatmap") is not None  # the chart next to the table
    choices = city_choices(page)
    if role in ("admin", "county_staff"):
        assert {trends.richfield, trends.crystal} <= set(choices)
    else:
        assert choices == [trends.richfield]


def test_htmx_gets_the_results_alone(client: WebClient, trends: Trends) -> None:
    trends.world.sign_in(client, "liaison")
    url = f"/trends?city={trends.richfield}"
    response = client.htmx_get(url)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    part = soup(response)
    assert part.select_one("html") is None and part.select_one("#trend-filters") is None
    root = part.find(True)
    assert isinstance(root, Tag) and root.get("id") == "trend-results"
    assert cell(part, "heatmap-table", "traffic-safety", "2043-01") == "1"
    page = soup(client.get(url))  # the pushed URL opens as a full page
    assert page.select_one("#trend-filters") is not None
    assert cell(page, "heatmap-table", "traffic-safety", "2043-01") == "1"


def test_anonymous_visitors_are_sent_to_sign_in(client: WebClient, trends: Trends) -> None:
    urls = ("/trends", "/trends/matrix", "/trends/topics/youth", "/trends/evidence?topic=youth")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


def test_filters_choose_cities_topics_measure_period_and_confirmed(
    client: WebClient, session: Session, trends: Trends
) -> None:
    trends.world.sign_in(client, "county_staff")
    url = f"/trends?city={trends.crystal}&from=2042-12&to=2043-02"
    page = soup(client.get(url))
    assert cell(page, "heatmap-table", "traffic-safety", "2043-01") == "1"
    assert cell(page, "heatmap-table", "traffic-safety", "2043-02") == "0"
    months = [
        td["data-column"]
        for td in page.select("#heatmap-table tr[data-row='youth'] td[data-column]")
    ]
    assert months == ["2042-12", "2043-01", "2043-02"]
    assert trends.world.other_city.name in page.select_one("#heatmap-h").get_text()

    page = soup(
        client.get(f"/trends?city={trends.richfield}&topic=traffic-safety&measure=mentions")
    )
    assert [tr["data-row"] for tr in page.select("#heatmap-table tbody tr")] == ["traffic-safety"]
    assert cell(page, "heatmap-table", "traffic-safety", "2043-01") == "2"  # two sentences
    page = soup(client.get("/trends?measure=concerns"))
    assert cell(page, "heatmap-table", "traffic-safety", "2043-01") == "1"

    page = soup(client.get("/trends?confirmed=1"))
    assert cell(page, "heatmap-table", "traffic-safety", "2043-01") == "0"
    liaison = load_viewer(session, trends.world.users["liaison"])
    traffic = slug_id(session, "traffic-safety")
    review.confirm_topic(session, trends.richfield_jan.id or 0, traffic, by=liaison)
    session.commit()
    page = soup(client.get("/trends?confirmed=1"))
    assert cell(page, "heatmap-table", "traffic-safety", "2043-01") == "1"
    assert page.select_one("input[name=confirmed]").has_attr("checked")


def test_what_cannot_be_meant_is_left_out_with_a_note(client: WebClient, trends: Trends) -> None:
    trends.world.sign_in(client, "liaison")
    page = soup(client.get(f"/trends?city={trends.crystal}&from=soon&topic=nope"))
    notes = " ".join(p.get_text() for p in page.select(".trend-note"))
    assert "not yours to see" in notes and "“soon” is not a month" in notes
    assert "not on the topic list" in notes
    # Crystal is not hers: the county total is shown, and Crystal is not offered.
    assert "County total" in page.select_one("#heatmap-h").get_text()
    assert cell(page, "heatmap-table", "traffic-safety", "2043-01") == "2"
    assert trends.crystal not in city_choices(page)


def matrix_rows(page: BeautifulSoup) -> list[str]:
    return [str(tr["data-row"]) for tr in page.select("#matrix-table tr[data-row]")]


@pytest.mark.parametrize("role", SIGNED_IN)
def test_matrix_shows_the_viewer_s_cities_and_the_county_total(
    client: WebClient, trends: Trends, role: str
) -> None:
    trends.world.sign_in(client, role)
    response = client.get("/trends/matrix")
    assert response.status_code == 200
    page = soup(response)
    rows = matrix_rows(page)
    if role in ("admin", "county_staff"):
        assert {trends.richfield, trends.crystal, "county"} <= set(rows)
    else:
        assert rows == [trends.richfield, "county"]
    assert cell(page, "matrix-table", trends.richfield, "traffic-safety") == "2"
    assert cell(page, "matrix-table", "county", "traffic-safety") == "3"
    part = soup(client.htmx_get("/trends/matrix"))
    assert part.select_one("#trend-filters") is None and matrix_rows(part) == rows


@pytest.mark.parametrize("role", SIGNED_IN)
def test_topic_page_draws_a_chart_per_city_with_the_county_total(
    client: WebClient, trends: Trends, role: str
) -> None:
    trends.world.sign_in(client, role)
    page = soup(client.get("/trends/topics/traffic-safety"))
    rows = [str(li["data-row"]) for li in page.select(".multiple[data-row]")]
    if role in ("admin", "county_staff"):
        assert rows[:2] == [trends.richfield, trends.crystal]  # the busiest first
    else:
        assert rows == [trends.richfield]
    richfield = [int(a["data-value"]) for a in page.select(f"#bars-{trends.richfield} .bars__bar")]
    assert richfield[-3:] == [1, 1, 0]  # Jan, Feb, Mar
    county = [int(a["data-value"]) for a in page.select("#bars-county .bars__bar")]
    assert county[-3:] == [2, 1, 0]
    assert cell(page, "topic-table", "county", "2043-01") == "2"
    assert cell(page, "topic-table", trends.richfield, "2043-02") == "1"
    part = soup(client.htmx_get("/trends/topics/traffic-safety"))
    assert part.select_one("#trend-filters") is None and part.select_one("#bars-county")


def test_an_unknown_topic_is_not_found(client: WebClient, trends: Trends) -> None:
    trends.world.sign_in(client, "admin")
    assert client.get("/trends/topics/no-such-topic").status_code == 404
    assert client.get("/trends/evidence?topic=no-such-topic").status_code == 404


def evidence_cities(page: BeautifulSoup) -> list[str]:
    return [str(li["data-city"]) for li in page.select(".evidence-list > li")]


def test_drill_down_lists_only_meetings_the_viewer_may_open(
    client: WebClient, trends: Trends
) -> None:
    url = "/trends/evidence?topic=traffic-safety&month=2043-01"
    trends.world.sign_in(client, "liaison")
    page = soup(client.get(url))
    assert evidence_cities(page) == [trends.richfield]
    assert "1 more meeting of committees you do not follow" in page.get_text(" ", strip=True)
    assert "racing" not in page.get_text()  # Crystal's sentence never reaches her
    marks = [mark.get_text() for mark in page.select(".evidence-list mark")]
    assert marks == ["speeding on Elm Street", "speeding near the school"]
    assert page.select_one(".evidence__concerns li").get_text() == WORRY

    member_other = WebClient(client.app)
    with member_other:
        trends.world.sign_in(member_other, "member_other")
        page = soup(member_other.get(url))
        assert evidence_cities(page) == [trends.crystal]


def test_drill_down_into_another_city_is_not_found(client: WebClient, trends: Trends) -> None:
    trends.world.sign_in(client, "liaison")
    url = f"/trends/evidence?topic=traffic-safety&city={trends.crystal}&month=2043-01"
    assert client.get(url).status_code == 404
    assert client.get(url + "&format=csv").status_code == 404
    other = f"/trends/evidence?topic=traffic-safety&city={trends.richfield}&month=2043-01"
    assert evidence_cities(soup(client.get(other))) == [trends.richfield]


def test_drill_down_shows_the_minutes_words_escaped(client: WebClient, trends: Trends) -> None:
    trends.world.sign_in(client, "admin")
    url = f"/trends/evidence?topic=traffic-safety&city={trends.crystal}&month=2043-01"
    response = client.get(url)
    assert "<b>speeding</b>" not in response.text
    page = soup(response)
    assert evidence_cities(page) == [trends.crystal]
    assert page.select_one(".evidence-list mark").get_text() == "<b>speeding</b> & racing"
    assert page.select_one(".evidence-list b") is None
    part = soup(client.htmx_get(url))
    assert part.select_one("h1") is None and evidence_cities(part) == [trends.crystal]


def test_every_heatmap_cell_links_to_its_drill_down(client: WebClient, trends: Trends) -> None:
    trends.world.sign_in(client, "county_staff")
    page = soup(client.get("/trends"))
    link = page.select_one(
        "#heatmap-table tr[data-row='traffic-safety'] td[data-column='2043-01'] a"
    )
    assert link is not None
    drill = soup(client.get(str(link["href"])))
    assert sorted(evidence_cities(drill)) == sorted([trends.richfield, trends.crystal])
    # The table takes the chart's colours (2 meetings: the second step).
    td = link.parent
    assert td is not None and "level-2" in td["class"]
    chart_cells = page.select("#heatmap .heatmap__cell rect")
    assert chart_cells[0]["fill"] == "#f1f5f9"  # the first topic in Apr 2042: none, pale grey


def rows_of(response: object) -> list[list[str]]:
    content = response.content  # type: ignore[attr-defined]
    assert content.startswith(b"\xef\xbb\xbf")  # a byte-order mark, for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_every_view_exports_csv_and_json_with_the_same_filters(
    client: WebClient, trends: Trends
) -> None:
    trends.world.sign_in(client, "liaison")
    period = "from=2043-01&to=2043-03"
    response = client.get(f"/trends?{period}&format=csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = rows_of(response)
    assert rows[0] == ["Topic", "Jan 2043", "Feb 2043", "Mar 2043", "Total"]
    assert ["Traffic safety", "2", "1", "0", "3"] in rows

    data = json.loads(client.get(f"/trends?{period}&city={trends.richfield}&format=json").content)
    assert data["filters"]["cities"] == [trends.richfield]
    traffic = next(row for row in data["rows"] if row["key"] == "traffic-safety")
    assert traffic["values"] == [1, 1, 0]

    rows = rows_of(client.get(f"/trends/matrix?{period}&format=csv"))
    assert [row[0] for row in rows[1:]] == [trends.world.city.name, "County total"]
    data = json.loads(client.get(f"/trends/matrix?{period}&format=json").content)
    assert [row["key"] for row in data["rows"]] == [trends.richfield]
    assert data["county_total"][[c["key"] for c in data["columns"]].index("traffic-safety")] == 3

    rows = rows_of(client.get(f"/trends/topics/traffic-safety?{period}&format=csv"))
    assert rows[1] == [trends.world.city.name, "1", "1", "0", "2"]
    assert rows[2] == ["County total", "2", "1", "0", "3"]

    url = f"/trends/evidence?topic=traffic-safety&{period}"
    rows = rows_of(client.get(url + "&format=csv"))
    assert [row[1] for row in rows[1:]] == [trends.world.city.name] * 2  # hers only
    data = json.loads(client.get(url + "&format=json").content)
    assert data["meetings_shown"] == 2 and data["meetings_counted"] == 3
    assert data["meetings"][-1]["highlights"][0] == ["speeding on Elm Street"]


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_header_links_every_signed_in_user_to_trends(
    client: WebClient, trends: Trends, role: str
) -> None:
    trends.world.sign_in(client, role)
    nav = soup(client.get("/trends")).select_one("nav.site-nav")
    assert nav is not None and nav.select_one("a[href='/trends']")["aria-current"] == "page"
    home = soup(client.get("/")).select_one("nav.site-nav a[href='/trends']")
    assert home is not None and not home.has_attr("aria-current")


def test_a_member_drills_into_his_committees_meetings_only(
    client: WebClient, session: Session, trends: Trends
) -> None:
    # Another committee of Richfield, which the member does not sit on, raised it too.
    other = create_committee(session, city=trends.world.city, name="Richfield PAC")
    text = "Residents asked the commission about speeding trucks."
    analysed(session, other.id or 0, dt.date(2043, 1, 28), text, {"traffic-safety": ["speeding"]})
    trends.world.sign_in(client, "member")
    url = f"/trends/evidence?topic=traffic-safety&city={trends.richfield}&month=2043-01"
    page = soup(client.get(url))
    titles = [h2.get_text(" ", strip=True) for h2 in page.select(".evidence-list > li h2")]
    assert len(titles) == 1 and "Richfield MAC" in titles[0]
    assert "1 more meeting" in page.get_text(" ", strip=True)
    counted = soup(client.get(f"/trends?city={trends.richfield}"))  # the number counts both
    assert cell(counted, "heatmap-table", "traffic-safety", "2043-01") == "2"
