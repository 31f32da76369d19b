"""The lists' filters and the accountability table's sort, as they appear in the URL, and the
board's quick status change.

Filter values that cannot be meant (a hand-edited URL, a committee since renamed) are ignored
rather than refused, so a shared link always opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from jcpp.boards.accountability import SORT_COLUMNS
from jcpp.boards.service import STATUS_LABELS, BoardChoices, FollowUpFilters
from jcpp.errors import InvalidInput


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def wants_csv(params: Mapping[str, Any]) -> bool:
    return _text(params, "format") == "csv"


@dataclass
class FollowUpQuery:
    """Filters of a committee's list (status, overdue) and of a city's board (all of them)."""

    status: str = ""
    committee: str = ""  # committee slug
    topic: str = ""  # topic slug
    owner: str = ""  # "user:<id>" or "text:<as written>"
    overdue: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> FollowUpQuery:
        return cls(**{name: _text(params, name) for name in cls.__dataclass_fields__})

    def filters(self, choices: BoardChoices | None = None) -> FollowUpFilters:
        """The filters that can be meant; committee, topic and owner only among `choices`."""
        choices = choices or BoardChoices()
        committees = {c.slug: c.id for c in choices.committees}
        topics = {t.slug: t.id for t in choices.topics}
        owners = {o.value for o in (*choices.owner_users, *choices.owner_texts)}
        owner = self.owner if self.owner in owners else ""
        return FollowUpFilters(
            status=self.status if self.status in STATUS_LABELS else None,
            committee_id=committees.get(self.committee),
            topic_id=topics.get(self.topic),
            owner_user_id=int(owner[5:]) if owner.startswith("user:") else None,
            owner_text=owner[5:] if owner.startswith("text:") else None,
            overdue_only=self.overdue == "1",
        )

    def params(self, choices: BoardChoices | None = None) -> dict[str, str]:
        """The filters in effect, for links that keep them (CSV, the board after a change)."""
        filters = self.filters(choices)
        params: dict[str, str] = {}
        if filters.status:
            params["status"] = filters.status
        if filters.committee_id is not None:
            params["committee"] = self.committee
        if filters.topic_id is not None:
            params["topic"] = self.topic
        if filters.owner_user_id is not None or filters.owner_text is not None:
            params["owner"] = self.owner
        if filters.overdue_only:
            params["overdue"] = "1"
        return params


def with_params(path: str, params: Mapping[str, str], **more: str) -> str:
    query = urlencode({**params, **more})
    return f"{path}?{query}" if query else path


@dataclass(frozen=True)
class SortQuery:
    """The accountability table's order: ?sort=<column>&dir=asc|desc."""

    sort: str = "city"
    descending: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SortQuery:
        sort = _text(params, "sort")
        if sort not in SORT_COLUMNS:
            return cls()
        return cls(sort=sort, descending=_text(params, "dir") == "desc")

    def params(self) -> dict[str, str]:
        return {"sort": self.sort, "dir": "desc" if self.descending else "asc"}

    def link(self, column: str) -> dict[str, str]:
        """The sort a column's heading leads to: the other direction when it is the column
        sorted by; else the city name A to Z, and each figure largest first."""
        descending = not self.descending if column == self.sort else column != "city"
        return {"sort": column, "dir": "desc" if descending else "asc"}

    def aria_sort(self, column: str) -> str:
        if column != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


@dataclass
class StatusChangeForm:
    """The board's quick change: the new status, a comment (the reason when declining or
    reopening; the lifecycle checks it), and the version of the follow-up the board showed."""

    to: str = ""
    comment: str = ""
    version: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> StatusChangeForm:
        return cls(
            to=_text(data, "to"), comment=_text(data, "comment"), version=_text(data, "version")
        )

    def parse(self) -> tuple[str, str, int]:
        errors: dict[str, str] = {}
        if self.to not in STATUS_LABELS:
            errors["to"] = "Choose the new status."
        if not self.version.isdigit():
            errors["version"] = "Reload the board: it did not say which version it showed."
        if errors:
            raise InvalidInput(errors)
        return self.to, self.comment, int(self.version)
