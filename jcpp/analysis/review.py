"""People reviewing what the pipeline proposed for a meeting: topics, concerns, action items.

Reading needs view permission on the meeting's committee; every change needs edit permission
(the city's liaison, or an admin): others get NotFound out of scope and NotPermitted in scope.
Each change is one audit event. A reviewed row is never changed by re-analysis
(`jcpp.analysis.store`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, delete, select

from jcpp.analysis.store import relocate
from jcpp.audit.service import record
from jcpp.auth.permissions import Viewer, require_edit, require_view
from jcpp.errors import InvalidInput, NotFound
from jcpp.models import (
    ActionItem,
    Committee,
    Concern,
    ConcernTopic,
    Meeting,
    MeetingTopic,
    Minutes,
    MinutesRevision,
    Topic,
)
from jcpp.models.base import utcnow

MAX_CONCERN_CHARS = 2000


@dataclass(frozen=True)
class ReviewScope:
    meeting: Meeting
    committee: Committee

    @property
    def meeting_id(self) -> int:
        assert self.meeting.id is not None
        return self.meeting.id


def load_scope(
    session: Session, meeting_id: int, *, viewer: Viewer, edit: bool = False
) -> ReviewScope:
    """The meeting and its committee; NotFound when unknown or out of scope, NotPermitted to
    change it without edit permission."""
    row = session.exec(
        select(Meeting, Committee)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(Meeting.id == meeting_id)
    ).first()
    committee = row[1] if row else None
    if edit:
        require_edit(viewer, committee)
    else:
        require_view(viewer, committee)
    assert row is not None
    return ReviewScope(meeting=row[0], committee=row[1])


def audit_review(
    session: Session,
    scope: ReviewScope,
    by: Viewer,
    *,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record(
        session,
        user_id=by.id,
        action=action,
        entity_type=entity,
        entity_id=entity_id,
        city_id=scope.committee.city_id,
        summary=f"{summary} (meeting #{scope.meeting_id})",
        before=before,
        after=after,
    )


def mark_reviewed(row: MeetingTopic | Concern | ActionItem, state: str, by: Viewer) -> None:
    row.state = state
    row.reviewed_by_id = by.id
    row.reviewed_at = utcnow()


# ---------------------------------------------------------------- topics


def _active_topic(session: Session, topic_id: int) -> Topic:
    topic = session.get(Topic, topic_id)
    if topic is None or not topic.active:
        raise InvalidInput({"topic": "Choose a topic of the current list."})
    return topic


def _meeting_topic(session: Session, meeting_id: int, topic_id: int) -> MeetingTopic | None:
    return session.exec(
        select(MeetingTopic).where(
            MeetingTopic.meeting_id == meeting_id, MeetingTopic.topic_id == topic_id
        )
    ).first()


def _review_topic(
    session: Session, meeting_id: int, topic_id: int, *, state: str, by: Viewer
) -> MeetingTopic:
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    row = _meeting_topic(session, meeting_id, topic_id)
    if row is None:
        raise NotFound("This topic was not proposed for this meeting.")
    topic = session.get(Topic, topic_id)
    before = row.state
    mark_reviewed(row, state, by)
    session.add(row)
    session.flush()
    verb = "Confirmed" if state == "confirmed" else "Rejected"
    audit_review(
        session, scope, by, action=f"{state[:-2]}_topic", entity="meeting_topic",
        entity_id=row.id, summary=f"{verb} the topic {topic.name if topic else topic_id}",
        before={"state": before}, after={"state": state},
    )  # fmt: skip
    return row


def confirm_topic(session: Session, meeting_id: int, topic_id: int, *, by: Viewer) -> MeetingTopic:
    """A person confirms that the meeting discussed the topic."""
    return _review_topic(session, meeting_id, topic_id, state="confirmed", by=by)


def reject_topic(session: Session, meeting_id: int, topic_id: int, *, by: Viewer) -> MeetingTopic:
    """A person rejects a proposed (or confirmed) topic; re-analysis will not propose it again."""
    return _review_topic(session, meeting_id, topic_id, state="rejected", by=by)


def add_topic(session: Session, meeting_id: int, topic_id: int, *, by: Viewer) -> MeetingTopic:
    """A person adds a topic the pipeline did not propose (or confirms it if it had)."""
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    topic = _active_topic(session, topic_id)
    row = _meeting_topic(session, meeting_id, topic_id)
    before = row.state if row else None
    if row is None:
        row = MeetingTopic(meeting_id=meeting_id, topic_id=topic_id, origin="person")
    mark_reviewed(row, "confirmed", by)
    session.add(row)
    session.flush()
    audit_review(
        session, scope, by, action="add_meeting_topic", entity="meeting_topic", entity_id=row.id,
        summary=f"Added the topic {topic.name}", before={"state": before},
        after={"state": "confirmed", "origin": row.origin},
    )  # fmt: skip
    return row


# ---------------------------------------------------------------- concerns


def _concern(session: Session, scope: ReviewScope, concern_id: int) -> Concern:
    concern = session.get(Concern, concern_id)
    if concern is None or concern.meeting_id != scope.meeting_id:
        raise NotFound("This meeting has no such concern.")
    return concern


def _set_topics(session: Session, concern: Concern, topic_ids: Sequence[int]) -> list[str]:
    topics = [_active_topic(session, topic_id) for topic_id in dict.fromkeys(topic_ids)]
    session.exec(delete(ConcernTopic).where(col(ConcernTopic.concern_id) == concern.id))
    for topic in topics:
        session.add(ConcernTopic(concern_id=concern.id or 0, topic_id=topic.id or 0))
    return [topic.slug for topic in topics]


def _concern_topic_slugs(session: Session, concern: Concern) -> list[str]:
    return list(
        session.exec(
            select(Topic.slug)
            .join(ConcernTopic, col(ConcernTopic.topic_id) == Topic.id)
            .where(ConcernTopic.concern_id == concern.id)
            .order_by(col(Topic.slug))
        ).all()
    )


def _clean_concern_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise InvalidInput({"text": "Write the concern, or reject it instead."})
    if len(text) > MAX_CONCERN_CHARS:
        raise InvalidInput({"text": f"Keep the concern under {MAX_CONCERN_CHARS} characters."})
    return text


def edit_concern(
    session: Session,
    meeting_id: int,
    concern_id: int,
    *,
    text: str,
    topic_ids: Sequence[int],
    by: Viewer,
) -> Concern:
    """A person's wording and topics for a concern; an edited concern counts as confirmed.
    The text as found stays in `text`; the person's wording goes to `edited_text`."""
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    concern = _concern(session, scope, concern_id)
    wording = _clean_concern_text(text)
    before = {
        "text": concern.shown_text,
        "topics": _concern_topic_slugs(session, concern),
        "state": concern.state,
    }
    concern.edited_text = None if wording == " ".join(concern.text.split()) else wording
    slugs = _set_topics(session, concern, topic_ids)
    mark_reviewed(concern, "confirmed", by)
    session.add(concern)
    session.flush()
    audit_review(
        session, scope, by, action="edit_concern", entity="concern", entity_id=concern.id,
        summary="Edited a concern", before=before,
        after={"text": concern.shown_text, "topics": slugs, "state": "confirmed"},
    )  # fmt: skip
    return concern


def _review_concern(
    session: Session, meeting_id: int, concern_id: int, *, state: str, by: Viewer
) -> Concern:
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    concern = _concern(session, scope, concern_id)
    before = concern.state
    mark_reviewed(concern, state, by)
    session.add(concern)
    session.flush()
    audit_review(
        session, scope, by, action=f"{state[:-2]}_concern", entity="concern",
        entity_id=concern.id, summary=f"{state.capitalize()} a concern: {concern.shown_text[:120]}",
        before={"state": before}, after={"state": state},
    )  # fmt: skip
    return concern


def confirm_concern(session: Session, meeting_id: int, concern_id: int, *, by: Viewer) -> Concern:
    return _review_concern(session, meeting_id, concern_id, state="confirmed", by=by)


def reject_concern(session: Session, meeting_id: int, concern_id: int, *, by: Viewer) -> Concern:
    return _review_concern(session, meeting_id, concern_id, state="rejected", by=by)


def _current_text(session: Session, meeting_id: int) -> tuple[int, str]:
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting_id)).first()
    if minutes is None or minutes.current_revision == 0:
        return 0, ""
    revision = session.exec(
        select(MinutesRevision).where(
            MinutesRevision.meeting_id == meeting_id,
            MinutesRevision.number == minutes.current_revision,
        )
    ).one()
    return revision.number, revision.text


def add_concern(
    session: Session,
    meeting_id: int,
    *,
    text: str,
    topic_ids: Sequence[int] = (),
    by: Viewer,
) -> Concern:
    """A concern the pipeline missed. When its words are in the newest minutes, the concern
    points at them there; otherwise it is the person's own wording (no span)."""
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    wording = text.strip()
    _clean_concern_text(wording)
    number, minutes_text = _current_text(session, meeting_id)
    place = relocate(minutes_text, wording, 0) or (0, 0)
    concern = Concern(
        meeting_id=meeting_id, revision_number=number, start=place[0], end=place[1],
        text=wording, state="confirmed", origin="person",
    )  # fmt: skip
    mark_reviewed(concern, "confirmed", by)
    session.add(concern)
    session.flush()
    slugs = _set_topics(session, concern, topic_ids)
    session.flush()
    audit_review(
        session, scope, by, action="add_concern", entity="concern", entity_id=concern.id,
        summary=f"Added a concern: {wording[:120]}", after={"text": wording, "topics": slugs},
    )  # fmt: skip
    return concern
