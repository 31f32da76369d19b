"""The county's topic list: loading the shipped list, reading it, and county staff's edits.

County staff and administrators change the list (add, edit, retire, restore, merge); everyone
signed in may read it. Every change is audited and bumps the topic's `version`. What the
pipeline is given (`topics_for_pipeline`) is fingerprinted by `topic_list_version`: an analysis
records the fingerprint, so an edit that changes what the pipeline matches makes stored analyses
stale, and an edit that does not (a new description) leaves them alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from jcpp.admin.service import slug_error, slugify
from jcpp.audit.service import record
from jcpp.auth.permissions import Viewer, visible_committees
from jcpp.errors import Conflict, InvalidInput, NotFound, NotPermitted
from jcpp.models import City, Committee, Meeting, MeetingTopic, Topic, TopicMention
from jcpp.topics.pipeline import (
    LoadResult,
    ensure_default_topics,
    ensure_topic_list,
    fingerprint,
    topic_ids_by_slug,
    topic_list_version,
    topics_for_pipeline,
    touch_topic,
    unique,
)

__all__ = [
    "LoadResult",
    "TopicChanges",
    "TopicRow",
    "add_topic",
    "can_edit_topics",
    "ensure_default_topics",
    "ensure_topic_list",
    "fingerprint",
    "get_topic",
    "list_topics",
    "merge_targets",
    "merged_from",
    "merged_into",
    "recent_meetings",
    "require_topic_editor",
    "set_topic_active",
    "topic_ids_by_slug",
    "topic_list_version",
    "topics_for_pipeline",
    "update_topic",
    "validate_changes",
]

TOPIC_EDITOR_ROLES = frozenset({"admin", "county_staff"})
MAX_NAME = 120
MAX_DESCRIPTION = 1000
MAX_TERM = 100
MAX_TERMS = 400
MAX_SLUG = 80


# ---------------------------------------------------------------- permission


def can_edit_topics(viewer: Viewer) -> bool:
    return viewer.role in TOPIC_EDITOR_ROLES


def require_topic_editor(viewer: Viewer) -> None:
    if not can_edit_topics(viewer):
        raise NotPermitted("Only county staff and administrators can change the topic list.")


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class TopicRow:
    topic: Topic
    merged_into: Topic | None
    meetings: int  # meetings where it is confirmed or proposed
    confirmed: int
    proposed: int
    mentions: int  # evidence spans in those meetings' minutes


def _visible_meeting_ids(viewer: Viewer) -> ColumnElement[bool]:
    visible = (
        select(Meeting.id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(visible_committees(viewer))
    )
    return col(MeetingTopic.meeting_id).in_(visible)


def _state_counts(session: Session, viewer: Viewer) -> dict[tuple[int, str], int]:
    rows = session.exec(
        select(MeetingTopic.topic_id, MeetingTopic.state, func.count())
        .where(_visible_meeting_ids(viewer))
        .group_by(col(MeetingTopic.topic_id), col(MeetingTopic.state))
    ).all()
    return {(topic_id, state): count for topic_id, state, count in rows}


def _mention_counts(session: Session, viewer: Viewer) -> dict[int, int]:
    rows = session.exec(
        select(TopicMention.topic_id, func.count())
        .join(
            MeetingTopic,
            (col(MeetingTopic.meeting_id) == TopicMention.meeting_id)
            & (col(MeetingTopic.topic_id) == TopicMention.topic_id),
        )
        .where(col(MeetingTopic.state) != "rejected", _visible_meeting_ids(viewer))
        .group_by(col(TopicMention.topic_id))
    ).all()
    return dict(rows)


def list_topics(session: Session, *, viewer: Viewer) -> list[TopicRow]:
    """Every topic (active first, by name) with counts over the meetings the viewer may see."""
    ensure_topic_list(session)
    topics = session.exec(select(Topic)).all()
    by_id = {topic.id: topic for topic in topics}
    states = _state_counts(session, viewer)
    mentions = _mention_counts(session, viewer)
    rows = []
    for topic in sorted(topics, key=lambda t: (not t.active, t.name.lower())):
        tid = topic.id or 0
        confirmed, proposed = states.get((tid, "confirmed"), 0), states.get((tid, "proposed"), 0)
        rows.append(
            TopicRow(
                topic=topic,
                merged_into=by_id.get(topic.merged_into_id) if topic.merged_into_id else None,
                meetings=confirmed + proposed,
                confirmed=confirmed,
                proposed=proposed,
                mentions=mentions.get(tid, 0),
            )
        )
    return rows


def get_topic(session: Session, slug: str) -> Topic:
    ensure_topic_list(session)
    topic = session.exec(select(Topic).where(Topic.slug == slug)).first()
    if topic is None:
        raise NotFound("There is no topic with this name in the list.")
    return topic


def merge_targets(session: Session, topic: Topic) -> list[Topic]:
    """The topics `topic` may be merged into: active, not itself."""
    return list(
        session.exec(
            select(Topic)
            .where(col(Topic.active).is_(True), Topic.id != topic.id)
            .order_by(func.lower(Topic.name))
        ).all()
    )


def merged_into(session: Session, topic: Topic) -> Topic | None:
    return session.get(Topic, topic.merged_into_id) if topic.merged_into_id else None


def merged_from(session: Session, topic: Topic) -> list[Topic]:
    """The topics that were merged into this one."""
    return list(
        session.exec(
            select(Topic).where(Topic.merged_into_id == topic.id).order_by(col(Topic.name))
        ).all()
    )


@dataclass(frozen=True)
class TopicMeeting:
    meeting: Meeting
    committee: Committee
    city: City
    state: str
    origin: str


def recent_meetings(
    session: Session, topic: Topic, *, viewer: Viewer, limit: int = 20
) -> list[TopicMeeting]:
    """The newest meetings the viewer may see where the topic is confirmed or proposed."""
    rows = session.exec(
        select(Meeting, Committee, City, MeetingTopic)
        .join(MeetingTopic, col(MeetingTopic.meeting_id) == Meeting.id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .join(City, col(City.id) == Committee.city_id)
        .where(MeetingTopic.topic_id == topic.id, col(MeetingTopic.state) != "rejected")
        .where(visible_committees(viewer))
        .order_by(col(Meeting.start_at).desc())
        .limit(limit)
    ).all()
    return [TopicMeeting(m, c, city, mt.state, mt.origin) for m, c, city, mt in rows]


# ---------------------------------------------------------------- changing


@dataclass(frozen=True)
class TopicChanges:
    name: str
    description: str = ""
    terms: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()


def _term_error(term: str) -> str | None:
    phrase, bar, strength = term.partition("|")
    if len(term) > MAX_TERM:
        return f"“{term[:30]}…” is longer than {MAX_TERM} characters."
    if not phrase.strip():
        return f"“{term}” has no words before the bar."
    if bar:
        try:
            value = float(strength)
        except ValueError:
            value = -1.0
        if not 0 < value <= 1:
            return f"“{term}”: after the bar comes a strength above 0 and at most 1, e.g. 0.5."
    return None


def _clean_terms(terms: Iterable[str], field: str, errors: dict[str, str]) -> tuple[str, ...]:
    cleaned = unique(" ".join(term.split()) for term in terms if term.strip())
    if len(cleaned) > MAX_TERMS:
        errors[field] = f"Keep the list under {MAX_TERMS} entries (it has {len(cleaned)})."
    for term in cleaned:
        problem = _term_error(term)
        if problem:
            errors.setdefault(field, problem)
    return cleaned


def _name_taken(session: Session, name: str, topic_id: int | None) -> bool:
    query = select(Topic.id).where(func.lower(Topic.name) == name.lower())
    if topic_id is not None:
        query = query.where(Topic.id != topic_id)
    return session.exec(query).first() is not None


def validate_changes(
    session: Session, changes: TopicChanges, *, topic_id: int | None = None
) -> TopicChanges:
    """The changes as they will be stored, or InvalidInput naming each field's problem."""
    errors: dict[str, str] = {}
    name = " ".join(changes.name.split())
    if not name:
        errors["name"] = "Enter the topic's name."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Use at most {MAX_NAME} characters."
    elif _name_taken(session, name, topic_id):
        errors["name"] = f"Another topic is already called {name!r}."
    description = changes.description.strip()
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = f"Keep the description under {MAX_DESCRIPTION} characters."
    terms = _clean_terms(changes.terms, "terms", errors)
    if not terms and "terms" not in errors:
        errors["terms"] = "Give at least one word or phrase that shows the topic is discussed."
    exclusions = _clean_terms(changes.exclusions, "exclusions", errors)
    if errors:
        raise InvalidInput(errors)
    return TopicChanges(name=name, description=description, terms=terms, exclusions=exclusions)


def _snapshot(topic: Topic) -> dict[str, object]:
    return {
        "name": topic.name,
        "description": topic.description,
        "terms": list(topic.terms),
        "exclusions": list(topic.exclusions),
        "active": topic.active,
    }


def add_topic(session: Session, *, changes: TopicChanges, slug: str = "", by: Viewer) -> Topic:
    """A new topic, made by county staff; the slug is made from the name when left blank."""
    require_topic_editor(by)
    errors: dict[str, str] = {}
    try:
        changes = validate_changes(session, changes)
    except InvalidInput as invalid:
        errors.update(invalid.errors)
    slug = slug.strip().lower() or slugify(changes.name)
    problem = slug_error(slug, max_length=MAX_SLUG)
    if problem is None and session.exec(select(Topic.id).where(Topic.slug == slug)).first():
        problem = f"The slug {slug!r} is already used by another topic (perhaps a retired one)."
    if problem:
        errors["slug"] = problem
    if errors:
        raise InvalidInput(errors)
    topic = Topic(
        slug=slug,
        name=changes.name,
        description=changes.description,
        terms=list(changes.terms),
        exclusions=list(changes.exclusions),
        edited=True,
    )
    session.add(topic)
    session.flush()
    record(
        session,
        user_id=by.id,
        action="add_topic",
        entity_type="topic",
        entity_id=topic.id,
        summary=f"Added the topic {topic.name} ({slug})",
        after=_snapshot(topic),
    )
    return topic


def update_topic(
    session: Session, slug: str, *, changes: TopicChanges, version: int, by: Viewer
) -> Topic:
    """Save county staff's edit of a topic. Conflict when someone saved it in between."""
    require_topic_editor(by)
    topic = get_topic(session, slug)
    changes = validate_changes(session, changes, topic_id=topic.id)
    if version != topic.version:
        raise Conflict(
            f"Someone else changed the topic {topic.name} while you were editing. "
            "Their version is shown; make your change again."
        )
    before = _snapshot(topic)
    topic.name = changes.name
    topic.description = changes.description
    topic.terms = list(changes.terms)
    topic.exclusions = list(changes.exclusions)
    after = _snapshot(topic)
    if after == before:
        return topic
    topic.edited = True
    touch_topic(session, topic)
    session.flush()
    changed = [key for key in after if after[key] != before[key]]
    record(
        session,
        user_id=by.id,
        action="update_topic",
        entity_type="topic",
        entity_id=topic.id,
        summary=f"Changed the topic {topic.name}: {', '.join(changed)}",
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    return topic


def set_topic_active(session: Session, slug: str, *, active: bool, by: Viewer) -> Topic:
    """Retire a topic (it keeps its history but is no longer proposed) or restore it."""
    require_topic_editor(by)
    topic = get_topic(session, slug)
    if topic.active == active:
        return topic
    if active and topic.merged_into_id is not None:
        target = session.get(Topic, topic.merged_into_id)
        raise Conflict(
            f"{topic.name} was merged into {target.name if target else 'another topic'}; "
            "its meetings belong to that topic now, so it cannot be restored."
        )
    topic.active = active
    topic.edited = True
    touch_topic(session, topic)
    session.flush()
    verb = "Restored" if active else "Retired"
    record(
        session,
        user_id=by.id,
        action="restore_topic" if active else "retire_topic",
        entity_type="topic",
        entity_id=topic.id,
        summary=f"{verb} the topic {topic.name}",
        before={"active": not active},
        after={"active": active},
    )
    return topic
