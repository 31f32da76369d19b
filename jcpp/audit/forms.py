"""The audit log's filters as the filter form and shared links put them in the URL."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from jcpp.audit.service import AuditFilter
from jcpp.web.forms import parse_date, parse_int, text

_NAME_RE = re.compile(r"^[a-z][a-z0-9_.]{0,59}$")
MAX_PAGE = 100_000


def _name(value: str) -> str | None:
    return value if _NAME_RE.match(value) else None


def _id(value: str) -> int | None:
    number = parse_int(value)
    return number if number is not None and number > 0 else None


@dataclass(frozen=True)
class AuditQuery:
    """The filters and page as typed, kept as text.

    The form always sends every field, empty when unused (`user=&city=&since=`). Empty means no
    filter, and a value that cannot be meant (a hand-edited link) is ignored rather than refused,
    so the page always opens.
    """

    action: str = ""
    entity_type: str = ""
    user: str = ""
    city: str = ""
    since: str = ""
    until: str = ""
    page: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> AuditQuery:
        return cls(**{field.name: text(params, field.name)[:100] for field in fields(cls)})

    def filters(self) -> AuditFilter:
        return AuditFilter(
            action=_name(self.action),
            entity_type=_name(self.entity_type),
            user_id=_id(self.user),
            city_id=_id(self.city),
            since=parse_date(self.since),
            until=parse_date(self.until),
        )

    def page_number(self) -> int:
        number = parse_int(self.page)
        return number if number is not None and 0 < number <= MAX_PAGE else 1

    def params(self) -> dict[str, str]:
        """The filters in use, as URL parameters (for the pager's links)."""
        filters = self.filters()
        values = {
            "action": filters.action,
            "entity_type": filters.entity_type,
            "user": filters.user_id,
            "city": filters.city_id,
            "since": filters.since.isoformat() if filters.since else None,
            "until": filters.until.isoformat() if filters.until else None,
        }
        return {name: str(value) for name, value in values.items() if value}
