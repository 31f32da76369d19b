"""Public pages clicked through in Chromium: an admin turns a committee's public pages on, the
liaison publishes minutes naming residents, reviews the names (the chair kept, a resident the
software missed added) and shows them; then a visitor who never signed in reads the page
without the residents' names. axe-core checks each page; screenshots for the README."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import check_accessibility, screenshot, sign_in


def roster_names(page: Page, role: str) -> list[str]:
    """The names serving now in a role, as the admin's committee page lists them."""
    rows = (
        page.locator("#roster table")
        .first.locator("tbody tr")
        .filter(has=page.locator(f".badge--role-{role}"))
    )
    return [
        str(row.locator("th").evaluate("th => th.childNodes[0].textContent.trim()"))
        for row in rows.all()
    ]


def test_liaison_reviews_names_and_a_visitor_reads_minutes_without_residents(
    page: Page, browser: Browser, browser_context_args: dict[str, Any]
) -> None:
    sign_in(page, "liaison@example.org")
    missing = page.locator("section").filter(
        has=page.get_by_role("heading", name="Meetings still missing minutes")
    )
    missing.locator("a[href^='/meetings/']").first.click()
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    meeting_url = page.url
    committee_href = page.locator("main a[href^='/committees/']").first.get_attribute("href")
    assert committee_href is not None
    committee_id = committee_href.rsplit("/", 1)[-1]

    # The admin turns the committee's public pages on and reads its roster.
    admin_context = browser.new_context(**browser_context_args)
    admin = admin_context.new_page()
    sign_in(admin, "admin@example.org")
    admin.goto(f"/admin/committees/{committee_id}")
    chair = roster_names(admin, "chair")[0]
    chair_words = {word.lower() for word in chair.split()}
    resident = next(
        name
        for name in roster_names(admin, "member")
        if not chair_words & {word.lower() for word in name.split()}
    )
    slug = admin.locator("dl.kv code").inner_text()
    admin.get_by_role("button", name="Turn public pages on").click()
    expect(admin.get_by_text("are on.")).to_be_visible()
    expect(admin.get_by_role("button", name="Turn public pages off")).to_be_visible()
    admin_context.close()

    # The liaison writes, approves and publishes minutes that name them.
    minutes = (
        f"{chair} called the meeting to order.\n\n"
        f"{resident} said drivers race past the school at pickup time.\n"
        "Sgt. Quarshie will bring stop data to the next meeting.\n\n"
        "Ms. Gonzalez, a guest, asked about interpreters. Dwayne from the block club agreed.\n"
    )
    page.goto(meeting_url + "/minutes")
    page.get_by_label("Minutes text").fill(minutes)
    page.get_by_role("button", name="Save", exact=True).click()
    # Saving analyses the minutes in the request (the first analysis of a process takes longest).
    expect(page.locator("#minutes-editor")).to_contain_text("Saved as revision 1.", timeout=60_000)
    page.get_by_role("button", name="Mark revision 1 approved").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#minutes-summary")).to_contain_text("Published.")

    page.get_by_role("link", name="Public page: review the names").click()
    expect(
        page.get_by_role("heading", name=re.compile("Names for the public page"))
    ).to_be_visible()
    expect(page.get_by_label(f"Hide {resident}")).to_be_checked()
    expect(page.get_by_label(f"Hide {chair}")).not_to_be_checked()
    expect(page.get_by_label("Hide Sgt. Quarshie")).not_to_be_checked()
    expect(page.get_by_label("Hide Ms. Gonzalez")).to_be_checked()
    check_accessibility(page)
    page.get_by_label("Also hide these names").fill("Dwayne")
    screenshot(page, "public-review")
    page.get_by_role("button", name="Save and show on the public page").click()
    expect(page.locator("main [role=status]")).to_contain_text("Saved.")
    expect(page.locator("#public-state-h + p")).to_contain_text("Residents see revision 1")
    check_accessibility(page)

    # A visitor who never signed in.
    visitor_context = browser.new_context(**browser_context_args)
    visitor = visitor_context.new_page()
    visitor.goto(f"/public/{slug}")
    check_accessibility(visitor)
    visitor.locator(f"a[href$='/meetings/{meeting_url.rsplit('/', 1)[-1]}']").click()
    minutes_body = visitor.locator(".minutes-body")
    expect(minutes_body).to_contain_text(f"{chair} called the meeting to order.")
    expect(minutes_body).to_contain_text("Sgt. Quarshie will bring stop data")
    expect(minutes_body).to_contain_text("[resident] said drivers race past")
    text = visitor.locator("body").inner_text()
    for word in [*resident.split(), "Gonzalez", "Dwayne"]:
        assert re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE) is None, word
    expect(visitor.locator("nav.site-nav")).to_have_count(0)
    assert visitor_context.cookies() == []
    check_accessibility(visitor)
    screenshot(visitor, "public-meeting")
    visitor_context.close()
