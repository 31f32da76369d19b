"""Search in the browser: from the header box to a result, filters updating in place (htmx)
with a bookmarkable URL, and a liaison finding only her cities' documents."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, screenshot, sign_in

LIAISON_CITIES = ("Brooklyn Park", "Richfield", "St. Louis Park")


def test_county_staff_searches_filters_and_opens_the_minutes(page: Page) -> None:
    sign_in(page, "county@example.org")
    box = page.get_by_role("search").get_by_label(
        "Search minutes, agendas, concerns and follow-ups"
    )
    box.fill("traffic stops")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=traffic\+stops"))
    results = page.locator("#search-results li.search-result")
    expect(results.first).to_be_visible()
    expect(results.first.locator("mark").first).to_have_text(
        re.compile("traffic|stops?", re.IGNORECASE)
    )
    check_accessibility(page)

    page.locator("#search-kind").select_option("minutes")
    expect(page).to_have_url(re.compile(r"kind=minutes"))
    page.locator("#search-sort").select_option("newest")
    expect(page).to_have_url(re.compile(r"sort=newest"))
    expect(results.first.locator(".badge")).to_have_text("Minutes")
    kinds = results.locator(".badge").all_inner_texts()
    assert kinds and set(kinds) == {"Minutes"}
    check_accessibility(page)
    screenshot(page, "search")

    # The city filter is typed: the list offers the cities holding what was typed.
    city = page.get_by_label("City")
    city.fill("rich")
    expect(page.locator("#search-city-options option")).to_have_count(1)
    expect(page.locator("#search-city-options option")).to_have_attribute("value", "Richfield")
    city.fill("Richfield")
    city.press("Enter")
    expect(page).to_have_url(re.compile(r"city=Richfield"))
    places = page.locator("#search-results .search-result__where")
    expect(places.first).to_have_text(re.compile("^Richfield"))
    assert all(p.startswith("Richfield") for p in places.all_inner_texts())
    check_accessibility(page)
    screenshot(page, "search-city")
    city.fill("")
    city.press("Enter")
    expect(page).not_to_have_url(re.compile(r"city=[^&]"))

    # The URL pushed into history is a full page of its own.
    page.reload()
    expect(page.locator("#search-kind")).to_have_value("minutes")
    expect(results.first).to_be_visible()
    results.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/minutes"))
    expect(page.locator(".minutes-body")).to_contain_text(re.compile("traffic", re.IGNORECASE))


def test_a_liaison_finds_only_her_cities(page: Page) -> None:
    sign_in(page, "liaison@example.org")
    page.goto("/search?q=traffic&sort=newest")
    places = page.locator("#search-results .search-result__where").all_inner_texts()
    assert places, "the liaison's cities have minutes about traffic"
    assert all(place.startswith(LIAISON_CITIES) for place in places), places
    check_accessibility(page)
