"""The other roles sign in and see what they may, in Chromium, with axe-core on each page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, check_accessibility, screenshot, sign_in


def test_county_staff_sees_every_city_and_the_audit_log_but_cannot_edit(page: Page) -> None:
    sign_in(page, "county@example.org")
    cities = page.get_by_role("table", name=re.compile("last held meeting"))
    for city in ("Bloomington", "Crystal", "St. Louis Park"):
        expect(cities).to_contain_text(city)
    check_accessibility(page)
    screenshot(page, "home-county-staff")

    page.get_by_role("link", name="Committees", exact=True).click()
    page.get_by_role("link", name="Edina Multicultural Advisory Committee").first.click()
    expect(page.get_by_role("button", name="Schedule the next meetings")).to_have_count(0)
    page.locator("#meeting-list a[href^='/meetings/']").first.click()
    expect(page.get_by_role("button", name="Save attendance")).to_have_count(0)
    check_accessibility(page)

    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(page.locator("#audit-results")).to_contain_text("sign in")
    check_accessibility(page)
    screenshot(page, "audit-log")
    # Other browser tests write to the same log, so look the demo load up by its action.
    page.get_by_label("Action").select_option("load_demo")
    expect(page.locator("#audit-results")).to_contain_text("load demo")
    expect(page).to_have_url(re.compile(r"action=load_demo"))


def test_member_reads_his_committee_only(page: Page) -> None:
    sign_in(page, "member@example.org")
    check_accessibility(page)
    page.get_by_role("link", name="Committees", exact=True).click()
    expect(page.locator("main")).to_contain_text("Richfield")
    expect(page.locator("main")).not_to_contain_text("Bloomington")
    page.get_by_role("link", name="Richfield Multicultural Advisory Committee").first.click()
    page.wait_for_url(re.compile(r"/committees/\d+$"))  # axe needs the new page, loaded
    check_accessibility(page)
    screenshot(page, "committee-member")
    # The list follows the filter as it changes (htmx); the Filter button is for pages without
    # script. A click while the list is being replaced would land on a link already gone.
    page.get_by_label("Status").select_option("held")
    expect(page).to_have_url(re.compile(r"status=held"))
    meetings = page.locator("#meeting-list")
    expect(meetings).to_contain_text("match these filters")
    expect(page.locator("#meeting-filters.htmx-request")).to_have_count(0)
    meetings.locator("a[href^='/meetings/']").nth(2).click()
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    page.get_by_role("link", name="Open minutes").click()
    expect(page.locator(".minutes-body").first).not_to_be_empty()
    expect(page.get_by_label("Minutes text")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "minutes-member")


def test_admin_creates_a_liaison_who_can_then_sign_in(page: Page) -> None:
    sign_in(page, "admin@example.org")
    page.get_by_role("link", name="Admin").click()
    page.wait_for_url(re.compile(r"/admin$"))
    check_accessibility(page)
    page.goto("/admin/users")
    form = page.locator("#add-user form")
    form.get_by_label("Name").fill("Farhiya Abdi")
    form.get_by_label("E-mail").fill("farhiya.abdi@example.org")
    form.get_by_label("Community liaison").check()
    form.get_by_role("group", name=re.compile("^Cities")).get_by_label("Hopkins").check()
    form.get_by_label("First password").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="Create account").click()
    expect(page.locator("main")).to_contain_text("farhiya.abdi@example.org")
    check_accessibility(page)
    screenshot(page, "admin-users")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "farhiya.abdi@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Farhiya")
    page.get_by_role("link", name="Committees", exact=True).click()
    expect(page.locator("main")).to_contain_text("Hopkins")
    expect(page.locator("main")).not_to_contain_text("Richfield")
