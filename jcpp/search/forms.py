"""The search as it appears in the URL: /search?q=…&city=<name or slug>&committee=<name or
slug>&topic=<slug>&kind=…&status=<kind>:<status>&from=<date>&to=<date>&sort=…&page=…

Values that cannot be meant (a hand-edited URL, a city outside the viewer's scope) are ignored
rather than refused, so a shared link always opens; the form shows what was applied (and says
which typed city or committee it did not know).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from jcpp.search.places import FilterChoices
from jcpp.search.results import STATUSES
from jcpp.search.service import MAX_PAGE, SORTS, SearchFilters
from jcpp.web.forms import parse_date, parse_int

MAX_QUERY_CHARS = 200
FIELDS = ("q", "city", "committee", "topic", "kind", "status", "from", "to", "sort")


def _text(params: Mapping[str, Any], name: str, limit: int = 120) -> str:
    value = params.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


@dataclass
class SearchForm:
    q: str = ""
    city: str = ""
    committee: str = ""
    topic: str = ""
    kind: str = ""
    status: str = ""  # "<kind>:<status>"
    date_from: str = ""
    date_to: str = ""
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SearchForm:
        sort = _text(params, "sort")
        return cls(
            q=_text(params, "q", MAX_QUERY_CHARS),
            city=_text(params, "city"),
            committee=_text(params, "committee"),
            topic=_text(params, "topic"),
            kind=_text(params, "kind"),
            status=_text(params, "status"),
            date_from=_text(params, "from"),
            date_to=_text(params, "to"),
            sort=sort if sort in SORTS else "relevance",
            page=min(max(parse_int(_text(params, "page")) or 1, 1), MAX_PAGE),
        )

    def _status(self) -> tuple[str, str] | None:
        kind, _, status = self.status.partition(":")
        return (kind, status) if status in STATUSES.get(kind, {}) else None

    def filters(self, choices: FilterChoices) -> SearchFilters:
        """The filters that can be meant, among the viewer's `choices`."""
        kind_status = self._status()
        kind = self.kind if self.kind in STATUS_KINDS else None
        if kind_status is not None:
            kind = kind_status[0] if kind in (None, kind_status[0]) else "-"
        date_from, date_to = parse_date(self.date_from), parse_date(self.date_to)
        if date_from and date_to and date_from > date_to:
            date_from, date_to = date_to, date_from
        return SearchFilters(
            city_id=choices.city.id if choices.city else None,
            committee_id=choices.committee.id if choices.committee else None,
            topic_id=choices.topic_ids.get(self.topic),
            kind=kind,
            status=kind_status[1] if kind_status else None,
            date_from=date_from,
            date_to=date_to,
        )

    def params(self, **changed: str) -> dict[str, str]:
        values = {
            "q": self.q, "city": self.city, "committee": self.committee, "topic": self.topic,
            "kind": self.kind, "status": self.status, "from": self.date_from,
            "to": self.date_to, "sort": "" if self.sort == "relevance" else self.sort,
        }  # fmt: skip
        values.update(changed)
        return {name: value for name, value in values.items() if value}

    def url(self, **changed: str) -> str:
        """This search's URL with some values changed (e.g. page="2")."""
        return "/search?" + urlencode(self.params(**changed))

    def unfiltered_url(self) -> str:
        return "/search?" + urlencode({"q": self.q})

    @property
    def filtered(self) -> bool:
        return any((self.city, self.committee, self.topic, self.kind, self.status,
                    self.date_from, self.date_to))  # fmt: skip


STATUS_KINDS = ("minutes", "agenda_item", "concern", "follow_up")
