"""The default topic list, shipped as data (`nlp/data/topics.json`).

The app loads it into its database once; county staff then edit names, descriptions and terms
there, and pass the edited list to `nlp.load(topics)`. A term is a word or phrase as people write
it; matching is on lower-case lemmas, so one form of a word usually covers its plural and other
inflections, but terms list the forms that the lookup table does not join (see `components/lemmas`).
A term may carry a strength after a bar, `"force|0.5"`: a weak term counts only with others.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from nlp.types import TopicDefinition

DEFAULT_TOPICS_FILE = "topics.json"


@cache
def _default_data() -> dict[str, Any]:
    text = resources.files("nlp").joinpath("data", DEFAULT_TOPICS_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def topics_from_data(data: dict[str, Any]) -> tuple[TopicDefinition, ...]:
    """Topic definitions from the shipped JSON layout (`{"topics": [{slug, name, …}]}`)."""
    return tuple(
        TopicDefinition(
            slug=item["slug"],
            name=item["name"],
            description=item.get("description", ""),
            terms=tuple(item.get("terms", ())),
            exclusions=tuple(item.get("exclusions", ())),
        )
        for item in data["topics"]
    )


def default_topics() -> tuple[TopicDefinition, ...]:
    """The county's starting topic list, exactly the slugs of the domain document."""
    return topics_from_data(_default_data())


def default_topics_version() -> str:
    """The version of the shipped list, to tell whether a database holds an older copy."""
    return str(_default_data()["version"])


def split_term(term: str) -> tuple[str, float]:
    """`"force|0.5"` → ("force", 0.5); a term without a strength counts fully."""
    phrase, _, strength = term.partition("|")
    try:
        weight = float(strength) if strength else 1.0
    except ValueError:
        weight = 1.0
    return phrase.strip(), max(0.0, min(1.0, weight))
