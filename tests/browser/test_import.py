"""A liaison imports old minutes files in Chromium: upload a Word document, a PDF, a text file
without a date and a password-protected PDF; check the review, give the missing date, import,
read the summary and the imported minutes. axe-core checks every page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.imports import files


def test_liaison_imports_a_folder_of_old_minutes(page: Page) -> None:
    sign_in(page, "liaison@example.org")
    page.goto("/committees")
    page.get_by_role("link", name="Richfield Multicultural Advisory Committee").first.click()
    page.get_by_role("link", name="Import minutes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import minutes")
    check_accessibility(page)

    octet = "application/octet-stream"
    page.get_by_label("Minutes files", exact=True).set_input_files(
        [
            {
                "name": "2023-03-15 Richfield MAC minutes.docx",
                "mimeType": octet,
                "buffer": files.docx_bytes("Richfield Multicultural Advisory Committee"),
            },
            {
                "name": "minutes-april.pdf",
                "mimeType": octet,
                "buffer": files.pdf_bytes("Minutes of the April 19, 2023 meeting"),
            },
            {
                "name": "notes from May.txt",
                "mimeType": octet,
                "buffer": files.text_bytes("MAC meeting notes"),
            },
            {
                "name": "2023-06-21 scan.pdf",
                "mimeType": octet,
                "buffer": files.encrypted_pdf_bytes(),
            },
        ]
    )
    page.get_by_role("button", name="Upload and review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    rows = page.locator(".import-table tbody tr")
    expect(rows).to_have_count(4)
    usual_time = re.compile(r"Creates a held meeting on Mar 15, 2023 at \d+:\d\d [ap]m")
    expect(rows.nth(0)).to_contain_text(usual_time)
    expect(rows.nth(1)).to_contain_text("Read from the text: “April 19, 2023”")
    expect(rows.nth(2)).to_contain_text("No date found in the file")
    expect(rows.nth(3)).to_contain_text("protected by a password")
    expect(page.get_by_label("Date of the meeting for minutes-april.pdf")).to_have_value(
        "2023-04-19"
    )
    check_accessibility(page)
    page.get_by_label("Date of the meeting for notes from May.txt").fill("2023-05-17")
    screenshot(page, "import-review")

    page.get_by_role("button", name="Import 3 files").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import done")
    result = page.locator("p.alert")
    expect(result).to_contain_text(
        "Imported 3 files: 3 new meetings, 0 added to existing meetings."
    )
    expect(result).to_contain_text("1 could not be imported")
    check_accessibility(page)
    screenshot(page, "import-summary")

    page.get_by_role("link", name=re.compile("Read the minutes of notes from May.txt")).click()
    expect(page.get_by_text("MAC meeting notes").first).to_be_visible()
    expect(page.get_by_text("Imported from notes from May.txt").first).to_be_visible()
