"""Minutes files made the way real ones are: Word documents with python-docx, PDFs with fpdf2,
plain text; and the bad files an archive may hold."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx
from fpdf import FPDF
from PIL import Image

MINUTES = [
    "Call to order at 6:32 pm by Chair Amina Hassan.",
    "Chief Alvarez reported that speeding on Lyndale Avenue near the school remains a concern; "
    "residents asked for more traffic enforcement during school hours.",
    "Lt. Okafor will bring the stop data for the last quarter to the next meeting.",
    "Members raised concerns about language access at the front desk of the police department.",
    "Adjourned at 8:01 pm.",
]


def docx_bytes(heading: str, lines: list[str] = MINUTES, *, table: bool = True) -> bytes:
    """A Word document: a heading, a numbered agenda, bullets, a table of who attended."""
    document = docx.Document()
    document.add_heading(heading, level=1)
    document.add_paragraph("Agenda")
    for item in ("Call to order", "Roll call", "Police report"):
        document.add_paragraph(item, style="List Number")
    for line in lines:
        document.add_paragraph(line)
    document.add_paragraph("Traffic enforcement near schools", style="List Bullet")
    if table:
        attendance = document.add_table(rows=3, cols=2)
        for row, (name, role) in enumerate(
            [("Name", "Role"), ("Amina Hassan", "Chair"), ("Chief Alvarez", "Police")]
        ):
            attendance.cell(row, 0).text = name
            attendance.cell(row, 1).text = role
    document.add_paragraph("Next meeting: third Wednesday.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf() -> FPDF:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    return pdf


def pdf_bytes(heading: str, lines: list[str] = MINUTES) -> bytes:
    pdf = _pdf()
    pdf.add_page()
    pdf.multi_cell(0, 6, heading + "\n\n" + "\n".join(lines))
    return bytes(pdf.output())


def encrypted_pdf_bytes(user_password: str = "open sesame") -> bytes:  # noqa: S107
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner", user_password=user_password)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Minutes of the March 19, 2024 meeting\n" + MINUTES[1])
    return bytes(pdf.output())


def image_only_pdf_bytes() -> bytes:
    """A scan: two pages that are pictures, no text layer."""
    picture = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(picture, format="PNG")
    pdf = _pdf()
    for _ in range(2):
        pdf.add_page()
        pdf.image(io.BytesIO(picture.getvalue()), x=10, y=10, w=150)
    return bytes(pdf.output())


def text_bytes(heading: str, lines: list[str] = MINUTES) -> bytes:
    return (heading + "\n\n" + "\n".join(lines) + "\n").encode("utf-8")


def ratio_bomb_docx() -> bytes:
    """A .docx whose one extra part unpacks to 20 MB of zeros from some 20 KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.bin", "w") as member:
            for _ in range(20):
                member.write(bytes(1024 * 1024))
    return out.getvalue()


def lying_bomb_docx() -> bytes:
    """A .docx whose document part declares 1 KB but unpacks to 8 MB: the central directory
    and the local header both lie (ratio and total size checks see nothing wrong)."""
    real = bytes(8 * 1024 * 1024)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", real)
    data = bytearray(out.getvalue())
    declared = struct.pack("<L", 1024)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    data[info.header_offset + 22 : info.header_offset + 26] = declared  # local header
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:
        (name_length,) = struct.unpack_from("<H", data, position + 28)
        if data[position + 46 : position + 46 + name_length] == b"word/document.xml":
            data[position + 24 : position + 28] = declared  # central directory
        position += 4
    return bytes(data)


def declared_huge_docx() -> bytes:
    """A .docx whose central directory declares 3 GB unpacked (a bomb announcing itself)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(out.getvalue())
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) != -1:
        data[position + 24 : position + 28] = struct.pack("<L", 3 * 1024**3)
        position += 4
    return bytes(data)


def many_members_docx(count: int = 1500) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(count):
            archive.writestr(f"word/media/{n}.txt", "x")
    return out.getvalue()


def write_sparse(path: Path, size: int) -> Path:
    """A file of `size` bytes written in an instant (a hole, no data blocks)."""
    with path.open("wb") as file:
        file.write(b"%PDF-1.7\n")
        file.truncate(size)
    return path
