"""Text out of .docx, .pdf, .txt and .md files, and a clear reason for every file that cannot be
read."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest

from jcpp.imports import extract as extract_module
from jcpp.imports.dates import find_date
from jcpp.imports.extract import MAX_FILE_BYTES, Refused, extract
from jcpp.imports.service import inspect_path
from tests.imports import files


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(Refused) as refused:
        extract(name, data)
    return refused.value.reason


def test_docx_keeps_paragraphs_lists_and_tables_in_order() -> None:
    text = extract("m.docx", files.docx_bytes("Minutes of the March 19, 2024 meeting")).text
    lines = text.splitlines()
    assert lines[0] == "Minutes of the March 19, 2024 meeting"
    assert lines[1:5] == ["Agenda", "1. Call to order", "2. Roll call", "3. Police report"]
    assert "- Traffic enforcement near schools" in lines
    table = lines.index("Name | Role")
    assert lines[table : table + 3] == [
        "Name | Role",
        "Amina Hassan | Chair",
        "Chief Alvarez | Police",
    ]
    assert (
        lines.index("- Traffic enforcement near schools")
        < table
        < lines.index("Next meeting: third Wednesday.")
    )


def test_docx_nested_numbering_counts_each_level() -> None:
    document = docx.Document()
    for text, style in [
        ("Old business", "List Number"),
        ("Speeding", "List Number 2"),
        ("Parking", "List Number 2"),
        ("New business", "List Number"),
    ]:
        document.add_paragraph(text, style=style)
    out = io.BytesIO()
    document.save(out)
    lines = extract("m.docx", out.getvalue()).text.splitlines()
    assert [line.split(" ", 1)[1] if " " in line.strip() else line for line in lines] == [
        "Old business",
        "Speeding",
        "Parking",
        "New business",
    ]
    assert lines[0].startswith("1.") and lines[3].startswith("2.")


def test_pdf_text_layer() -> None:
    text = extract("m.pdf", files.pdf_bytes("Minutes of April 2, 2024")).text
    assert text.startswith("Minutes of April 2, 2024")
    assert "language access" in text


def test_pdf_locked_only_against_editing_is_read() -> None:
    assert "speeding" in extract("m.pdf", files.encrypted_pdf_bytes(user_password="")).text


def test_text_utf8_and_markdown_and_fallbacks() -> None:
    assert (
        extract("m.md", "# Minutes\n\nCafé *talk*\r\n".encode()).text == "# Minutes\n\nCafé *talk*"
    )
    assert extract("m.txt", b"\xef\xbb\xbfMinutes").text == "Minutes"
    utf16 = extract("m.txt", "Minutes – Señora".encode("utf-16"))
    assert (utf16.text, utf16.note) == ("Minutes – Señora", "Read as UTF-16 text.")
    latin = extract("m.txt", "Minutes – Señora".encode("cp1252"))
    assert latin.text == "Minutes – Señora"
    assert latin.note and "Windows-1252" in latin.note


def zipfile_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "Minutes")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("m.pdf", files.encrypted_pdf_bytes(), "protected by a password"),
        ("m.pdf", files.image_only_pdf_bytes(), "no text, only pictures of its 2 pages"),
        ("m.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "The PDF is damaged"),
        ("m.pdf", files.docx_bytes("x"), "named .pdf but is a zip archive"),
        ("m.docx", files.pdf_bytes("Minutes"), "named .docx but is a PDF file"),
        ("m.docx", b"Just some text typed into a file", "named .docx but is not a Word document"),
        ("m.docx", files.docx_bytes("x")[:3000], "damaged"),
        ("m.docx", files.ratio_bomb_docx(), "zip bomb"),
        ("m.docx", files.lying_bomb_docx(), "unpacks to more than it declares"),
        ("m.docx", files.declared_huge_docx(), "would unpack to 6 GB"),
        ("m.docx", files.many_members_docx(), "1,501 parts"),
        ("m.docx", zipfile_without_document(), "not a Word document (no word/document.xml)"),
        ("m.txt", files.pdf_bytes("Minutes"), "named .txt but is a PDF file"),
        ("m.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "named .txt but is a picture"),
        ("m.md", b"ELF\x00\x01\x02binary", "not text (it holds zero bytes)"),
        ("m.txt", b"\x01\x02\x03\x81\x8d", "not UTF-8 text"),
        ("m.txt", b"   \n\n\t ", "holds no text"),
        ("m.txt", b"", "empty (0 bytes)"),
        ("m.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "save it as .docx"),
        ("m.rtf", b"{\\rtf1 Minutes}", "not .rtf"),
        ("m.txt", b"x" * 1_000_001, "too long for minutes"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 40 else "",
)
def test_bad_file_refused_with_its_reason(name: str, data: bytes, reason: str) -> None:
    assert reason in refusal(name, data)


def test_zip_bomb_is_never_inflated_past_its_declared_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lying member is stopped a chunk past the 1 KB it declares, not after 8 MB."""
    produced: list[int] = []
    real = extract_module.zlib.decompressobj

    class Counting:
        def __init__(self, wbits: int) -> None:
            self.inner = real(wbits)

        def decompress(self, data: bytes, max_length: int) -> bytes:
            out = self.inner.decompress(data, max_length)
            produced.append(len(out))
            return out

        @property
        def unconsumed_tail(self) -> bytes:
            return self.inner.unconsumed_tail

        @property
        def eof(self) -> bool:
            return self.inner.eof

    monkeypatch.setattr(extract_module.zlib, "decompressobj", Counting)
    assert "zip bomb" in refusal("m.docx", files.lying_bomb_docx())
    assert sum(produced) <= 1024 + 64 * 1024


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = files.write_sparse(tmp_path / "2024-03-19 minutes.pdf", 50 * 1024 * 1024)
    inspected = inspect_path(path)
    assert inspected.refusal is not None
    assert "too large: 50 MB, and the limit is 20 MB" in inspected.refusal
    assert inspected.content_hash == ""  # never read
    assert "too large" in refusal("m.txt", b"a" * (MAX_FILE_BYTES + 1))


@pytest.mark.parametrize(
    ("name", "text", "day", "source"),
    [
        ("2024-03-19 MAC minutes.docx", None, dt.date(2024, 3, 19), "file name"),
        ("MAC_20240319.pdf", None, dt.date(2024, 3, 19), "file name"),
        ("March 19 2024.txt", None, dt.date(2024, 3, 19), "file name"),
        ("Minutes_Mar_19th_2024.pdf", None, dt.date(2024, 3, 19), "file name"),
        ("19 March 2024.md", None, dt.date(2024, 3, 19), "file name"),
        ("minutes 3-19-24.docx", None, dt.date(2024, 3, 19), "file name"),
        ("minutes 03.19.2024.docx", None, dt.date(2024, 3, 19), "file name"),
        ("minutes.txt", "City of Richfield\nMinutes of the March 19, 2024 meeting\n", None, "text"),
        ("minutes.txt", "MAC — Wed. 9-6-23\nPresent: …", dt.date(2023, 9, 6), "text"),
        ("minutes.txt", "Approved 3/2/2016 as written", dt.date(2016, 3, 2), "text"),
        ("2024-02-30 minutes.txt", "Meeting of 4/2/2024", dt.date(2024, 4, 2), "text"),
    ],
)
def test_meeting_date_from_file_name_or_first_lines(
    name: str, text: str | None, day: dt.date | None, source: str
) -> None:
    found = find_date(name, text)
    assert found is not None
    assert found.day == (day or dt.date(2024, 3, 19))
    assert found.source == source


def test_no_date_found() -> None:
    assert find_date("minutes v2.1.docx", "Minutes\nWe met and talked.") is None
    late = "\n".join(["line"] * 20 + ["March 19, 2024"])
    assert find_date("minutes.txt", late) is None  # only the first lines are read


def _docx_with_document_xml(xml: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(files.docx_bytes("x")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = xml.encode() if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, data)
    return out.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_xml_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the contents of a server file")
    external = _docx_with_document_xml(
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        f"<w:document {W}><w:body><w:p><w:r><w:t>Minutes &xxe; end</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    text = extract("m.docx", external).text  # read, the entity left out
    assert text.startswith("Minutes")
    assert "contents of a server file" not in text
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    bomb = _docx_with_document_xml(
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">{laughs}]>'
        f"<w:document {W}><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>"
    )
    assert "damaged" in refusal("m.docx", bomb)  # lxml refuses the entity loop
