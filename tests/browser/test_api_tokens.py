"""A liaison makes an API token in Chromium, reads her city's meetings with it, and revokes it;
axe-core checks the page; the screenshot is docs/screenshots/api-tokens.png."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from jcpp.demo.catalogue import LIAISON_CITIES
from tests.browser.conftest import check_accessibility, screenshot, sign_in


def test_a_liaison_makes_uses_and_revokes_an_api_token(page: Page) -> None:
    sign_in(page, "liaison@example.org")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("You have no API tokens yet.")).to_be_visible()
    check_accessibility(page)

    page.get_by_label("Name").fill("County data warehouse")
    page.get_by_role("button", name="Make token").click()
    expect(
        page.get_by_role("heading", name="Your new token “County data warehouse”")
    ).to_be_visible()
    raw = page.get_by_role("textbox", name="Token", exact=True).input_value()
    assert raw.startswith("jcpp_")
    row = page.locator("tbody tr", has_text="County data warehouse")
    expect(row).to_contain_text("active")
    expect(row).to_contain_text("never")
    check_accessibility(page)
    screenshot(page, "api-tokens")

    headers = {"Authorization": f"Bearer {raw}"}
    cities = page.request.get("/api/v1/cities", headers=headers).json()["items"]
    assert {city["slug"] for city in cities} == set(LIAISON_CITIES)  # her cities only
    meetings = page.request.get("/api/v1/meetings?limit=200", headers=headers).json()["items"]
    assert meetings and {m["city_id"] for m in meetings} <= {city["id"] for city in cities}

    page.goto("/account/tokens")
    expect(page.get_by_role("textbox", name="Token", exact=True)).to_have_count(
        0
    )  # shown once only
    row.get_by_role("button", name="Revoke County data warehouse").click()
    expect(page.locator("p.alert[role=status]")).to_contain_text("The token is revoked")
    expect(row).to_contain_text("revoked")
    check_accessibility(page)
    assert page.request.get("/api/v1/cities", headers=headers).status == 401
