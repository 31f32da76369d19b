"""The list's filters as they appear in the URL (?city=<slug>&topic=<slug>&flag=open|done).

Values that cannot be meant (a hand-edited URL, a city no longer in the list) are ignored
rather than refused, so a shared link always opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jcpp.recurring.flags import FLAG_LABELS
from jcpp.recurring.view import ListChoices, RecurringFilters


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name, "")
    return value.strip()[:120] if isinstance(value, str) else ""


@dataclass
class RecurringQuery:
    city: str = ""  # city slug
    topic: str = ""  # topic slug
    flag: str = ""  # a key of FLAG_LABELS

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> RecurringQuery:
        return cls(**{name: _text(params, name) for name in ("city", "topic", "flag")})

    def filters(self) -> RecurringFilters:
        return RecurringFilters(
            city=self.city or None,
            topic=self.topic or None,
            flag=self.flag if self.flag in FLAG_LABELS else None,
        )

    def params(self, choices: ListChoices) -> dict[str, str]:
        """The filters that can be meant (among the list's `choices`), for links that keep
        them (the CSV)."""
        params: dict[str, str] = {}
        if self.city in {city.slug for city in choices.cities}:
            params["city"] = self.city
        if self.topic in {topic.slug for topic in choices.topics}:
            params["topic"] = self.topic
        if self.flag in FLAG_LABELS:
            params["flag"] = self.flag
        return params
