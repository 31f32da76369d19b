"""Topic list forms: a topic's fields (terms one per line), and merging into another topic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jcpp.models import Topic
from jcpp.topics.service import TopicChanges

STATE_FILTERS = {"active": "In use", "retired": "Retired and merged", "all": "All"}


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name, "")
    return value if isinstance(value, str) else ""


def lines(text: str) -> tuple[str, ...]:
    """One entry per line, blank lines dropped (commas are part of a phrase)."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@dataclass
class TopicForm:
    """What the topic form shows and sends: terms and exclusions as one entry per line."""

    name: str = ""
    slug: str = ""
    description: str = ""
    terms: str = ""
    exclusions: str = ""
    version: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> TopicForm:
        return cls(
            name=_text(data, "name").strip(),
            slug=_text(data, "slug").strip(),
            description=_text(data, "description").strip(),
            terms=_text(data, "terms"),
            exclusions=_text(data, "exclusions"),
            version=_text(data, "version").strip(),
        )

    @classmethod
    def from_topic(cls, topic: Topic) -> TopicForm:
        return cls(
            name=topic.name,
            slug=topic.slug,
            description=topic.description,
            terms="\n".join(topic.terms),
            exclusions="\n".join(topic.exclusions),
            version=str(topic.version),
        )

    def changes(self) -> TopicChanges:
        return TopicChanges(
            name=self.name,
            description=self.description,
            terms=lines(self.terms),
            exclusions=lines(self.exclusions),
        )

    def version_number(self) -> int:
        """The version the edit was based on (0, which never matches, when missing)."""
        return int(self.version) if self.version.isdigit() else 0


@dataclass
class MergeForm:
    into: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> MergeForm:
        return cls(into=_text(data, "into").strip())


def state_filter(value: str | None) -> str:
    return value if value in STATE_FILTERS else "active"
