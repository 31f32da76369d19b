"""Reviewing the action items proposed for a meeting, and making follow-ups of them.

Same rules as `jcpp.analysis.review`: edit permission on the meeting's committee, one audit
event per change, re-analysis never changes a reviewed or converted item, `seen` is the state
the person saw, and everything is checked before anything changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session

from jcpp.analysis.review import (
    FindingGone,
    ReviewChanged,
    ReviewScope,
    audit_review,
    check_not_changed_since,
    load_scope,
    mark_reviewed,
)
from jcpp.auth.permissions import Viewer
from jcpp.errors import InvalidInput
from jcpp.models import ActionItem, FollowUp

MAX_TITLE_CHARS = 300
MAX_OWNER_CHARS = 200


# ---------------------------------------------------------------- action items


def _action(session: Session, scope: ReviewScope, action_id: int) -> ActionItem:
    action = session.get(ActionItem, action_id)
    if action is None or action.meeting_id != scope.meeting_id:
        raise FindingGone(
            "This action item is not among the meeting's findings (any more): the minutes may "
            "have been changed and analysed again since this page was loaded."
        )
    return action


def _review_action(
    session: Session, meeting_id: int, action_id: int, *, state: str, seen: str, by: Viewer
) -> ActionItem:
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    action = _action(session, scope, action_id)
    if action.state == "converted":
        raise ReviewChanged(
            "This action item is already a follow-up, so nothing was changed.",
            seen_now=action.state,
        )
    if action.state == state:
        return action
    check_not_changed_since(
        session, action, now=action.state, seen=seen, what="this action item", by=by
    )
    before = action.state
    mark_reviewed(action, state, by)
    session.add(action)
    session.flush()
    audit_review(
        session, scope, by, action=f"{state[:-2]}_action_item", entity="action_item",
        entity_id=action.id, summary=f"{state.capitalize()} an action item: {action.text[:120]}",
        before={"state": before}, after={"state": state},
    )  # fmt: skip
    return action


def confirm_action(
    session: Session, meeting_id: int, action_id: int, *, by: Viewer, seen: str = ""
) -> ActionItem:
    return _review_action(session, meeting_id, action_id, state="confirmed", seen=seen, by=by)


def reject_action(
    session: Session, meeting_id: int, action_id: int, *, by: Viewer, seen: str = ""
) -> ActionItem:
    return _review_action(session, meeting_id, action_id, state="rejected", seen=seen, by=by)


@dataclass(frozen=True)
class FollowUpDraft:
    """What the "make a follow-up" form starts with, taken from the action item."""

    title: str
    owner_text: str
    due_date: dt.date | None
    description: str


def follow_up_draft(action: ActionItem) -> FollowUpDraft:
    title = " ".join(action.text.split())
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rstrip() + "…"
    return FollowUpDraft(
        title=title,
        owner_text=action.owner_text or "",
        due_date=action.due_date,
        description=action.text if len(action.text) > MAX_TITLE_CHARS else "",
    )


def _clean_follow_up(draft: FollowUpDraft) -> FollowUpDraft:
    errors: dict[str, str] = {}
    title = " ".join(draft.title.split())
    if not title:
        errors["title"] = "Say what is to be done."
    elif len(title) > MAX_TITLE_CHARS:
        errors["title"] = f"Keep the title under {MAX_TITLE_CHARS} characters."
    owner = " ".join(draft.owner_text.split())
    if len(owner) > MAX_OWNER_CHARS:
        errors["owner_text"] = f"Keep the owner under {MAX_OWNER_CHARS} characters."
    if errors:
        raise InvalidInput(errors)
    return FollowUpDraft(title, owner, draft.due_date, draft.description.strip())


def convert_action_to_follow_up(
    session: Session,
    meeting_id: int,
    action_id: int,
    *,
    by: Viewer,
    draft: FollowUpDraft | None = None,
    seen: str = "",
) -> FollowUp:
    """Make a follow-up of an action item (owner and due date from the item unless `draft`
    says otherwise) and link them both ways. Converting twice returns the same follow-up; an
    item someone rejected since the person saw it is refused (a confirmed one is not)."""
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    action = _action(session, scope, action_id)
    if action.follow_up_id is not None:
        existing = session.get(FollowUp, action.follow_up_id)
        if existing is not None:
            return existing
    if action.state == "rejected":
        check_not_changed_since(
            session, action, now=action.state, seen=seen, what="this action item", by=by
        )
    values = _clean_follow_up(draft or follow_up_draft(action))
    follow_up = FollowUp(
        meeting_id=meeting_id, title=values.title, description=values.description,
        owner_text=values.owner_text or None, due_date=values.due_date,
        action_item_id=action.id, created_by_id=by.id,
    )  # fmt: skip
    session.add(follow_up)
    session.flush()
    before = action.state
    action.follow_up_id = follow_up.id
    mark_reviewed(action, "converted", by)
    session.add(action)
    session.flush()
    audit_review(
        session, scope, by, action="create_follow_up", entity="follow_up",
        entity_id=follow_up.id, summary=f"Made a follow-up of an action item: {values.title[:120]}",
        before={"action_item_state": before},
        after={"action_item_id": action.id, "owner": values.owner_text,
               "due_date": values.due_date, "status": follow_up.status},
    )  # fmt: skip
    return follow_up
