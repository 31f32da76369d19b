"""The text of a minutes file (.docx, .pdf, .txt, .md), or a clear reason why it cannot be read.

Nothing here trusts the file's name beyond its extension, which says what the file should be;
the bytes must agree (the "magic" at its start):

- .docx: a zip (`PK\\x03\\x04`) holding `word/document.xml`. Before python-docx opens it, the
  zip's central directory is checked (member count, declared uncompressed sizes, compression
  ratios), then every member is inflated from its own bytes a chunk at a time, never past the
  size it declares and never past the total limit: a zip bomb is refused having cost at most
  that much work. Only then does python-docx parse it, with its own lxml parser
  (`resolve_entities=False`: no external entities; lxml's limits against huge trees stay on).
- .pdf: `%PDF-` in its first 1024 bytes; the text layer is read with pypdf. A PDF that needs a
  password is refused; one locked only against editing (an empty user password) is read. A PDF
  with pages but no text (a scan) is refused: it needs text recognition first.
- .txt and .md: UTF-8 (a byte-order mark is dropped), or UTF-16 with its byte-order mark. Other
  bytes are read as Windows-1252 — what older Windows programs wrote — when that gives text
  without control characters; the result says so. Anything else is refused.

Files over MAX_FILE_BYTES are refused before they are read (`check_size`), and so is a file
whose text is empty or too long to be minutes.
"""

from __future__ import annotations

import codecs
import io
import logging
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from jcpp.models import MAX_MINUTES_BYTES

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".docx", ".pdf", ".txt", ".md")
MAX_FILE_BYTES = 20 * 1024 * 1024
# What a .docx may hold, checked before anything is inflated. Real minutes are a few dozen
# members and a few MB unpacked (images included).
MAX_ZIP_MEMBERS = 1000
MAX_ZIP_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 200  # per member of more than 1 MB unpacked; text compresses 5-20 times
MAX_PDF_PAGES = 2000
_CHUNK = 64 * 1024
_MB = 1024 * 1024


class Refused(Exception):
    """The file cannot be imported; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Extracted:
    text: str
    kind: str  # "docx", "pdf" or "text"
    note: str | None = None  # how the file was read, when that is worth saying


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < _MB:
        return f"{size / 1024:.0f} KB"
    if size < 1024 * _MB:
        return f"{size / _MB:.1f}".removesuffix(".0") + " MB"  # 20 MB, 1.5 MB
    return f"{size / (1024 * _MB):.1f}".removesuffix(".0") + " GB"


def check_name(name: str) -> str:
    """The file's extension, lower case, if it is one that can be imported."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        if suffix == ".doc":
            raise Refused(
                "Old Word documents (.doc) cannot be read: open it in Word and save it as .docx."
            )
        what = suffix or "a file without an extension"
        raise Refused(f"Only .docx, .pdf, .txt and .md files can be imported, not {what}.")
    return suffix


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise Refused(
            f"The file is too large: {size_text(size)}, and the limit is "
            f"{size_text(MAX_FILE_BYTES)}. Minutes are rarely over 1 MB: remove pictures, "
            "or split it."
        )
    if size == 0:
        raise Refused("The file is empty (0 bytes).")


def extract(name: str, data: bytes) -> Extracted:
    """The text of the file named `name` with these bytes, or Refused."""
    suffix = check_name(name)
    check_size(len(data))
    if suffix == ".docx":
        extracted = Extracted(_docx_text(data), "docx")
    elif suffix == ".pdf":
        extracted = Extracted(_pdf_text(data), "pdf")
    else:
        text, note = _plain_text(data, suffix)
        extracted = Extracted(text, "text", note)
    text = normalise(extracted.text)
    if not text:
        raise Refused("The file holds no text.")
    size = len(text.encode("utf-8"))
    if size > MAX_MINUTES_BYTES:
        raise Refused(
            f"Its text is too long for minutes: {size_text(size)} of text, and the limit is "
            f"{size_text(MAX_MINUTES_BYTES)}."
        )
    return Extracted(text, extracted.kind, extracted.note)


# What the bytes are


def sniff(data: bytes) -> str:
    """What the first bytes say the file is: pdf, zip, ole (Office 97-2003), image or unknown."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    return "unknown"


_DESCRIPTIONS = {
    "pdf": "a PDF file",
    "zip": "a zip archive",
    "ole": "an old Office file (.doc, .xls or .ppt)",
    "image": "a picture",
    "unknown": "not",
}


def _wrong_type(suffix: str, found: str) -> Refused:
    expected = {".docx": "Word document", ".pdf": "PDF file"}.get(suffix, "text file")
    if found == "unknown":
        return Refused(f"The file is named {suffix} but is not a {expected}.")
    return Refused(
        f"The file is named {suffix} but is {_DESCRIPTIONS[found]}, not a {expected}. "
        "Check that it is the right file, and give it its right extension."
    )


# .docx


def _checked_zip(data: bytes) -> zipfile.ZipFile:
    """The zip, once its members are known to unpack to what they declare, within limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zlib.error, ValueError, EOFError):
        raise Refused("The file is damaged: it is not a complete Word document.") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise Refused(
            f"The file holds {len(infos):,} parts, more than a Word document has (at most "
            f"{MAX_ZIP_MEMBERS:,}): refused as a possible zip bomb."
        )
    if "word/document.xml" not in {info.filename for info in infos}:
        raise Refused("The file is a zip archive but not a Word document (no word/document.xml).")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_ZIP_UNPACKED_BYTES:
        raise Refused(
            f"The file would unpack to {size_text(declared)}, more than the "
            f"{size_text(MAX_ZIP_UNPACKED_BYTES)} a Word document may: refused as a possible "
            "zip bomb."
        )
    for info in infos:
        if info.file_size > _MB and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise Refused(
                f"A part of the file ({info.filename}) unpacks to {ratio:,} times its packed "
                "size: refused as a possible zip bomb."
            )
    unpacked = 0
    for info in infos:
        unpacked += _inflate_within(data, info, budget=MAX_ZIP_UNPACKED_BYTES - unpacked)
    return archive


def _inflate_within(data: bytes, info: zipfile.ZipInfo, *, budget: int) -> int:
    """Inflate one member from its own bytes, a chunk at a time, whatever its headers say: its
    real unpacked size, or Refused as soon as that passes what it declares or the budget.
    (zipfile itself would stop at the declared size and only then fail on the checksum.)"""
    damaged = Refused(f"The file is damaged: a part of it ({info.filename}) cannot be unpacked.")
    start = info.header_offset
    header = data[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise damaged
    (flags,) = struct.unpack_from("<H", header, 6)
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    if flags & 1:
        raise Refused("The file is protected by a password, so it cannot be read.")
    begin = start + 30 + name_length + extra_length
    packed = memoryview(data)[begin : begin + info.compress_size]
    if len(packed) < info.compress_size:
        raise damaged
    limit = min(info.file_size, budget)
    bomb = Refused(
        f"A part of the file ({info.filename}) unpacks to more than it declares "
        f"({size_text(info.file_size)}): refused as a possible zip bomb."
    )
    if info.compress_type == zipfile.ZIP_STORED:
        if len(packed) > limit:
            raise bomb
        return len(packed)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise Refused(f"A part of the file ({info.filename}) is packed in a way Word never uses.")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    got = 0
    try:
        for offset in range(0, len(packed), _CHUNK):
            pending = bytes(packed[offset : offset + _CHUNK])
            while pending and not inflater.eof:
                got += len(inflater.decompress(pending, _CHUNK))
                if got > limit:
                    raise bomb
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        raise damaged from None
    return got


def _docx_text(data: bytes) -> str:
    if sniff(data) != "zip":
        raise _wrong_type(".docx", sniff(data))
    archive = _checked_zip(data)
    archive.close()
    import docx  # python-docx: only after the zip was checked

    try:
        document = docx.Document(io.BytesIO(data))
        return "\n".join(_docx_lines(document))
    except Exception as error:  # a damaged package can fail anywhere in python-docx or lxml
        logger.info("python-docx could not read a .docx: %r", error)
        raise Refused("The file is damaged: Word's document inside it cannot be read.") from None


def _docx_lines(document: Any) -> list[str]:
    from docx.table import Table

    numbering = _Numbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
            lines.append("")
        else:
            lines.append(numbering.label(block) + block.text)
    return lines


def _table_lines(table: Any) -> list[str]:
    """A table row by row, its cells joined by " | " (a merged cell once)."""
    lines = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if text:
                cells.append(text)
        if cells:
            lines.append(" | ".join(cells))
    return lines


_ROMAN: tuple[tuple[int, str], ...] = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out, number = out + letters, number - value
    return out


def _letters(number: int) -> str:
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _format_number(number: int, fmt: str) -> str:
    return {
        "lowerLetter": _letters(number),
        "upperLetter": _letters(number).upper(),
        "lowerRoman": _roman(number),
        "upperRoman": _roman(number).upper(),
    }.get(fmt, str(number))


_PLACEHOLDER = re.compile(r"%(\d)")
_W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


class _Numbering:
    """List labels as Word shows them: "1.", "a.", "IV.", or "-" for a bullet, counted per list
    and level (a level's count starts again after a higher level moves on)."""

    def __init__(self, document: Any) -> None:
        try:
            self._numbering = document.part.numbering_part.element
        # python-docx raises NotImplementedError for a document without a numbering part.
        except (KeyError, NotImplementedError, AttributeError):
            self._numbering = None
        self._counts: dict[tuple[str, int], int] = {}

    def label(self, paragraph: Any) -> str:
        found = self._num_pr(paragraph)
        if found is None or self._numbering is None:
            return ""
        num_id, level = found
        lvl = self._level(num_id, level)
        if lvl is None:
            return ""
        fmt = _attr(lvl, "w:numFmt") or "decimal"
        indent = "  " * level
        if fmt == "bullet":
            return f"{indent}- "
        if fmt == "none":
            return indent
        start = int(_attr(lvl, "w:start") or "1")
        key = (num_id, level)
        self._counts[key] = self._counts.get(key, start - 1) + 1
        for deeper in [k for k in self._counts if k[0] == num_id and k[1] > level]:
            del self._counts[deeper]
        text = _attr(lvl, "w:lvlText") or f"%{level + 1}."

        def number(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            at_lvl = self._level(num_id, at)
            at_fmt = (_attr(at_lvl, "w:numFmt") if at_lvl is not None else None) or "decimal"
            return _format_number(self._counts.get((num_id, at), 1), at_fmt)

        return f"{indent}{_PLACEHOLDER.sub(number, text)} "

    def _num_pr(self, paragraph: Any) -> tuple[str, int] | None:
        """(numId, level) of the paragraph, or of its style (a "List Number" style)."""
        elements = [paragraph._p]
        style = paragraph.style
        while style is not None and len(elements) < 10:
            elements.append(style.element)
            style = style.base_style
        for element in elements:
            found = _xpath(element, "./w:pPr/w:numPr")
            if found:
                num_ids = _xpath(found[0], "./w:numId/@w:val")
                levels = _xpath(found[0], "./w:ilvl/@w:val")
                if not num_ids or not str(num_ids[0]).isdigit() or num_ids[0] == "0":
                    return None
                if levels and not str(levels[0]).isdigit():
                    return None
                return str(num_ids[0]), int(levels[0]) if levels else 0
        return None

    def _level(self, num_id: str, level: int) -> Any:
        assert self._numbering is not None
        abstract = _xpath(self._numbering, f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
        if not abstract or not re.fullmatch(r"\d+", str(abstract[0])):
            return None
        found = _xpath(
            self._numbering,
            f'./w:abstractNum[@w:abstractNumId="{abstract[0]}"]/w:lvl[@w:ilvl="{level}"]',
        )
        return found[0] if found else None


def _xpath(element: Any, path: str) -> list[Any]:
    """lxml's own xpath with the Word namespace (python-docx's elements override xpath)."""
    from lxml import etree  # type: ignore[import-untyped]

    return list(etree._Element.xpath(element, path, namespaces=_W))


def _attr(element: Any, child: str) -> str | None:
    values = _xpath(element, f"./{child}/@w:val")
    return str(values[0]) if values else None


# .pdf


def _pdf_text(data: bytes) -> str:
    if sniff(data) != "pdf":
        raise _wrong_type(".pdf", sniff(data))
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            # pypdf raises NotImplementedError for encryption it cannot undo: not readable either.
            except (DependencyError, NotImplementedError):
                opened = PasswordType.NOT_DECRYPTED
            if opened == PasswordType.NOT_DECRYPTED:
                raise Refused(
                    "The PDF is protected by a password, so its text cannot be read. Save a copy "
                    "without the password and import that."
                )
        count = len(reader.pages)
        if count > MAX_PDF_PAGES:
            raise Refused(f"The PDF has {count:,} pages, more than minutes ({MAX_PDF_PAGES:,}).")
        pages = [page.extract_text() or "" for page in reader.pages]
    except Refused:
        raise
    except Exception as error:  # pypdf raises many kinds of error on a damaged file
        logger.info("pypdf could not read a PDF: %r", error)
        raise Refused("The PDF is damaged: it cannot be read.") from None
    if count == 0:
        raise Refused("The PDF has no pages.")
    if not any(page.strip() for page in pages):
        raise Refused(
            f"The PDF has no text, only pictures of its {count} page{'' if count == 1 else 's'} "
            "(a scan). Run it through text recognition (OCR) first, or type the minutes in."
        )
    return "\n\n".join(pages)


# .txt and .md

# C0 control characters other than tab, line feed, form feed and carriage return.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _plain_text(data: bytes, suffix: str) -> tuple[str, str | None]:
    found = sniff(data)
    if found != "unknown":
        raise _wrong_type(suffix, found)
    note = None
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[3:], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, note = _decode(data, "utf-16"), "Read as UTF-16 text."
    elif b"\x00" in data:
        raise Refused(f"The file is named {suffix} but is not text (it holds zero bytes).")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise Refused(
                    f"The file is not UTF-8 text (byte {error.start:,} cannot be read). Save it "
                    "as UTF-8 text and import it again."
                ) from None
            note = "Not UTF-8: read as Windows-1252 text (check accented letters)."
    if _CONTROLS.search(text):
        raise Refused(f"The file is named {suffix} but is not text (it holds control characters).")
    return text, note


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise Refused(
            f"The file is not valid {encoding.upper()} text (byte {error.start:,} cannot be read)."
        ) from None


# All kinds

_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """LF line ends, no control characters, no trailing spaces, at most one blank line in a row;
    stripped. (PostgreSQL cannot store a zero byte in text.)"""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROLS.sub("", text).replace("\ufeff", "")
    text = _TRAILING_SPACE.sub("\n", text + "\n")
    return _BLANK_LINES.sub("\n\n", text).strip()
