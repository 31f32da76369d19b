"""The minutes to print and as a PDF: the meeting, attendance, agenda, the minutes as on the
page, and the follow-ups with owner, due date and status; the PDF read back with pypdf."""

from __future__ import annotations

import io
import re

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from sqlalchemy import func
from sqlmodel import Session, select

from jcpp.auth.permissions import load_viewer
from jcpp.exports import pdf
from jcpp.exports.printable import printable_minutes
from jcpp.models import Meeting
from tests.exports.helpers import County
from tests.web import WebClient


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_print_page_shows_the_meeting_attendance_agenda_minutes_and_follow_ups(
    client: WebClient, county: County
) -> None:
    county.world.sign_in(client, "member")
    response = client.get(f"/meetings/{county.held.id}/minutes/print")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    head = page.select_one(".print-minutes h1")
    assert head is not None and county.world.committee.name in head.get_text()
    assert "Revision 2, approved" in page.select_one("#print-status").get_text()  # type: ignore[union-attr]
    attendance = [
        [cell.get_text(strip=True) for cell in row.select("td")]
        for row in page.select("#print-attendance tbody tr")
    ]
    assert attendance == [
        ["Nguyễn Thị Hương", "Chair", "Present"],
        ["Xyooj Vaj", "Member", "Absent"],
    ]
    assert "Guests: 4" in page.select_one("#print-attendance").get_text()  # type: ignore[union-attr]
    assert "huong@example.org" not in response.text and "612-555-0199" not in response.text
    agenda = [li.get_text(" ", strip=True) for li in page.select("#print-agenda li")]
    assert agenda == ["Call to order", "Traffic (Lt. Okafor)"]
    text = page.select_one("#print-text .minutes-body")
    assert text is not None
    assert text.select_one("h4") is not None  # rendered as on the minutes page (## shifted)
    assert text.select_one("strong").get_text() == "speeding"  # type: ignore[union-attr]
    assert "Cabdullaahi Xasan" in text.get_text()
    follow_up = page.select_one(f"#print-follow-up-{county.follow_up.id}")
    assert follow_up is not None
    assert [c.get_text(strip=True) for c in follow_up.select("td")] == [
        '=HYPERLINK("http://evil.example","Click")', "Lt. Okafor", "Apr 15, 2026", "In progress",
    ]  # fmt: skip
    done = page.select_one(f"#print-follow-up-{county.done.id}")
    assert done is not None
    assert [c.get_text(strip=True) for c in done.select("td")] == [
        "Post the speed study",
        "Meg Member",
        "–",
        "Verified done",
    ]
    links = {a["href"] for a in page.select(".print-minutes .actions a")}
    assert f"/meetings/{county.held.id}/minutes.pdf" in links


def test_print_page_of_a_meeting_without_minutes(
    client: WebClient, session: Session, county: County
) -> None:
    county.world.sign_in(client, "liaison")
    response = client.get(f"/meetings/{county.cancelled.id}/minutes/print")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assert "No minutes have been written" in page.select_one("#print-text").get_text()  # type: ignore[union-attr]
    assert "No follow-ups" in page.select_one("#print-follow-ups").get_text()  # type: ignore[union-attr]
    assert "No agenda items" in page.select_one("#print-agenda").get_text()  # type: ignore[union-attr]


def test_pdf_holds_the_same_content_in_any_language(client: WebClient, county: County) -> None:
    county.world.sign_in(client, "liaison")
    response = client.get(f"/meetings/{county.held.id}/minutes.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="minutes-{county.world.committee.slug}-2026-03-18.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    flat = re.sub(r"\s+", " ", text)
    assert county.world.committee.name in flat
    assert "Wed Mar 18, 2026, 6:30 pm" in flat  # the county's time
    for words in (
        "Nguyễn Thị Hương",  # not Latin-1: the embedded font has it
        "Xyooj Vaj",
        "Cabdullaahi Xasan",
        "José Peña",
        "Attendance",
        "Present",
        "Absent",
        "Call to order",
        "Residents raised speeding near Jefferson Elementary",
        "Lt. Okafor will report back on the speed study",
        "Follow-ups",
        '=HYPERLINK("http://evil.example","Click")',
        "Apr 15, 2026",
        "In progress",
        "Post the speed study",
        "Verified done",
    ):
        assert words in flat, words
    assert "huong@example.org" not in flat
    reader = PdfReader(io.BytesIO(response.content))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
        if "/BaseFont" in font.get_object()
        for font in [font.get_object()]
    }
    assert fonts and all("OpenSans" in name for name in fonts)


def test_pdf_falls_back_to_plain_text_when_the_html_writer_refuses(
    session: Session, county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    minutes = printable_minutes(
        session, county.held.id or 0, viewer=load_viewer(session, county.world.users["admin"])
    )

    def refuse(*args: object, **kwargs: object) -> None:
        raise pdf.FPDFException("unsupported")

    monkeypatch.setattr(pdf.MinutesPDF, "write_html", refuse)
    flat = re.sub(r"\s+", " ", pdf_text(pdf.minutes_pdf(minutes)))
    assert "## Call to order" in flat  # the Markdown as written
    assert "Nguyễn Thị Hương" in flat and "Post the speed study" in flat


@pytest.mark.parametrize("path", ["minutes/print", "minutes.pdf"])
def test_another_citys_minutes_are_not_found(
    client: WebClient, session: Session, county: County, path: str
) -> None:
    county.world.sign_in(client, "liaison_other")
    assert client.get(f"/meetings/{county.held.id}/{path}").status_code == 404
    county.world.sign_in(client, "member_other")
    assert client.get(f"/meetings/{county.held.id}/{path}").status_code == 404
    unknown = (session.exec(select(func.max(Meeting.id))).one() or 0) + 1
    county.world.sign_in(client, "admin")
    assert client.get(f"/meetings/{unknown}/{path}").status_code == 404
