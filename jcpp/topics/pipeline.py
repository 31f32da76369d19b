"""The topic list as the pipeline sees it, and loading the shipped default list into it.

`topics_for_pipeline` gives the pipeline the active topics (a merged topic's terms go to the
topic it was merged into); `topic_list_version` fingerprints exactly that, so that an analysis
can record which list it used and stale analyses can be found.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from jcpp.audit.service import record
from jcpp.models import Topic
from jcpp.models.base import utcnow
from nlp import taxonomy
from nlp.types import TopicDefinition


def touch_topic(session: Session, topic: Topic) -> None:
    topic.version += 1
    topic.updated_at = utcnow()
    session.add(topic)


# ---------------------------------------------------------------- the shipped list


@dataclass(frozen=True)
class LoadResult:
    added: list[str]
    refreshed: list[str]  # shipped entries nobody edited, brought up to the shipped version
    kept: list[str]  # entries county staff edited: left as they are

    @property
    def changed(self) -> bool:
        return bool(self.added or self.refreshed)


def _definition_fields(definition: TopicDefinition) -> dict[str, object]:
    return {
        "name": definition.name,
        "description": definition.description,
        "terms": list(definition.terms),
        "exclusions": list(definition.exclusions),
    }


def ensure_default_topics(session: Session, *, user_id: int | None = None) -> LoadResult:
    """Load the shipped default list: add missing slugs, bring entries nobody edited up to the
    shipped wording and terms, and never touch an entry county staff edited. Idempotent."""
    existing = {topic.slug: topic for topic in session.exec(select(Topic)).all()}
    added: list[str] = []
    refreshed: list[str] = []
    kept: list[str] = []
    for definition in taxonomy.default_topics():
        fields = _definition_fields(definition)
        topic = existing.get(definition.slug)
        if topic is None:
            session.add(Topic(slug=definition.slug, **fields))  # type: ignore[arg-type]
            added.append(definition.slug)
        elif topic.edited:
            kept.append(definition.slug)
        elif any(getattr(topic, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(topic, name, value)
            touch_topic(session, topic)
            refreshed.append(definition.slug)
    result = LoadResult(added=added, refreshed=refreshed, kept=kept)
    if result.changed:
        record(
            session,
            user_id=user_id,
            action="load_topics",
            entity_type="topic",
            entity_id=None,
            summary=f"Loaded the shipped topic list {taxonomy.default_topics_version()}: "
            f"{len(added)} added, {len(refreshed)} updated, {len(kept)} edited kept",
            after={"added": added, "refreshed": refreshed},
        )
    session.flush()
    return result


def ensure_topic_list(session: Session) -> None:
    """Load the shipped list when the database has no topics at all (first use)."""
    if session.exec(select(Topic.id).limit(1)).first() is not None:
        return
    try:
        with session.begin_nested():
            ensure_default_topics(session)
    except IntegrityError:  # another process loaded it at the same moment
        pass


# ---------------------------------------------------------------- what the pipeline gets


def _final_target(topic: Topic, by_id: dict[int, Topic]) -> Topic | None:
    """The active topic a merged topic ended up in (merges can chain)."""
    seen: set[int] = set()
    current: Topic | None = topic
    while current is not None and current.merged_into_id is not None:
        if current.merged_into_id in seen:
            return None
        seen.add(current.merged_into_id)
        current = by_id.get(current.merged_into_id)
    return current if current is not None and current.active else None


def unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def topics_for_pipeline(session: Session) -> list[TopicDefinition]:
    """The active topics as the pipeline needs them; a merged topic's terms and exclusions go
    to the topic it was merged into, retired topics are left out."""
    topics = session.exec(select(Topic).order_by(col(Topic.id))).all()
    by_id = {topic.id: topic for topic in topics if topic.id is not None}
    extra_terms: dict[int, list[str]] = {}
    extra_exclusions: dict[int, list[str]] = {}
    for topic in topics:
        if topic.merged_into_id is None:
            continue
        target = _final_target(topic, by_id)
        if target is not None and target.id is not None:
            extra_terms.setdefault(target.id, []).extend(topic.terms)
            extra_exclusions.setdefault(target.id, []).extend(topic.exclusions)
    return [
        TopicDefinition(
            slug=topic.slug,
            name=topic.name,
            description=topic.description,
            terms=unique([*topic.terms, *extra_terms.get(topic.id or 0, [])]),
            exclusions=unique([*topic.exclusions, *extra_exclusions.get(topic.id or 0, [])]),
        )
        for topic in topics
        if topic.active and topic.merged_into_id is None
    ]


def fingerprint(definitions: Sequence[TopicDefinition]) -> str:
    """A short digest of what the pipeline matches: slugs, terms and exclusions."""
    payload = sorted((d.slug, list(d.terms), list(d.exclusions)) for d in definitions)
    digest = hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:16]


def topic_list_version(session: Session) -> str:
    """The version of the topic list as the pipeline sees it (changes when a change matters)."""
    return fingerprint(topics_for_pipeline(session))


def topic_ids_by_slug(session: Session) -> dict[str, int]:
    rows = session.exec(select(Topic.slug, Topic.id)).all()
    return {slug: topic_id for slug, topic_id in rows if topic_id is not None}
