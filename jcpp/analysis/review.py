"""People reviewing what the pipeline proposed for a meeting: topics, concerns, action items.

Reading needs view permission on the meeting's committee; every change needs edit permission
(the city's liaison, or an admin): others get NotFound out of scope and NotPermitted in scope.
Each change is one audit event. A reviewed row is never changed by re-analysis
(`jcpp.analysis.store`).

Changes take `seen`, what the person saw when the page was loaded (a topic's state, a concern's
`concern_fingerprint`). Asking for what is already so changes nothing; a change that goes
against someone else's review made since then is refused (`ReviewChanged`, nothing changed).
Everything is checked before anything is changed: a refused change leaves no trace.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, delete, select

from jcpp.analysis.store import relocate
from jcpp.audit.service import record
from jcpp.auth.permissions import Viewer, require_edit, require_view
from jcpp.errors import Conflict, InvalidInput, NotFound
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
    User,
)
from jcpp.models.base import utcnow

MAX_CONCERN_CHARS = 2000


class FindingGone(NotFound):
    """The topic, concern or action item is not (or no longer) among the meeting's findings:
    the minutes may have been saved and analysed again since the page was loaded."""

    title = "No longer proposed"


class ReviewChanged(Conflict):
    """Someone reviewed the finding since the person's page was loaded, against their change.
    `seen_now` is what they would see now (to send with a second, deliberate attempt)."""

    title = "Reviewed by someone else"

    def __init__(self, message: str, *, seen_now: str) -> None:
        super().__init__(message)
        self.seen_now = seen_now


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


def record_review(
    session: Session,
    scope: ReviewScope,
    by: Viewer,
    row: MeetingTopic | Concern | ActionItem,
    state: str,
    *,
    entity: str,
    summary: str,
    noun: str | None = None,
) -> None:
    """Move a reviewed row to `state` (confirmed or rejected) and audit it as
    `confirm_<noun>` / `reject_<noun>` (noun: the entity unless given) with the state before
    and after."""
    before = row.state
    mark_reviewed(row, state, by)
    session.add(row)
    session.flush()
    audit_review(
        session, scope, by, action=f"{state[:-2]}_{noun or entity}", entity=entity,
        entity_id=row.id, summary=summary, before={"state": before}, after={"state": state},
    )  # fmt: skip


def reviewer_name(session: Session, row: MeetingTopic | Concern | ActionItem, by: Viewer) -> str:
    """Who last reviewed the row, as a refusal names them."""
    if row.reviewed_by_id is not None and row.reviewed_by_id == by.id:
        return "You (in another window)"
    user = session.get(User, row.reviewed_by_id) if row.reviewed_by_id is not None else None
    return user.name if user is not None else "Someone"


def check_not_changed_since(
    session: Session,
    row: MeetingTopic | Concern | ActionItem,
    *,
    now: str,
    seen: str,
    what: str,
    by: Viewer,
) -> None:
    """Refuse (ReviewChanged) when the row is no longer as the person saw it (`seen`, empty when
    not known) but as `now` says; `what` names it in the message ("the topic Youth")."""
    if not seen or seen == now:
        return
    done = "edited" if isinstance(row, Concern) and row.edited_text else row.state
    if done == "converted":
        done = "made a follow-up of"
    who = reviewer_name(session, row, by)
    if row.state == "proposed":  # unreviewed, yet changed: the minutes were analysed again
        who, done = "A new analysis of the minutes", "changed"
    raise ReviewChanged(
        f"{who} {done} {what} after this page was loaded, so nothing was changed. "
        "It is shown as it is now: do it again if you still want to.",
        seen_now=now,
    )


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
    session: Session, meeting_id: int, topic_id: int, *, state: str, seen: str, by: Viewer
) -> MeetingTopic:
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    row = _meeting_topic(session, meeting_id, topic_id)
    topic = session.get(Topic, topic_id)
    name = topic.name if topic else str(topic_id)
    if row is None:
        raise FindingGone(
            f"The topic {name} is not among this meeting's topics (any more): the minutes may "
            "have been changed and analysed again since this page was loaded. Reload the page."
        )
    if row.state == state:
        return row  # already so (a second click, or someone else did the same): no change
    check_not_changed_since(session, row, now=row.state, seen=seen, what=f"the topic {name}", by=by)
    verb = "Confirmed" if state == "confirmed" else "Rejected"
    record_review(
        session, scope, by, row, state,
        entity="meeting_topic", noun="topic", summary=f"{verb} the topic {name}",
    )  # fmt: skip
    return row


def confirm_topic(
    session: Session, meeting_id: int, topic_id: int, *, by: Viewer, seen: str = ""
) -> MeetingTopic:
    """A person confirms that the meeting discussed the topic."""
    return _review_topic(session, meeting_id, topic_id, state="confirmed", seen=seen, by=by)


def reject_topic(
    session: Session, meeting_id: int, topic_id: int, *, by: Viewer, seen: str = ""
) -> MeetingTopic:
    """A person rejects a proposed (or confirmed) topic; re-analysis will not propose it again."""
    return _review_topic(session, meeting_id, topic_id, state="rejected", seen=seen, by=by)


def add_topic(session: Session, meeting_id: int, topic_id: int, *, by: Viewer) -> MeetingTopic:
    """A person adds a topic the pipeline did not propose (or confirms it if it had)."""
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    topic = _active_topic(session, topic_id)
    row = _meeting_topic(session, meeting_id, topic_id)
    before = row.state if row else None
    if row is not None and row.state == "confirmed":
        return row  # someone added or confirmed it already: no change
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


def concern_fingerprint(concern: Concern, topic_ids: Iterable[int]) -> str:
    """What a person sees of a concern (its state, wording and topics), in 16 characters."""
    seen = [concern.state, concern.shown_text, sorted(set(topic_ids))]
    return hashlib.sha256(json.dumps(seen).encode()).hexdigest()[:16]


def _concern(session: Session, scope: ReviewScope, concern_id: int) -> Concern:
    concern = session.get(Concern, concern_id)
    if concern is None or concern.meeting_id != scope.meeting_id:
        raise FindingGone(
            "This concern is not among the meeting's findings (any more): the minutes may have "
            "been changed and analysed again since this page was loaded."
        )
    return concern


def _concern_topic_ids(session: Session, concern: Concern) -> list[int]:
    return list(
        session.exec(
            select(ConcernTopic.topic_id).where(ConcernTopic.concern_id == concern.id)
        ).all()
    )


def _check_concern(
    session: Session, concern: Concern, *, seen: str, by: Viewer, what: str = "this concern"
) -> None:
    now = concern_fingerprint(concern, _concern_topic_ids(session, concern))
    check_not_changed_since(session, concern, now=now, seen=seen, what=what, by=by)


def _active_topics(session: Session, topic_ids: Sequence[int]) -> list[Topic]:
    return [_active_topic(session, topic_id) for topic_id in dict.fromkeys(topic_ids)]


def _set_topics(session: Session, concern: Concern, topics: Sequence[Topic]) -> list[str]:
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
    seen: str = "",
) -> Concern:
    """A person's wording and topics for a concern; an edited concern counts as confirmed.
    The text as found stays in `text`; the person's wording goes to `edited_text`.
    Saving what the concern already is changes nothing."""
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    concern = _concern(session, scope, concern_id)
    wording = _clean_concern_text(text)
    topics = _active_topics(session, topic_ids)
    current = _concern_topic_ids(session, concern)
    if (concern.state, concern.shown_text, set(current)) == (
        "confirmed",
        wording,
        {topic.id for topic in topics},
    ):
        return concern
    _check_concern(session, concern, seen=seen, by=by)
    before = {
        "text": concern.shown_text,
        "topics": _concern_topic_slugs(session, concern),
        "state": concern.state,
    }
    concern.edited_text = None if wording == " ".join(concern.text.split()) else wording
    slugs = _set_topics(session, concern, topics)
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
    session: Session, meeting_id: int, concern_id: int, *, state: str, seen: str, by: Viewer
) -> Concern:
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    concern = _concern(session, scope, concern_id)
    if concern.state == state:
        return concern
    _check_concern(session, concern, seen=seen, by=by)
    summary = f"{state.capitalize()} a concern: {concern.shown_text[:120]}"
    record_review(session, scope, by, concern, state, entity="concern", summary=summary)
    return concern


def confirm_concern(
    session: Session, meeting_id: int, concern_id: int, *, by: Viewer, seen: str = ""
) -> Concern:
    return _review_concern(session, meeting_id, concern_id, state="confirmed", seen=seen, by=by)


def reject_concern(
    session: Session, meeting_id: int, concern_id: int, *, by: Viewer, seen: str = ""
) -> Concern:
    return _review_concern(session, meeting_id, concern_id, state="rejected", seen=seen, by=by)


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
    topics = _active_topics(session, topic_ids)
    number, minutes_text = _current_text(session, meeting_id)
    place = relocate(minutes_text, wording, 0) or (0, 0)
    concern = Concern(
        meeting_id=meeting_id, revision_number=number, start=place[0], end=place[1],
        text=wording, state="confirmed", origin="person",
    )  # fmt: skip
    mark_reviewed(concern, "confirmed", by)
    session.add(concern)
    session.flush()
    slugs = _set_topics(session, concern, topics)
    session.flush()
    audit_review(
        session, scope, by, action="add_concern", entity="concern", entity_id=concern.id,
        summary=f"Added a concern: {wording[:120]}", after={"text": wording, "topics": slugs},
    )  # fmt: skip
    return concern
