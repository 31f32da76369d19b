"""Editors' changes to a follow-up: its details (title, description, owner, the user it is
assigned to, due date, progress) and its links to concerns and topics.

Every change needs edit permission on the follow-up's committee (the city's liaison, or an
admin) and is a FollowUpEvent, an audit event and a new version, as in the lifecycle. Asking for
what is already so changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col

from jcpp.auth.permissions import Viewer, can_view_committee, load_viewer, require_edit
from jcpp.errors import Conflict, InvalidInput
from jcpp.followups.lifecycle import (
    FollowUpScope,
    audit_follow_up,
    load_follow_up,
    notify_about,
    record_event,
)
from jcpp.followups.service import (
    MAX_DESCRIPTION_CHARS,
    MAX_OWNER_CHARS,
    MAX_TITLE_CHARS,
    details_fingerprint,
    details_of,
    tell_new_owner,
)
from jcpp.models import Concern, FollowUp, FollowUpConcern, FollowUpTopic, Meeting, Topic, User
from jcpp.notify.service import shorten

# ---------------------------------------------------------------- editing the details


@dataclass(frozen=True)
class FollowUpChanges:
    """An editor's values for a follow-up's details (already read from the form)."""

    title: str
    description: str
    owner_text: str
    owner_user_id: int | None
    due_date: dt.date | None
    progress: int | None


class DetailsChanged(Conflict):
    """Someone changed the details after the person's form was loaded: nothing was saved."""

    title = "Changed by someone else"

    def __init__(self, message: str, *, follow_up: FollowUp) -> None:
        super().__init__(message)
        self.follow_up = follow_up


def _clean(session: Session, scope: FollowUpScope, changes: FollowUpChanges) -> FollowUpChanges:
    errors: dict[str, str] = {}
    title = " ".join(changes.title.split())
    if not title:
        errors["title"] = "Say what is to be done."
    elif len(title) > MAX_TITLE_CHARS:
        errors["title"] = f"Keep the title under {MAX_TITLE_CHARS} characters."
    description = changes.description.strip()
    if len(description) > MAX_DESCRIPTION_CHARS:
        errors["description"] = f"Keep the description under {MAX_DESCRIPTION_CHARS} characters."
    owner = " ".join(changes.owner_text.split())
    if len(owner) > MAX_OWNER_CHARS:
        errors["owner_text"] = f"Keep the owner under {MAX_OWNER_CHARS} characters."
    if changes.owner_user_id is not None and not _may_own(session, scope, changes.owner_user_id):
        errors["owner_user_id"] = "Choose someone who can see this committee's follow-ups."
    if changes.progress is not None and not 0 <= changes.progress <= 100:
        errors["progress"] = "Progress is a percentage from 0 to 100."
    if errors:
        raise InvalidInput(errors)
    return FollowUpChanges(
        title, description, owner, changes.owner_user_id, changes.due_date, changes.progress
    )


def _may_own(session: Session, scope: FollowUpScope, user_id: int) -> bool:
    if user_id == scope.follow_up.owner_user_id:
        return True  # kept as it is, even if the person has since left the committee
    user = session.get(User, user_id)
    return (
        user is not None
        and user.active
        and can_view_committee(load_viewer(session, user), scope.committee)
    )


FIELD_LABELS = {
    "title": "Title",
    "description": "Description",
    "owner_text": "Owner",
    "owner_user_id": "Assigned to",
    "due_date": "Due date",
    "progress": "Progress",
}


def _describe(session: Session, name: str, value: Any) -> str:
    if value in (None, ""):
        return "none"
    if name == "owner_user_id":
        user = session.get(User, value)
        return user.name if user else "someone"
    if name == "due_date":
        day = dt.date.fromisoformat(value)
        return f"{day:%b} {day.day}, {day.year}"
    if name == "progress":
        return f"{value}%"
    return shorten(str(value), 80)


def _change_note(session: Session, before: dict[str, Any], after: dict[str, Any]) -> str:
    """ "Due date: Mar 3, 2026 → Apr 1, 2026; Progress: none → 40%" (what the history shows)."""
    parts = []
    for name, label in FIELD_LABELS.items():
        if before[name] == after[name]:
            continue
        if name == "description":
            parts.append("Description changed")
        else:
            old, new = _describe(session, name, before[name]), _describe(session, name, after[name])
            parts.append(f"{label}: {old} → {new}")
    return "; ".join(parts)


def edit_follow_up(
    session: Session,
    follow_up_id: int,
    *,
    by: Viewer,
    changes: FollowUpChanges,
    seen: str = "",
) -> tuple[FollowUp, bool]:
    """An editor's changes to the details; returns the follow-up and whether anything changed.
    `seen` is the details' fingerprint when the form was loaded: a change against someone
    else's since then is refused (DetailsChanged, nothing saved). Saving what is stored
    changes nothing."""
    scope = load_follow_up(session, follow_up_id, viewer=by, lock=True)
    require_edit(by, scope.committee)
    values = _clean(session, scope, changes)
    fu = scope.follow_up
    before = details_of(fu)
    after = {
        "title": values.title,
        "description": values.description,
        "owner_text": values.owner_text,
        "owner_user_id": values.owner_user_id,
        "due_date": values.due_date.isoformat() if values.due_date else None,
        "progress": values.progress,
    }
    if after == before:
        return fu, False
    if seen and seen != details_fingerprint(fu):
        raise DetailsChanged(
            "Someone changed this follow-up's details after this page was loaded, so nothing "
            "was saved. What is stored now is shown next to what you typed.",
            follow_up=fu,
        )
    fu.title, fu.description = values.title, values.description
    fu.owner_text = values.owner_text or None
    fu.owner_user_id, fu.due_date, fu.progress = (
        values.owner_user_id,
        values.due_date,
        values.progress,
    )
    note = _change_note(session, before, after)
    record_event(session, fu, kind="edited", by=by, comment=note)
    audit_follow_up(
        session, scope, by, action="edit_follow_up",
        summary=f"Edited a follow-up: {shorten(fu.title, 120)}", before=before, after=after,
    )  # fmt: skip
    reassigned = after["owner_user_id"] != before["owner_user_id"]
    if reassigned:
        tell_new_owner(session, scope, by=by, owner_user_id=fu.owner_user_id)
    # The new owner is told it is hers ("assigned"); the one it was taken from, that it changed.
    notify_about(
        session, scope, by=by, kind="edited",
        also=(before["owner_user_id"],), exclude=(fu.owner_user_id,) if reassigned else (),
        message=f"{by.user.name} changed “{shorten(fu.title, 150)}”: {shorten(note, 250)}",
    )  # fmt: skip
    return fu, True


# ---------------------------------------------------------------- links


def _linkable_concern(session: Session, scope: FollowUpScope, concern_id: int) -> Concern:
    concern = session.get(Concern, concern_id)
    meeting = session.get(Meeting, concern.meeting_id) if concern else None
    if (
        concern is None
        or meeting is None
        or meeting.committee_id != scope.committee.id
        or concern.state == "rejected"
    ):
        raise InvalidInput({"concern_id": "Choose a concern raised in this committee's meetings."})
    return concern


def _edit_scope(session: Session, follow_up_id: int, by: Viewer) -> FollowUpScope:
    scope = load_follow_up(session, follow_up_id, viewer=by, lock=True)
    require_edit(by, scope.committee)
    return scope


def _link_changed(
    session: Session, scope: FollowUpScope, by: Viewer, *, kind: str, what: str, ids: dict[str, int]
) -> None:
    verb = "Linked" if kind == "linked" else "Unlinked"
    record_event(session, scope.follow_up, kind=kind, by=by, comment=what)
    audit_follow_up(
        session, scope, by, action=f"{'link' if kind == 'linked' else 'unlink'}_follow_up",
        summary=f"{verb} {shorten(what, 120)}", after=ids,
    )  # fmt: skip


def link_concern(session: Session, follow_up_id: int, concern_id: int, *, by: Viewer) -> bool:
    """Link a concern of the committee's meetings; linking it again changes nothing."""
    scope = _edit_scope(session, follow_up_id, by)
    concern = _linkable_concern(session, scope, concern_id)
    if session.get(FollowUpConcern, (follow_up_id, concern_id)) is not None:
        return False
    session.add(FollowUpConcern(follow_up_id=follow_up_id, concern_id=concern_id))
    session.flush()
    what = f"concern: {shorten(concern.shown_text, 200)}"
    _link_changed(session, scope, by, kind="linked", what=what, ids={"concern_id": concern_id})
    return True


def unlink_concern(session: Session, follow_up_id: int, concern_id: int, *, by: Viewer) -> bool:
    """Remove a concern's link; a link that is not there changes nothing."""
    scope = _edit_scope(session, follow_up_id, by)
    link = session.get(FollowUpConcern, (follow_up_id, concern_id))
    if link is None:
        return False
    session.delete(link)
    session.flush()
    concern = session.get(Concern, concern_id)
    what = f"concern: {shorten(concern.shown_text, 200)}" if concern else "a concern"
    _link_changed(session, scope, by, kind="unlinked", what=what, ids={"concern_id": concern_id})
    return True


def link_topic(session: Session, follow_up_id: int, topic_id: int, *, by: Viewer) -> bool:
    """Link a topic of the current list; linking it again changes nothing."""
    scope = _edit_scope(session, follow_up_id, by)
    topic = session.get(Topic, topic_id)
    if topic is None or not topic.active:
        raise InvalidInput({"topic": "Choose a topic of the current list."})
    if session.get(FollowUpTopic, (follow_up_id, topic_id)) is not None:
        return False
    session.add(FollowUpTopic(follow_up_id=follow_up_id, topic_id=topic_id))
    session.flush()
    what = f"topic: {topic.name}"
    _link_changed(session, scope, by, kind="linked", what=what, ids={"topic_id": topic_id})
    return True


def unlink_topic(session: Session, follow_up_id: int, topic_id: int, *, by: Viewer) -> bool:
    """Remove a topic's link; a link that is not there changes nothing."""
    scope = _edit_scope(session, follow_up_id, by)
    removed = session.exec(
        delete(FollowUpTopic).where(
            col(FollowUpTopic.follow_up_id) == follow_up_id,
            col(FollowUpTopic.topic_id) == topic_id,
        )
    )
    if not removed.rowcount:
        return False
    session.flush()
    topic = session.get(Topic, topic_id)
    what = f"topic: {topic.name}" if topic else "a topic"
    _link_changed(session, scope, by, kind="unlinked", what=what, ids={"topic_id": topic_id})
    return True
