"""The trends dashboard on the demo data, in Chromium with axe-core on each page: filter, open a
cell's evidence, the other views; a liaison's drill-down shows only her cities' meetings."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, screenshot, sign_in

LIAISON_CITY_NAMES = {"Brooklyn Park", "Richfield", "St. Louis Park"}


def test_county_staff_filters_the_dashboard_and_opens_the_evidence_of_a_cell(page: Page) -> None:
    sign_in(page, "county@example.org")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Trends").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trends")
    expect(page.locator("#heatmap-h")).to_contain_text("County total")
    expect(page.locator("#heatmap")).to_be_visible()
    expect(page.locator("#signals-h")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "trends-dashboard")

    # Filtering swaps the results in place and puts the filters in the address (bookmarkable).
    page.get_by_label(re.compile("^Cities")).select_option(label="Richfield")
    expect(page).to_have_url(re.compile(r"city=richfield"))
    expect(page.locator("#heatmap-h")).to_contain_text("Richfield")
    counted = page.locator("#heatmap-table tbody td a").first
    expect(counted).to_be_visible()
    number = int(counted.inner_text())
    counted.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Richfield")
    items = page.locator(".evidence-list > li")
    expect(items).to_have_count(min(number, 20))
    for city in items.evaluate_all("items => items.map(i => i.dataset.city)"):
        assert city == "richfield"
    expect(page.locator(".evidence-list mark").first).to_be_visible()
    check_accessibility(page)
    screenshot(page, "trends-evidence")

    page.goto("/trends/matrix")
    expect(page.locator("#matrix-table tfoot")).to_contain_text("County total")
    check_accessibility(page)
    screenshot(page, "trends-matrix")

    page.locator("#matrix-table thead a").first.click()
    expect(page.locator("#bars-county")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "trends-topic")


def test_a_liaison_drills_into_the_county_total_and_sees_only_her_cities(page: Page) -> None:
    sign_in(page, "liaison@example.org")
    page.goto("/trends")
    offered = page.locator("#f-city option").all_inner_texts()
    assert set(offered) == LIAISON_CITY_NAMES
    expect(page.locator("#heatmap-h")).to_contain_text("County total")
    check_accessibility(page)
    busiest = page.locator("#heatmap-table tbody tr").evaluate_all(
        """rows => rows.map(r => [r.dataset.row, Number(r.lastElementChild.textContent)])
                       .sort((a, b) => b[1] - a[1])[0][0]"""
    )
    page.locator(f"#heatmap-table tr[data-row='{busiest}'] th a").click()  # the topic's page
    expect(page.locator("#bars-county")).to_be_visible()
    cities = page.locator(".multiple[data-row] h3").all_inner_texts()
    assert set(cities) <= LIAISON_CITY_NAMES
    page.locator(".multiple--total h3 a").click()  # the county's evidence over the period
    expect(page.get_by_role("heading", level=1)).to_contain_text("County total")
    shown = page.locator(".evidence-list > li h2").all_inner_texts()
    assert shown, "her cities raised the county's busiest topic"
    for title in shown:
        assert any(city in title for city in LIAISON_CITY_NAMES), title
    check_accessibility(page)
