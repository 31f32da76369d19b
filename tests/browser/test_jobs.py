"""An administrator reads the Jobs page and asks for a run, in Chromium, with axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, sign_in


def test_admin_asks_the_scheduler_to_run_a_job(page: Page) -> None:
    sign_in(page, "admin@example.org")
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Scheduled jobs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scheduled jobs")
    # No scheduler runs beside the test server: the page says so.
    expect(page.locator("#scheduler-silent")).to_contain_text("does not seem to be running")
    expect(page.locator("#job-history")).to_contain_text("No runs yet")
    check_accessibility(page)

    first = page.locator("#job-list tbody tr").first
    first.get_by_role("button", name=re.compile(r"^Run now \(.+\)$")).click()
    expect(page.locator("#toasts")).to_contain_text("Asked the scheduler to run")
    expect(first).to_contain_text("waiting for the scheduler")
    expect(first.get_by_role("button")).to_have_count(0)
    check_accessibility(page)
