"""The minutes of a meeting as a PDF (fpdf2), with the same content as the printable page.

Minutes hold names and words in Spanish, Somali, Hmong and Vietnamese; the PDF core fonts are
Latin-1 only, so the PDF embeds Open Sans (the `ttf-opensans` package installs its TTF files
with the project: Latin with Vietnamese, Greek and Cyrillic), subset to the characters used.

The minutes text is rendered as on the page (Markdown, sanitised) and laid out by fpdf2's HTML
writer; should that writer refuse some construct, the minutes are set as plain text instead, so
a PDF always comes out.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.errors import FPDFException
from fpdf.fonts import FontFace, TextStyle, TTFFont

from jcpp.exports.printable import PrintableMinutes
from jcpp.web.markdown import render_markdown
from jcpp.web.templating import format_date, format_datetime

FAMILY = "OpenSans"
ROLES = {"chair": "Chair", "member": "Member", "police": "Police", "liaison": "Liaison"}
MISSING = "–"


FONT_FILES = {
    "": "OpenSans-Regular.ttf",
    "B": "OpenSans-Bold.ttf",
    "I": "OpenSans-Italic.ttf",
    "BI": "OpenSans-BoldItalic.ttf",
}


@cache
def font_folder() -> Path:
    """Where the ttf-opensans package installed its fonts."""
    return Path(str(files("ttf_opensans") / "ttf"))


class MinutesPDF(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="Letter")
        self.footer_title = title
        for style, name in FONT_FILES.items():
            self.add_font(FAMILY, style, font_folder() / name)
        self.set_font(FAMILY, size=10)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(title)
        self.set_lang("en")
        self.set_creator("JCPP")

    def close_fonts(self) -> None:
        """fpdf2 keeps each font file open until output, and never closes unused ones."""
        for font in self.fonts.values():
            if isinstance(font, TTFFont):
                font.close()

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FAMILY, size=8)
        self.set_text_color(90)
        self.cell(0, 5, f"{self.footer_title} · page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0)


def minutes_pdf(minutes: PrintableMinutes) -> bytes:
    """The PDF, with the minutes laid out from their HTML (plain text if that fails)."""
    try:
        return _build(minutes, html=True)
    except FPDFException:
        return _build(minutes, html=False)


def _title(minutes: PrintableMinutes) -> str:
    return f"{minutes.ctx.committee.name} · {format_datetime(minutes.ctx.meeting.start_at, 'date')}"


def _build(minutes: PrintableMinutes, *, html: bool) -> bytes:
    pdf = MinutesPDF(_title(minutes))
    try:
        pdf.add_page()
        _heading(pdf, minutes)
        _attendance(pdf, minutes)
        _agenda(pdf, minutes)
        _text(pdf, minutes, html=html)
        _follow_ups(pdf, minutes)
        return bytes(pdf.output())
    finally:
        pdf.close_fonts()


def _section(pdf: FPDF, title: str) -> None:
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 13)
    pdf.cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=10)


def _line(pdf: FPDF, text: str, *, style: str = "", size: float = 10) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(0, 5.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, size=10)


def _heading(pdf: FPDF, minutes: PrintableMinutes) -> None:
    ctx, view = minutes.ctx, minutes.view
    _line(pdf, f"Minutes · {ctx.committee.name}", style="B", size=16)
    facts = [format_datetime(ctx.meeting.start_at), ctx.city.name]
    if ctx.meeting.place:
        facts.append(ctx.meeting.place)
    _line(pdf, " · ".join(facts))
    if view.current is None:
        state = "No minutes have been written for this meeting yet."
    else:
        state = f"Revision {view.revision_number}, {view.status}"
        if view.minutes is not None and view.minutes.approved_at and view.status != "draft":
            state += f" (approved {format_datetime(view.minutes.approved_at, 'short')})"
    _line(pdf, f"Meeting {ctx.meeting.status}. {state}", size=9)


def _attendance(pdf: FPDF, minutes: PrintableMinutes) -> None:
    sheet = minutes.attendance
    _section(pdf, "Attendance")
    if sheet.rows:
        with pdf.table(col_widths=(3, 1.3, 1.3), text_align="LEFT", line_height=6) as table:
            table.row(("Name", "Role", "Attendance"))
            for row in sheet.rows:
                name = (
                    f"{row.person.title} {row.person.name}" if row.person.title else row.person.name
                )
                role = ROLES.get(row.role or "", "Not on the roster that day")
                table.row((name, role, (row.status or "not recorded").capitalize()))
    else:
        _line(pdf, "Nobody is on the committee's roster for this date.")
    guests = f"Guests: {sheet.guest_count}"
    if sheet.guest_organisations:
        guests += f" ({sheet.guest_organisations})"
    _line(pdf, guests, size=9)


def _agenda(pdf: FPDF, minutes: PrintableMinutes) -> None:
    _section(pdf, "Agenda")
    if not minutes.agenda:
        _line(pdf, "No agenda items.")
    for item in minutes.agenda:
        text = f"{item.position}. {item.title}"
        if item.presenter:
            text += f" ({item.presenter})"
        _line(pdf, text)
        if item.notes:
            pdf.set_x(pdf.l_margin + 6)
            pdf.set_font(FAMILY, size=9)
            pdf.multi_cell(0, 5, item.notes, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(FAMILY, size=10)


def _text(pdf: FPDF, minutes: PrintableMinutes, *, html: bool) -> None:
    _section(pdf, "The minutes")
    view = minutes.view
    if view.current is None:
        _line(pdf, "No minutes have been written for this meeting yet.")
    elif html:
        pdf.write_html(
            str(render_markdown(view.text)),
            font_family=FAMILY,
            tag_styles={
                "code": FontFace(family=FAMILY),
                "pre": TextStyle(font_family=FAMILY, t_margin=4),
            },
        )
    else:
        _line(pdf, view.text)


def _follow_ups(pdf: FPDF, minutes: PrintableMinutes) -> None:
    _section(pdf, "Follow-ups")
    if not minutes.follow_ups:
        _line(pdf, "No follow-ups were made from this meeting.")
        return
    with pdf.table(col_widths=(3.2, 1.6, 1, 1.2), text_align="LEFT", line_height=6) as table:
        table.row(("Follow-up", "Owner", "Due", "Status"))
        for item in minutes.follow_ups:
            due = item.follow_up.due_date
            table.row(
                (
                    item.follow_up.title,
                    item.owner or MISSING,
                    format_date(due) if due else MISSING,
                    item.status,
                )
            )
