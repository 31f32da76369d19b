"""The liaison reviews what the software found in her minutes, clicked through in Chromium:
save the minutes, see the proposals, confirm a topic, reject another, and make a follow-up of
an action item. axe-core checks the page at each stage."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, sign_in

MINUTES = """\
Brooklyn Park Multicultural Advisory Committee

1. Call to order
Chair Farah called the meeting to order at 6:32 pm.

2. Speeding near Centennial Elementary
Residents on 66th Street say drivers race through the crosswalk at Centennial Elementary at \
pickup time, and a child was nearly hit last week. Members asked for more patrols during school \
hours.
Lt. Okafor will bring stop data to the next meeting.

3. Interpreters at the front desk
A member said families who speak Somali or Karen cannot report a crime at the front desk \
because no interpreter is available after 5 pm.

4. Announcements
National Night Out is on August 4; a sign-up sheet for block parties went around.

5. Adjournment
The meeting adjourned at 7:55 pm.
"""
ACTION = "Lt. Okafor will bring stop data to the next meeting."


def chip(page: Page, name: str):  # type: ignore[no-untyped-def]
    """The topic chip of the review panel that starts with the topic's name."""
    return page.locator("#minutes-review .review-chip").filter(
        has_text=re.compile(rf"^\s*{re.escape(name)}")
    )


def test_liaison_reviews_the_proposals_of_the_minutes_she_saved(page: Page) -> None:
    sign_in(page, "liaison@example.org")
    missing = page.locator("section").filter(
        has=page.get_by_role("heading", name="Meetings still missing minutes")
    )
    missing.locator("a[href^='/meetings/']").first.click()
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    page.get_by_role("link", name="Open minutes").click()
    review = page.locator("#minutes-review")
    expect(review).to_contain_text("No topics found.")

    page.get_by_label("Minutes text").fill(MINUTES)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#minutes-editor")).to_contain_text("Saved as revision 1.")

    # The analysis ran while saving: its proposals replace the empty panel without a reload.
    for name in ("Traffic safety", "Language access", "Community events"):
        expect(chip(page, name)).to_contain_text("proposed")
    expect(review.locator(".review-evidence mark").first).to_be_visible()
    expect(review.locator(".review-concern").first).to_contain_text("crosswalk")
    action = review.locator(".review-action").filter(has_text=ACTION)
    expect(action).to_contain_text("owner: Lt. Okafor")
    check_accessibility(page)

    page.get_by_role("button", name="Confirm the topic Traffic safety").click()
    expect(review.get_by_role("status")).to_have_text("Confirmed the topic Traffic safety.")
    expect(chip(page, "Traffic safety")).to_contain_text("confirmed")
    expect(page.get_by_role("button", name="Confirm the topic Traffic safety")).to_have_count(0)

    # A passing announcement is not what the meeting discussed.
    page.get_by_role("button", name="Reject the topic Community events").click()
    expect(review.get_by_role("status")).to_have_text("Rejected the topic Community events.")
    expect(chip(page, "Community events")).to_contain_text("rejected")
    expect(review.locator("mark[title='Evidence for Community events']")).to_have_count(0)
    expect(chip(page, "Language access")).to_contain_text("proposed")

    action.get_by_role("button", name="Make a follow-up").click()
    expect(review.get_by_role("status")).to_have_text(f"Follow-up created: {ACTION}")
    expect(action.locator(".badge")).to_have_text(f"Follow-up: {ACTION}")
    expect(action.get_by_role("button")).to_have_count(0)
    check_accessibility(page)

    # A concern's wording left blank: the form says so and keeps the ticked topics.
    concern = review.locator(".review-concern").filter(has_text="crosswalk")
    concern.get_by_text("Edit").click()
    concern.get_by_label("Concern").fill("   ")
    concern.get_by_label("Community trust").check()
    concern.get_by_role("button", name="Save the concern").click()
    expect(concern.locator(".field-error")).to_have_text("Write the concern, or reject it instead.")
    expect(concern.get_by_label("Community trust")).to_be_checked()
    check_accessibility(page)
    concern.get_by_label("Concern").fill("Drivers speed through the Centennial crosswalk")
    concern.get_by_role("button", name="Save the concern").click()
    expect(review.get_by_role("status")).to_have_text("Saved the concern.")
    saved = review.locator(".review-concern").filter(has_text="Centennial crosswalk")
    expect(saved).to_contain_text("(confirmed;")
    expect(saved).to_contain_text("Community trust")

    # All of it was stored: a fresh load of the page shows the same review.
    page.reload()
    expect(chip(page, "Traffic safety")).to_contain_text("confirmed")
    expect(chip(page, "Community events")).to_contain_text("rejected")
    expect(action).to_contain_text("converted")
    expect(action.locator(".badge")).to_have_text(f"Follow-up: {ACTION}")
