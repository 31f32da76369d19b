"""Committee page forms: the meeting-list filters and "schedule the next meetings"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jcpp.committees.service import MAX_SCHEDULE_MONTHS, MeetingFilters
from jcpp.errors import InvalidInput
from jcpp.models import MEETING_STATUSES

DEFAULT_SCHEDULE_MONTHS = 3


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name, "")
    return value.strip() if isinstance(value, str) else ""


@dataclass
class MeetingListQuery:
    """The meeting list's filters and page as they appear in the URL.

    Values that cannot be meant (a hand-edited URL) are ignored rather than refused, so a
    shared link always opens.
    """

    status: str = ""
    year: str = ""
    missing: str = ""
    page: str = "1"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> MeetingListQuery:
        return cls(
            status=_text(params, "status"),
            year=_text(params, "year"),
            missing=_text(params, "missing"),
            page=_text(params, "page") or "1",
        )

    def filters(self) -> MeetingFilters:
        status = self.status if self.status in MEETING_STATUSES else None
        year = int(self.year) if self.year.isdigit() and 1990 <= int(self.year) <= 2100 else None
        return MeetingFilters(status=status, year=year, missing_only=self.missing == "1")

    def page_number(self) -> int:
        return int(self.page) if self.page.isdigit() and 0 < int(self.page) < 100_000 else 1

    def params(self) -> dict[str, str]:
        """The filters that are set, for links that keep them (paging)."""
        filters = self.filters()
        params: dict[str, str] = {}
        if filters.status:
            params["status"] = filters.status
        if filters.year:
            params["year"] = str(filters.year)
        if filters.missing_only:
            params["missing"] = "1"
        return params


@dataclass
class ScheduleForm:
    months: str = str(DEFAULT_SCHEDULE_MONTHS)

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ScheduleForm:
        return cls(months=_text(data, "months"))

    def parse(self) -> int:
        try:
            months = int(self.months)
        except ValueError:
            months = 0
        if not 1 <= months <= MAX_SCHEDULE_MONTHS:
            raise InvalidInput(
                {"months": f"Enter a number of months from 1 to {MAX_SCHEDULE_MONTHS}."}
            )
        return months
