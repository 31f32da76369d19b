"""Minutes structure (`jcpp_structure`): sections from agenda numbering and headings.

A heading is a line that starts with an agenda number (`1.`, `VI.`, `a.`, `i.`) and is short, a
Markdown heading (`## 2. Drones`), a table row's item (`| 2 | Staffing | …`), a bullet line with
indented items under it, a short line in capitals or ending in a colon, or a run of capitals
inside a one-paragraph PDF text (`NEW BUSINESS Chief Ali said …`). Its level comes from the
numbering: numbers, Roman capitals and headings in capitals are level 1, letters level 2, small
Roman numerals level 3 (Markdown: the number of `#` less one). A section runs
from its heading to the next heading of the same or a higher level. Sections go to
`doc.spans["sections"]` with `span._.heading` and `span._.level`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.components import doc_text
from nlp.components.segment import CAPS_HEADING

SPAN_KEY = "sections"
MAX_HEADING_WORDS = 12
NUMBERED = re.compile(
    r"^[ \t]*(?:(?P<num>\d{1,2}(?:\.\d{1,2})*)|(?P<roman>[IVX]{1,5})|(?P<small>[ivx]{1,5})"
    r"|(?P<letter>[A-Za-z]))[.)][ \t]+(?P<title>\S[^\n]*)$",
    re.MULTILINE,
)
PLAIN = re.compile(r"^[ \t]*(?P<title>[A-Z][^\n]{1,80})$", re.MULTILINE)
MARKDOWN = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<title>\S[^\n]{0,100})$", re.MULTILINE)
MARKDOWN_NUMBER = re.compile(r"(?:\d{1,2}|[IVX]{1,5}|[a-z])[.)][ \t]+")
TABLE_ROW = re.compile(
    r"^\|[ \t]*\d{1,2}[ \t]*\|[ \t]*(?P<title>[^|\n]{1,60}?)[ \t]*\|", re.MULTILINE
)
BULLET_LINE = re.compile(
    r"^(?P<indent>[ \t]*)[•●▪■◦○*-][ \t]+(?P<title>\S[^\n]{0,80})\n"
    r"(?P<child>[ \t]+)(?:[o•●▪■◦○*-]|\d{1,2}[.)]|[a-z][.)])[ \t]",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Heading:
    start: int  # where the heading line starts (numbering included)
    end: int  # where its text ends
    title_start: int
    level: int


def _numbered_level(match: re.Match[str]) -> int:
    if match.group("num"):
        return 1 + match.group("num").count(".")
    if match.group("roman") and len(match.group("roman")) > 1 or match.group("roman") == "I":
        return 1
    if match.group("small"):
        return 3
    return 2


def _is_heading_text(title: str) -> bool:
    words = title.split()
    if not words or len(words) > MAX_HEADING_WORDS:
        return False
    return not title.rstrip().endswith((".", ",", ";")) or title.isupper()


def find_headings(text: str) -> list[Heading]:
    """Headings in order of their offsets, at most one per line."""
    found: dict[int, Heading] = {}
    for match in NUMBERED.finditer(text):
        title = match.group("title").rstrip()
        if _is_heading_text(title):
            end = match.start("title") + len(title)
            found[match.start()] = Heading(
                match.start(), end, match.start("title"), _numbered_level(match)
            )
    for match in MARKDOWN.finditer(text):
        title = match.group("title").rstrip().strip("#").rstrip()
        number = MARKDOWN_NUMBER.match(title)
        start = match.start("title") + (number.end() if number else 0)
        title = title[number.end() :] if number else title
        level = min(3, max(1, len(match.group("hashes")) - 1))
        found[match.start()] = Heading(match.start(), start + len(title), start, level)
    for match in TABLE_ROW.finditer(text):
        start = match.start("title")
        found[match.start()] = Heading(match.start(), match.end("title"), start, 1)
    for match in BULLET_LINE.finditer(text):
        if len(match.group("child").expandtabs()) > len(match.group("indent").expandtabs()):
            start = match.start("title")
            end = start + len(match.group("title").rstrip())
            found.setdefault(match.start(), Heading(match.start(), end, start, 1))
    for match in PLAIN.finditer(text):
        title = match.group("title").rstrip()
        line_start = match.start()
        if line_start in found or not _is_plain_heading(text, match, title):
            continue
        start = match.start("title")
        found[line_start] = Heading(start, start + len(title), start, 1)
    ordered = sorted(found.values(), key=lambda h: h.start)
    starts = [h.start for h in ordered]
    for match in CAPS_HEADING.finditer(text):
        title = match.group().strip()
        start = match.start() + len(match.group()) - len(match.group().lstrip())
        k = bisect.bisect_right(starts, start) - 1
        if start not in found and not (k >= 0 and ordered[k].end > start):
            found[start] = Heading(start, start + len(title), start, 1)
    return sorted(found.values(), key=lambda h: h.start)


def _is_plain_heading(text: str, match: re.Match[str], title: str) -> bool:
    """A short line in capitals or ending with a colon, with text on the lines after it."""
    if not _is_heading_text(title):
        return False
    after = text[match.end() : match.end() + 2]
    if not after.strip("\n") and match.end() >= len(text):
        return False
    if title.endswith(":") and len(title.split()) <= 6:
        return True
    letters = [c for c in title if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def sections_of(doc: Doc, text: str, headings: list[Heading]) -> list[Span]:
    """Spans from each heading to the next heading of the same or a higher level."""
    spans: list[Span] = []
    text_end = len(text.rstrip())
    for k, heading in enumerate(headings):
        end = text_end
        for later in headings[k + 1 :]:
            if later.level <= heading.level:
                end = later.start
                break
        end = heading.start + len(text[heading.start : end].rstrip())
        span = doc.char_span(heading.start, max(end, heading.end), alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        span._.heading = text[heading.title_start : heading.end].strip().rstrip(":").strip()
        span._.level = heading.level
        spans.append(span)
    return spans


class MinutesStructure:
    """Finds the agenda items and headings of minutes (see the module's docstring)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        doc.spans[SPAN_KEY] = sections_of(doc, text, find_headings(text))
        return doc


@Language.factory("jcpp_structure", assigns=["doc.spans"])
def make_structure(nlp: Language, name: str) -> MinutesStructure:
    return MinutesStructure(nlp, name)
