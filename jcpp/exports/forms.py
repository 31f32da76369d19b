"""The Exports page's choices as they appear in the URL.

?what=meetings|attendance|concerns|follow-ups|topic-counts
?from=2026-01-01&to=2026-03-31      county calendar days, both included (none: no bound)
?city=<slug>&city=…                 cities (none: every city the viewer sees)
?committee=<slug>&committee=…       committees (none: every committee the viewer sees)
?topic=<slug>&topic=…               topics (none: any)
?meeting_status=held …              the status filter of the chosen kind (see KINDS)
?confirmed=1                        only what a person confirmed, where it applies
?format=csv|json

Nothing here reads the database: `ExportQuery.check` turns the text into an `ExportSpec`
against the choices the viewer was offered, and says what is wrong in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from starlette.datastructures import QueryParams

from jcpp.followups.lifecycle import STATUS_LABELS as FOLLOW_UP_LABELS
from jcpp.models import (
    ATTENDANCE_STATUSES,
    FOLLOW_UP_STATUSES,
    MEETING_STATUSES,
    City,
    Committee,
    Topic,
)

T = TypeVar("T")
FORMATS = ("csv", "json")
LONGEST_LIST = 500  # values of one repeated parameter


@dataclass(frozen=True)
class Kind:
    """One thing that can be exported: its label, the status filter it has (parameter name and
    the values with their labels), and which of the other filters apply to it."""

    key: str
    label: str
    status_param: str | None = None
    statuses: tuple[tuple[str, str], ...] = ()
    committees: bool = True
    confirmed: str | None = None  # what "confirmed only" means for it; None: does not apply


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "meetings",
            "Meetings",
            "meeting_status",
            tuple((s, s.capitalize()) for s in MEETING_STATUSES),
            confirmed="topics: only those a person confirmed",
        ),
        Kind(
            "attendance",
            "Attendance",
            "attendance_status",
            tuple((s, s.capitalize()) for s in ATTENDANCE_STATUSES),
            confirmed="topics: only those a person confirmed",
        ),
        Kind(
            "concerns",
            "Concerns",
            "concern_status",
            (("proposed", "Proposed"), ("confirmed", "Confirmed")),
            confirmed="only concerns a person confirmed",
        ),
        Kind(
            "follow-ups",
            "Follow-ups",
            "follow_up_status",
            tuple((s, FOLLOW_UP_LABELS[s]) for s in FOLLOW_UP_STATUSES),
        ),
        Kind(
            "topic-counts",
            "Topic counts (per city and month)",
            committees=False,
            confirmed="count only what a person confirmed",
        ),
    )
}


def _texts(params: QueryParams, name: str) -> list[str]:
    values = [value.strip()[:200] for value in params.getlist(name) if value.strip()]
    return list(dict.fromkeys(values))[:LONGEST_LIST]


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class ExportSpec:
    """What to export, checked: every city, committee and topic is one the viewer was offered."""

    kind: Kind
    format: str
    first: dt.date | None
    last: dt.date | None
    cities: tuple[City, ...]
    committees: tuple[Committee, ...]
    topics: tuple[Topic, ...]
    statuses: tuple[str, ...]
    confirmed_only: bool

    def describe(self) -> dict[str, Any]:
        """The filters as the JSON file states them."""
        return {
            "what": self.kind.key,
            "from": self.first.isoformat() if self.first else None,
            "to": self.last.isoformat() if self.last else None,
            "cities": [city.slug for city in self.cities],
            "committees": [committee.slug for committee in self.committees],
            "topics": [topic.slug for topic in self.topics],
            "statuses": list(self.statuses),
            "confirmed_only": self.confirmed_only,
        }


@dataclass
class ExportQuery:
    """The choices as typed (the form shows them back as they were)."""

    what: str = "meetings"
    start: str = ""
    end: str = ""
    cities: list[str] = field(default_factory=list)
    committees: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    statuses: dict[str, list[str]] = field(default_factory=dict)
    confirmed: bool = False
    format: str = "csv"

    @classmethod
    def from_params(cls, params: QueryParams) -> ExportQuery:
        return cls(
            what=params.get("what", "meetings").strip()[:40],
            start=params.get("from", "").strip()[:20],
            end=params.get("to", "").strip()[:20],
            cities=_texts(params, "city"),
            committees=_texts(params, "committee"),
            topics=_texts(params, "topic"),
            statuses={
                kind.status_param: _texts(params, kind.status_param)
                for kind in KINDS.values()
                if kind.status_param
            },
            confirmed=params.get("confirmed", "") in ("1", "on", "true"),
            format=params.get("format", "csv").strip()[:10],
        )

    def check(
        self,
        *,
        cities: list[City],
        committees: list[Committee],
        topics: list[Topic],
    ) -> tuple[ExportSpec | None, dict[str, str]]:
        """The spec, or None and a message per field that is wrong."""
        errors: dict[str, str] = {}
        kind = KINDS.get(self.what)
        if kind is None:
            errors["what"] = "Choose what to export."
        if self.format not in FORMATS:
            errors["format"] = "Choose CSV or JSON."
        first = _day(self.start) if self.start else None
        last = _day(self.end) if self.end else None
        if self.start and first is None:
            errors["from"] = f"“{self.start}” is not a date (YYYY-MM-DD)."
        if self.end and last is None:
            errors["to"] = f"“{self.end}” is not a date (YYYY-MM-DD)."
        if first and last and first > last:
            errors["to"] = "The period ends before it starts."
        chosen_cities = _chosen(self.cities, {c.slug: c for c in cities}, "city", errors)
        chosen_committees = _chosen(
            self.committees, {c.slug: c for c in committees}, "committee", errors
        )
        chosen_topics = _chosen(self.topics, {t.slug: t for t in topics}, "topic", errors)
        statuses: tuple[str, ...] = ()
        if kind is not None and kind.status_param:
            allowed = {value for value, _label in kind.statuses}
            statuses = tuple(self.statuses.get(kind.status_param, []))
            if any(status not in allowed for status in statuses):
                errors["status"] = f"Choose statuses of {kind.label.lower()} from the list."
        if errors or kind is None:
            return None, errors
        spec = ExportSpec(
            kind=kind,
            format=self.format,
            first=first,
            last=last,
            cities=chosen_cities,
            committees=chosen_committees if kind.committees else (),
            topics=chosen_topics,
            statuses=statuses,
            confirmed_only=self.confirmed and kind.confirmed is not None,
        )
        return spec, {}


WHAT_NAMES = {"city": "cities", "committee": "committees", "topic": "topics"}


def _chosen(
    slugs: list[str], offered: dict[str, T], name: str, errors: dict[str, str]
) -> tuple[T, ...]:
    unknown = [slug for slug in slugs if slug not in offered]
    if unknown:
        errors[name] = (
            f"“{unknown[0]}” is not among the {WHAT_NAMES[name]} you can export: it does not "
            "exist, or it is not yours to see."
        )
        return ()
    return tuple(offered[slug] for slug in slugs)
