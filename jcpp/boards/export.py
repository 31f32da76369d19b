"""CSV exports of the follow-up lists and of department accountability, for the filter shown.

UTF-8 with a byte-order mark (so that Excel reads accents and non-Latin names right), one
header row, dates as YYYY-MM-DD in the county's calendar. Every cell that a spreadsheet
would read as a formula (starting with = + - @, or a tab or carriage return) gets a leading
apostrophe: titles and owners are typed by people and may come from pasted minutes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence

from jcpp import clock
from jcpp.boards.accountability import CityAccountability
from jcpp.boards.service import FollowUpRow

__all__ = [
    "ACCOUNTABILITY_HEADER",
    "FOLLOW_UP_HEADER",
    "accountability_csv",
    "csv_filename",
    "follow_ups_csv",
    "neutralise",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

FOLLOW_UP_HEADER = (
    "ID",
    "Title",
    "City",
    "Committee",
    "Meeting date",
    "Owner",
    "Owner's account",
    "Due date",
    "Status",
    "Overdue",
    "Progress (%)",
    "Topics",
    "Created",
    "Verified done",
)
ACCOUNTABILITY_HEADER = (
    "City",
    "Open",
    "Overdue",
    "Median days to close",
    "Verified done",
    "Reported done",
    "Share verified (%)",
    "Concerns raised again",
)


def neutralise(value: object) -> str:
    """The cell as text, with a leading ' when a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _day(moment: dt.datetime | None) -> str:
    return clock.local_date(moment).isoformat() if moment is not None else ""


def follow_ups_csv(rows: Iterable[FollowUpRow]) -> bytes:
    return _table(
        FOLLOW_UP_HEADER,
        (
            (
                row.follow_up.id,
                row.follow_up.title,
                row.city.name,
                row.committee.name,
                _day(row.meeting.start_at),
                row.follow_up.owner_text or "",
                row.owner_user.name if row.owner_user else "",
                row.follow_up.due_date.isoformat() if row.follow_up.due_date else "",
                row.status_label,
                "yes" if row.overdue else "",
                "" if row.follow_up.progress is None else row.follow_up.progress,
                "; ".join(topic.name for topic in row.topics),
                _day(row.follow_up.created_at),
                _day(row.follow_up.closed_at),
            )
            for row in rows
        ),
    )


def accountability_csv(rows: Iterable[CityAccountability]) -> bytes:
    return _table(
        ACCOUNTABILITY_HEADER,
        (
            (
                row.city.name,
                row.open,
                row.overdue,
                "" if row.median_days_to_close is None else f"{row.median_days_to_close:.1f}",
                row.verified,
                row.reported_done,
                "" if row.share_verified is None else f"{100 * row.share_verified:.0f}",
                row.raised_again,
            )
            for row in rows
        ),
    )


def csv_filename(*parts: str, today: dt.date) -> str:
    """e.g. follow-ups-richfield-2026-03-18.csv: ASCII letters, digits and dashes only, so the
    Content-Disposition header needs no quoting rules."""
    words = [re.sub(r"[^a-z0-9]+", "-", part.casefold()).strip("-") for part in parts]
    return "-".join([w for w in words if w] + [today.isoformat()]) + ".csv"
