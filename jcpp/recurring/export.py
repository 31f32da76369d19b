"""The list of recurring concerns as CSV, for the filter shown: the same cells and rules as the
follow-up exports (`jcpp.boards.export`: UTF-8 with a byte-order mark, dates as YYYY-MM-DD in
the county's calendar, a leading apostrophe on any cell a spreadsheet would take for a
formula, since titles come from the words of minutes)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from jcpp.boards.export import neutralise
from jcpp.recurring.view import RecurringView

HEADER = (
    "ID",
    "Title",
    "Times raised",
    "Cities",
    "Topics",
    "First raised",
    "Last raised",
    "Raised again while a follow-up was open",
    "Raised again after a follow-up was marked done",
    "Follow-ups",
    "Follow-ups not closed",
    "Confirmed",
    "Proposed",
    "Link",
)


def _row(view: RecurringView, base_url: str) -> tuple[object, ...]:
    counting = view.counting
    return (
        view.recurring.id,
        view.title,
        view.times,
        "; ".join(city.name for city in view.cities),
        "; ".join(topic.name for topic in view.topics),
        view.first_day.isoformat() if view.first_day else "",
        view.last_day.isoformat() if view.last_day else "",
        "yes" if view.raised_while_open else "",
        "yes" if view.raised_after_done else "",
        len(view.follow_ups),
        view.open_follow_ups,
        sum(1 for r in counting if r.member.state == "confirmed"),
        sum(1 for r in counting if r.member.state == "proposed"),
        f"{base_url}/recurring/{view.recurring.id}",
    )


def recurring_csv(views: Iterable[RecurringView], *, base_url: str) -> bytes:
    """The CSV file's bytes; `base_url` (scheme and host) makes the links absolute."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows([neutralise(cell) for cell in _row(view, base_url)] for view in views)
    return buffer.getvalue().encode("utf-8-sig")
