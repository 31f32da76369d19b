"""Reviewing the action items proposed for a meeting, and making follow-ups of them (and of
concerns).

Same rules as `jcpp.analysis.review`: edit permission on the meeting's committee, one audit
event per change, re-analysis never changes a reviewed or converted item, `seen` is the state
the person saw, and everything is checked before anything changes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlmodel import Session

from jcpp.analysis.review import (
    FindingGone,
    ReviewChanged,
    ReviewScope,
    check_not_changed_since,
    concern_fingerprint,
    load_scope,
    mark_reviewed,
    record_review,
)
from jcpp.auth.permissions import Viewer
from jcpp.errors import InvalidInput
from jcpp.followups.service import (
    concern_topic_ids,
    create_follow_up,
    follow_ups_of_concerns,
    next_meeting_day,
)
from jcpp.models import ActionItem, Concern, FollowUp
from jcpp.web.markdown import plain_words

MAX_TITLE_CHARS = 300
MAX_OWNER_CHARS = 200
# "Lt. Okafor will bring stop data to the next meeting": due at the committee's next meeting.
NEXT_MEETING = re.compile(r"\b(?:next|following|upcoming)\s+(?:regular\s+)?meeting\b", re.I)


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
    summary = f"{state.capitalize()} an action item: {action.text[:120]}"
    record_review(session, scope, by, action, state, entity="action_item", summary=summary)
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
    title = plain_words(action.text)
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
    says otherwise; an item due "at the next meeting" is due on the committee's next meeting
    day) and link them both ways. Converting twice returns the same follow-up; an item
    someone rejected since the person saw it is refused (a confirmed one is not)."""
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
    due_date = values.due_date
    if draft is None and due_date is None and NEXT_MEETING.search(action.text):
        due_date = next_meeting_day(session, scope.meeting)
    follow_up = create_follow_up(
        session, meeting_id=meeting_id, by=by, title=values.title,
        summary="Made a follow-up of an action item", description=values.description,
        owner_text=values.owner_text or None, due_date=due_date, action_item_id=action.id,
        audit_before={"action_item_state": action.state},
    )  # fmt: skip
    action.follow_up_id = follow_up.id
    mark_reviewed(action, "converted", by)
    session.add(action)
    session.flush()
    return follow_up


# ---------------------------------------------------------------- concerns


def _concern(session: Session, scope: ReviewScope, concern_id: int) -> Concern:
    concern = session.get(Concern, concern_id)
    if concern is None or concern.meeting_id != scope.meeting_id:
        raise FindingGone(
            "This concern is not among the meeting's findings (any more): the minutes may have "
            "been changed and analysed again since this page was loaded."
        )
    return concern


def convert_concern_to_follow_up(
    session: Session, meeting_id: int, concern_id: int, *, by: Viewer, seen: str = ""
) -> FollowUp:
    """Make a follow-up of a concern: its wording as the title, its topics, linked both ways.
    The concern counts as confirmed by it. A concern that has a follow-up already gets
    no second one (that one is returned); a concern someone reviewed since the person saw it
    (`seen`, its `concern_fingerprint`) is refused."""
    scope = load_scope(session, meeting_id, viewer=by, edit=True)
    concern = _concern(session, scope, concern_id)
    existing = follow_ups_of_concerns(session, [concern_id]).get(concern_id)
    if existing:
        return existing[0]
    topic_ids = concern_topic_ids(session, concern_id)
    now = concern_fingerprint(concern, topic_ids)
    check_not_changed_since(session, concern, now=now, seen=seen, what="this concern", by=by)
    text = " ".join(concern.shown_text.split())
    title = text if len(text) <= MAX_TITLE_CHARS else text[: MAX_TITLE_CHARS - 1].rstrip() + "…"
    follow_up = create_follow_up(
        session, meeting_id=meeting_id, by=by, title=title,
        summary="Made a follow-up of a concern",
        description=concern.shown_text if len(text) > MAX_TITLE_CHARS else "",
        concern_ids=[concern_id], topic_ids=topic_ids,
        audit_before={"concern_state": concern.state},
    )  # fmt: skip
    if concern.state != "confirmed":
        mark_reviewed(concern, "confirmed", by)
        session.add(concern)
        session.flush()
    return follow_up
