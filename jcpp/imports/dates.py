"""The date of the meeting an imported minutes file records: from its file name, else from the
first lines of its text.

Understood: 2024-03-19 (also with _ . or / between), 20240319, March 19 2024 (Mar 19, 2024;
March 19th, 2024), 19 March 2024, and the US order month/day/year with 2- or 4-digit years:
3-19-24, 03/19/2024, 3.19.2024, "Wed. 9-6-23". A two-digit year is 2000-2069 or 1970-1999.
The first date in the name (or in the text) wins; a date that does not exist (2/30/2024) or is
outside 1990-2100 is passed over.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# How far into the text to look: a heading and a few lines under it.
TEXT_LINES = 15
TEXT_CHARS = 2000

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_GAP = r"[\s_.,-]+"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<!\d)(\d{4})([-_./])(\d{1,2})\2(\d{1,2})(?!\d)"), "y-m-d"),
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"), "ymd"),
    (re.compile(rf"(?<![a-z]){_MONTH}{_GAP}{_DAY}{_GAP}(\d{{4}})(?!\d)", re.I), "month d y"),
    (re.compile(rf"(?<!\d){_DAY}{_GAP}{_MONTH}{_GAP}(\d{{4}})(?!\d)", re.I), "d month y"),
    (re.compile(r"(?<![\d.])(\d{1,2})([-_./])(\d{1,2})\2(\d{4}|\d{2})(?![\d.])"), "m-d-y"),
)


@dataclass(frozen=True)
class FoundDate:
    day: dt.date
    source: str  # "file name" or "text"
    matched: str  # the words it was read from


def _year(value: str) -> int:
    year = int(value)
    if len(value) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _date(parts: tuple[str, ...], shape: str) -> dt.date | None:
    if shape == "y-m-d":
        y, m, d = parts[0], parts[2], parts[3]
    elif shape == "ymd":
        y, m, d = parts
    elif shape == "month d y":
        y, m, d = parts[2], str(_MONTHS[parts[0][:3].lower()]), parts[1]
    elif shape == "d month y":
        y, m, d = parts[2], str(_MONTHS[parts[1][:3].lower()]), parts[0]
    else:  # m-d-y
        y, m, d = parts[3], parts[0], parts[2]
    try:
        day = dt.date(_year(y), int(m), int(d))
    except ValueError:
        return None
    return day if 1990 <= day.year <= 2100 else None


def find_in(text: str) -> tuple[dt.date, str] | None:
    """The first date written in `text`, and the words it was read from."""
    best: tuple[int, dt.date, str] | None = None
    for pattern, shape in _PATTERNS:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best[0]:
                break
            day = _date(match.groups(), shape)
            if day is not None:
                best = (match.start(), day, match.group(0).strip())
                break
    return (best[1], best[2]) if best else None


def find_date(file_name: str, text: str | None) -> FoundDate | None:
    """The meeting's date from the file name, else from the first lines of the text."""
    stem = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    found = find_in(stem)
    if found:
        return FoundDate(found[0], "file name", found[1])
    if text:
        head = "\n".join(text[:TEXT_CHARS].splitlines()[:TEXT_LINES])
        found = find_in(head)
        if found:
            return FoundDate(found[0], "text", found[1])
    return None
