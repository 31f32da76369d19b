"""Calendar dates in minutes: `March 15`, `March 15, 2025`, `Sept. 9`, `3/15`, `3/2/2016`, `9-6-23`.

Only a stated calendar day counts as a due date: "next month", "in May" or "before the next meeting"
give none. A date without a year takes the year of the meeting (`doc.user_data["meeting_date"]`
when the caller knows it, else the first full date in the document's opening lines), moved to the
next year when it would otherwise fall well before the meeting ("by January 14" in December).
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc, Span

from nlp.components.docfacts import facts

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}  # fmt: skip
# Words before a due date; "until" and "through" mark how long something lasts, not a deadline.
DUE_WORDS = frozenset({"by", "before", "due", "on"})
NUMERIC = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")
DAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")
HEADER_TOKENS = 250  # where the meeting's own date is looked for
PAST_TOLERANCE = dt.timedelta(days=60)
MAX_SCAN = 120  # tokens of an action item searched for its due date


def _year(text: str | None) -> int | None:
    if text is None or not text.isdigit():
        return None
    value = int(text)
    if len(text) == 2:
        return 2000 + value
    return value if 1990 <= value <= 2100 else None


def _make(year: int | None, month: int, day: int) -> tuple[int | None, int, int] | None:
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return (year, month, day)


def _month_day(span: Span, i: int) -> tuple[tuple[int | None, int, int], int] | None:
    """`March 15[, 2025]` or `Sept. 9` starting at token i: (year?, month, day) and end index."""
    doc = span.doc
    month = MONTHS.get(doc[i].lower_.rstrip("."))
    j = i + 1
    if month is None or doc[i].lower_ == "may" and not doc[i].text[0].isupper():
        return None
    if (
        j < span.end
        and doc[j].text == "."
        and doc[i].lower_ != doc[i].lower_.rstrip(".")
        or j < span.end
        and doc[j].text == "."
    ):
        j += 1
    if j >= span.end or (match := DAY.match(doc[j].text)) is None:
        return None
    day, j = int(match.group(1)), j + 1
    year = None
    if j + 1 < span.end and doc[j].text == "," and _year(doc[j + 1].text) and len(doc[j + 1]) == 4:
        year, j = _year(doc[j + 1].text), j + 2
    elif j < span.end and len(doc[j]) == 4 and _year(doc[j].text):
        year, j = _year(doc[j].text), j + 1
    made = _make(year, month, day)
    return (made, j) if made else None


def _numeric(span: Span, i: int) -> tuple[tuple[int | None, int, int], int] | None:
    """`3/15`, `3/2/2016` (one token) or `9-6-23` (five tokens) starting at token i."""
    doc = span.doc
    if match := NUMERIC.match(doc[i].text):
        made = _make(_year(match.group(3)), int(match.group(1)), int(match.group(2)))
        return (made, i + 1) if made else None
    if i + 4 < span.end and all(doc[i + k].text == "-" for k in (1, 3)):
        parts = [doc[i + k].text for k in (0, 2, 4)]
        adjacent = doc[i + 4].idx + len(doc[i + 4]) - doc[i].idx == sum(map(len, parts)) + 2
        if adjacent and all(p.isdigit() for p in parts) and len(parts[2]) in (2, 4):
            made = _make(_year(parts[2]), int(parts[0]), int(parts[1]))
            return (made, i + 5) if made else None
    return None


def date_at(span: Span, i: int) -> tuple[tuple[int | None, int, int], int] | None:
    """A calendar date starting at doc token i inside span: (year or None, month, day), end."""
    return _month_day(span, i) or _numeric(span, i)


# By a token's lower-case id: whether a date can start at it (a digit or a month first).
_MAY_START: dict[int, bool] = {}


def _may_start_date(lower: str) -> bool:
    return lower[:1].isdigit() or lower.rstrip(".") in MONTHS


def meeting_date(doc: Doc) -> dt.date | None:
    """The meeting's date: given by the caller, or the first full date near the top."""
    given = doc.user_data.get("meeting_date")
    if isinstance(given, dt.date):
        return given
    head = doc[: min(len(doc), HEADER_TOKENS)]
    lower_ids = facts(doc).lower_ids
    strings = doc.vocab.strings
    for i in range(head.start, head.end):
        starts = _MAY_START.get(lower_ids[i])
        if starts is None:
            if len(_MAY_START) > 200_000:
                _MAY_START.clear()
            starts = _MAY_START[lower_ids[i]] = _may_start_date(strings[lower_ids[i]])
        if not starts:
            continue
        found = date_at(head, i)
        if found and found[0][0] is not None:
            year, month, day = found[0]
            try:
                return dt.date(year or 0, month, day)
            except ValueError:
                continue
    return None


def resolve(parts: tuple[int | None, int, int], reference: dt.date | None) -> dt.date | None:
    """A full date from (year?, month, day), taking a missing year from the reference date."""
    year, month, day = parts
    try:
        if year is not None:
            return dt.date(year, month, day)
        if reference is None:
            return None
        candidate = dt.date(reference.year, month, day)
        if candidate < reference - PAST_TOLERANCE:
            candidate = dt.date(reference.year + 1, month, day)
        return candidate
    except ValueError:
        return None


def due_date(span: Span, reference: dt.date | None) -> dt.date | None:
    """The date after `by`, `before`, `due`, `until`, `on` … in the span, when one is stated."""
    doc = span.doc
    words = facts(doc).positions_in(
        DUE_WORDS | {"than"}, span.start, min(span.end - 1, span.start + MAX_SCAN)
    )
    for i in words:
        word = doc[i].lower_
        if word == "than" and (i == 0 or doc[i - 1].lower_ != "later"):
            continue
        j = i + 1
        if j < span.end and doc[j].lower_ in ("the", "end", "of") and word != "on":
            continue
        found = date_at(span, j)
        if found:
            return resolve(found[0], reference)
    return None
