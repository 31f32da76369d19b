"""A liaison's month, clicked through in Chromium: schedule a meeting, take attendance, write the
minutes, save twice and read the history. axe-core checks every page on the way."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, screenshot, sign_in


def test_liaison_schedules_takes_attendance_writes_minutes_and_reads_history(page: Page) -> None:
    sign_in(page, "liaison@example.org")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, Hodan")
    expect(page.get_by_role("heading", name="Meetings still missing minutes")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "home-liaison")

    page.get_by_role("link", name="Committees", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Committees")
    check_accessibility(page)
    page.get_by_role("link", name="Richfield Multicultural Advisory Committee").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Richfield")
    check_accessibility(page)

    # Scheduling from the rule is idempotent: a second run creates nothing new.
    months = page.locator("#schedule-form").get_by_label("For the next")
    months.fill("6")
    page.get_by_role("button", name="Schedule the next meetings").click()
    expect(page.locator("#toasts")).to_contain_text(re.compile(r"Scheduled \d+ new meeting"))
    page.get_by_role("button", name="Schedule the next meetings").click()
    expect(page.locator("#toasts")).to_contain_text("No new meetings")

    # A meeting added by hand, last week, for the committee's special session.
    day = dt.date.today() - dt.timedelta(days=5)
    form = page.locator("#new-meeting-form")
    form.get_by_label("Date").fill(day.isoformat())
    form.get_by_label("Starts").fill("18:00")
    form.get_by_label("Ends").fill("19:30")
    form.get_by_label("Place").fill("Richfield Community Center, Room 2")
    form.get_by_role("button", name="Add meeting").click()
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    meeting_url = page.url
    expect(page.get_by_text("Richfield Community Center, Room 2").first).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Mark as held").click()
    expect(page.locator(".page-head .badge--held")).to_be_visible()

    attendance = page.locator("#attendance")
    people = attendance.locator("fieldset")
    expect(people.first).to_be_visible()
    count = people.count()
    for i in range(count):
        people.nth(i).get_by_label("Present").check()
    people.nth(count - 1).get_by_label("Excused").check()
    attendance.get_by_label("Guests", exact=False).first.fill("4")
    attendance.get_by_role("button", name="Save attendance").click()
    expect(page.locator("#attendance")).to_contain_text(f"{count - 1} present")
    expect(page.locator("#attendance")).to_contain_text("1 excused")

    agenda = page.locator("#agenda")
    agenda.get_by_label("Title").fill("Speeding on 66th Street near the school")
    agenda.get_by_label("Presenter").fill("Sgt. Lena Moua")
    agenda.get_by_role("button", name="Add to agenda").click()
    expect(page.locator("#agenda")).to_contain_text("Speeding on 66th Street near the school")
    check_accessibility(page)
    screenshot(page, "meeting-liaison")

    page.get_by_role("link", name="Open minutes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes")
    check_accessibility(page)
    first = (
        "## Call to order\n\nChair Farah opened the special session at 6:02 pm.\n\n"
        "## Traffic near the school\n\nResidents on 66th Street say cars speed past the school "
        "at pickup time. Sgt. Moua will bring speed data to the next meeting.\n"
    )
    page.get_by_label("Minutes text").fill(first)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#minutes-preview")).to_contain_text("Traffic near the school")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#minutes-editor")).to_contain_text("Editing from revision 1")

    second = first.replace("speed data", "speed data and the crash report")
    page.get_by_label("Minutes text").fill(second)
    page.get_by_label("What changed").fill("Added the crash report")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#minutes-editor")).to_contain_text("Editing from revision 2")
    page.reload()
    expect(page.locator(".minutes-body").first).to_contain_text("the crash report")

    page.get_by_role("link", name="History").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History of the minutes")
    expect(page.get_by_role("heading", name="2 revisions")).to_be_visible()
    expect(page.get_by_text("Added the crash report")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "minutes-history")

    page.get_by_role("button", name="Compare").click()
    expect(page.locator("ins").first).to_contain_text("crash report")
    check_accessibility(page)

    page.goto(meeting_url)
    expect(page.locator("#minutes-h").locator("..")).to_contain_text("Minutes draft")
