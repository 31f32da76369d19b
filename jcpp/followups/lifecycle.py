"""The follow-up lifecycle: which status may follow which, who may move a follow-up, and the
functions that move it and comment on it. Other packages call these; none reimplements them.

Statuses: open → acknowledged or declined (a reason is required) → in progress → reported done →
verified done, and reopen (a comment is required). `TRANSITIONS` maps each status to the
statuses it may be reached from.

Who (a follow-up's committee is its meeting's; its city is that committee's):
- admin and the city's liaison: every transition, but verified done never by the follow-up's
  owner user ("reported done" is not "verified done");
- the owner user (e.g. the committee member it is assigned to): in progress and reported done;
- county staff and other members: no status changes (NotPermitted when they can see the
  follow-up, NotFound when they cannot).
Comments: anyone who may see the follow-up.

Every change writes a FollowUpEvent (who, when, from → to, comment) and an audit event, bumps
`version` (optimistic lock: a change sent with an older version is refused with Conflict) and
notifies the owner user and the creator, never the person who acted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.audit.service import record
from jcpp.auth.permissions import (
    Viewer,
    can_edit_committee,
    can_view_committee,
    load_viewer,
    visible_committees,
)
from jcpp.errors import Conflict, InvalidInput, NotFound, NotPermitted
from jcpp.models import (
    Committee,
    FollowUp,
    FollowUpComment,
    FollowUpEvent,
    Meeting,
    User,
)
from jcpp.notify.service import notify, shorten

STATUS_LABELS = {
    "open": "Open",
    "acknowledged": "Acknowledged",
    "declined": "Declined",
    "in_progress": "In progress",
    "reported_done": "Reported done",
    "verified_done": "Verified done",
}
# to ← from
TRANSITIONS: dict[str, frozenset[str]] = {
    "acknowledged": frozenset({"open"}),
    "declined": frozenset({"open", "acknowledged"}),
    "in_progress": frozenset({"open", "acknowledged", "reported_done"}),
    "reported_done": frozenset({"open", "acknowledged", "in_progress"}),
    "verified_done": frozenset({"reported_done"}),
    "open": frozenset({"declined", "reported_done", "verified_done"}),
}
# What must be said with a change, and how the form asks for it.
COMMENT_REQUIRED = {
    "declined": "Give the reason it is declined.",
    "open": "Say why it is reopened.",
}
OWNER_MAY = frozenset({"in_progress", "reported_done"})
# Someone still has to act (due dates count); reported done waits for verification.
ACTIVE_STATUSES = ("open", "acknowledged", "in_progress")
CLOSED_STATUSES = ("declined", "verified_done")
MAX_COMMENT_CHARS = 5000


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def is_overdue(follow_up: FollowUp, *, today: dt.date | None = None) -> bool:
    """Past its due date (a county calendar day) while someone still has to act on it."""
    if follow_up.due_date is None or follow_up.status not in ACTIVE_STATUSES:
        return False
    return follow_up.due_date < (today or clock.today())


# ---------------------------------------------------------------- scope


@dataclass(frozen=True)
class FollowUpScope:
    follow_up: FollowUp
    meeting: Meeting
    committee: Committee

    @property
    def follow_up_id(self) -> int:
        assert self.follow_up.id is not None
        return self.follow_up.id


def visible_follow_ups(viewer: Viewer) -> ColumnElement[bool]:
    """A WHERE clause for the follow-ups the viewer may see; the query must join
    FollowUp → Meeting (Meeting.id == FollowUp.meeting_id) → Committee
    (Committee.id == Meeting.committee_id)."""
    return visible_committees(viewer)


def load_follow_up(
    session: Session, follow_up_id: int, *, viewer: Viewer, lock: bool = False
) -> FollowUpScope:
    """The follow-up with its meeting and committee; NotFound when unknown or out of scope.
    `lock` (for a change) holds the follow-up's row until the transaction ends, so that two
    changes at once take turns on PostgreSQL and the second sees the first's version (SQLite's
    write requests take turns anyway)."""
    query = (
        select(FollowUp, Meeting, Committee)
        .join(Meeting, col(Meeting.id) == FollowUp.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(FollowUp.id == follow_up_id)
    )
    if lock:
        query = query.with_for_update(of=FollowUp).execution_options(populate_existing=True)
    row = session.exec(query).first()
    if row is None or not can_view_committee(viewer, row[2]):
        raise NotFound("There is no such follow-up, or it is not yours to see.")
    return FollowUpScope(*row)


# ---------------------------------------------------------------- who may do what


def is_owner(follow_up: FollowUp, viewer: Viewer) -> bool:
    return follow_up.owner_user_id is not None and follow_up.owner_user_id == viewer.id


def may_move_to(follow_up: FollowUp, to: str, *, by: Viewer, committee: Committee) -> bool:
    """Whether `by` may ever move this follow-up to `to` (whatever its status now)."""
    if to == "verified_done" and is_owner(follow_up, by):
        return False
    if can_edit_committee(by, committee):
        return True
    return is_owner(follow_up, by) and can_view_committee(by, committee) and to in OWNER_MAY


def can_change_status(follow_up: FollowUp, *, by: Viewer, committee: Committee) -> bool:
    return any(may_move_to(follow_up, to, by=by, committee=committee) for to in TRANSITIONS)


def allowed_transitions(follow_up: FollowUp, *, by: Viewer, committee: Committee) -> list[str]:
    """The statuses `by` may move the follow-up to from its status now, in lifecycle order
    (reopening last)."""
    return [
        to
        for to, sources in TRANSITIONS.items()
        if follow_up.status in sources and may_move_to(follow_up, to, by=by, committee=committee)
    ]


def _refusal(follow_up: FollowUp, to: str, by: Viewer) -> str:
    if to == "verified_done" and is_owner(follow_up, by):
        return (
            "It is assigned to you, so someone else must verify it is done: the city's "
            "liaison or an administrator."
        )
    if is_owner(follow_up, by):
        return (
            "As the person it is assigned to, you can mark it in progress or report it done; "
            "the city's liaison or an administrator makes the other changes."
        )
    return (
        "Only the city's liaison or an administrator can change this follow-up's status "
        "(and the person it is assigned to can report it done). You can comment on it."
    )


# ---------------------------------------------------------------- changes


def record_event(
    session: Session,
    follow_up: FollowUp,
    *,
    kind: str,
    by: Viewer,
    from_status: str | None = None,
    to_status: str | None = None,
    comment: str = "",
) -> FollowUpEvent:
    """One history row for a change of the follow-up; bumps its version."""
    now = clock.now()
    event = FollowUpEvent(
        follow_up_id=follow_up.id or 0, kind=kind, from_status=from_status,
        to_status=to_status, comment=comment, user_id=by.id, at=now,
    )  # fmt: skip
    follow_up.version += 1
    follow_up.updated_at = now
    session.add_all([follow_up, event])
    session.flush()
    return event


def audit_follow_up(
    session: Session,
    scope: FollowUpScope,
    by: Viewer,
    *,
    action: str,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    record(
        session, user_id=by.id, action=action, entity_type="follow_up",
        entity_id=scope.follow_up.id, city_id=scope.committee.city_id,
        summary=f"{summary} (follow-up #{scope.follow_up.id})", before=before, after=after,
    )  # fmt: skip


def notify_about(
    session: Session,
    scope: FollowUpScope,
    *,
    by: Viewer,
    kind: str,
    message: str,
    also: Iterable[int | None] = (),
    exclude: Iterable[int | None] = (),
) -> None:
    """Tell the follow-up's owner user and its creator (and `also`), never `by` (nor
    `exclude`), and only those who are active and may still see the follow-up."""
    fu = scope.follow_up
    wanted = {uid for uid in (fu.owner_user_id, fu.created_by_id, *also) if uid is not None}
    wanted -= {by.id, *exclude}
    recipients = []
    for user_id in sorted(wanted):
        user = session.get(User, user_id)
        if user is None or not user.active:
            continue
        if can_view_committee(load_viewer(session, user), scope.committee):
            recipients.append(user_id)
    if recipients:
        notify(session, user_ids=recipients, kind=kind, message=message, follow_up_id=fu.id)


class StaleFollowUp(Conflict):
    """The follow-up changed after the person's page was loaded: nothing was changed."""

    def __init__(self, message: str, *, follow_up: FollowUp) -> None:
        super().__init__(message)
        self.follow_up = follow_up


def last_changed_by(session: Session, follow_up: FollowUp, by: Viewer) -> str:
    """Who made the newest change, as a refusal names them."""
    user_id = session.exec(
        select(FollowUpEvent.user_id)
        .where(FollowUpEvent.follow_up_id == follow_up.id)
        .order_by(col(FollowUpEvent.at).desc(), col(FollowUpEvent.id).desc())
    ).first()
    if user_id is not None and user_id == by.id:
        return "You (in another window)"
    user = session.get(User, user_id) if user_id is not None else None
    return user.name if user is not None else "Someone"


def check_version(session: Session, follow_up: FollowUp, *, version: int, by: Viewer) -> None:
    if version == follow_up.version:
        return
    who = last_changed_by(session, follow_up, by)
    raise StaleFollowUp(
        f"{who} changed this follow-up after this page was loaded (it is now "
        f"{status_label(follow_up.status)}), so nothing was changed. It is shown as it is now: "
        "do it again if you still want to.",
        follow_up=follow_up,
    )


def _check_status_input(follow_up: FollowUp, to: str, comment: str, progress: int | None) -> None:
    if follow_up.status not in TRANSITIONS[to]:
        raise InvalidInput(
            {
                "to": f"A follow-up that is {status_label(follow_up.status).lower()} cannot "
                f"be marked {status_label(to).lower()}."
            }
        )
    errors: dict[str, str] = {}
    if to in COMMENT_REQUIRED and not comment:
        errors["comment"] = COMMENT_REQUIRED[to]
    elif len(comment) > MAX_COMMENT_CHARS:
        errors["comment"] = f"Keep the comment under {MAX_COMMENT_CHARS} characters."
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = "Progress is a percentage from 0 to 100."
    if errors:
        raise InvalidInput(errors)


def change_status(
    session: Session,
    follow_up_id: int,
    *,
    to: str,
    by: Viewer,
    comment: str = "",
    version: int,
    progress: int | None = None,
) -> FollowUp:
    """Move the follow-up to `to`, as `by`, from the `version` the person saw.

    NotFound out of scope; NotPermitted for a change `by` may not make; StaleFollowUp
    (Conflict) when the follow-up changed since `version`; InvalidInput for a transition the
    lifecycle does not have, a missing reason or comment, or a progress outside 0–100.
    Everything is checked before anything changes."""
    scope = load_follow_up(session, follow_up_id, viewer=by, lock=True)
    fu = scope.follow_up
    if to not in TRANSITIONS:
        raise InvalidInput({"to": "Choose one of the statuses offered."})
    if not may_move_to(fu, to, by=by, committee=scope.committee):
        raise NotPermitted(_refusal(fu, to, by))
    check_version(session, fu, version=version, by=by)
    comment = comment.strip()
    _check_status_input(fu, to, comment, progress)
    before_status, before = fu.status, {"status": fu.status, "progress": fu.progress}
    fu.status = to
    if progress is not None:
        fu.progress = progress
    fu.closed_at = clock.now() if to == "verified_done" else None
    record_event(
        session, fu, kind="status", by=by, from_status=before_status, to_status=to,
        comment=comment,
    )  # fmt: skip
    label = status_label(to).lower()
    audit_follow_up(
        session, scope, by, action="change_follow_up_status",
        summary=f"Marked a follow-up {label}: {shorten(fu.title, 120)}", before=before,
        after={"status": to, "progress": fu.progress, "comment": comment},
    )  # fmt: skip
    said = f": “{shorten(comment, 200)}”" if comment else "."
    notify_about(
        session, scope, by=by, kind="status_changed",
        message=f"{by.user.name} marked “{shorten(fu.title, 150)}” {label}{said}",
    )  # fmt: skip
    return fu


def _clean_comment(body: str) -> str:
    body = body.strip()
    if not body:
        raise InvalidInput({"body": "Write a comment first."})
    if len(body) > MAX_COMMENT_CHARS:
        raise InvalidInput({"body": f"Keep the comment under {MAX_COMMENT_CHARS} characters."})
    return body


def add_comment(
    session: Session,
    follow_up_id: int,
    *,
    by: Viewer,
    body: str,
    parent_id: int | None = None,
) -> FollowUpComment:
    """A comment on the follow-up (a reply when `parent_id` names one of its comments), by
    anyone who may see it. Comments are not status changes: the version stays."""
    scope = load_follow_up(session, follow_up_id, viewer=by)
    text = _clean_comment(body)
    parent = session.get(FollowUpComment, parent_id) if parent_id is not None else None
    if parent_id is not None and (parent is None or parent.follow_up_id != follow_up_id):
        raise InvalidInput({"parent_id": "The comment you replied to is not on this follow-up."})
    comment = FollowUpComment(
        follow_up_id=follow_up_id, parent_id=parent_id, user_id=by.id, body=text,
        created_at=clock.now(),
    )  # fmt: skip
    session.add(comment)
    session.flush()
    title = shorten(scope.follow_up.title, 150)
    audit_follow_up(
        session, scope, by, action="comment_follow_up",
        summary=f"Commented on a follow-up: {title}",
        after={"comment_id": comment.id, "parent_id": parent_id, "body": text},
    )  # fmt: skip
    verb = "replied on" if parent is not None else "commented on"
    notify_about(
        session, scope, by=by, kind="commented",
        message=f"{by.user.name} {verb} “{title}”: “{shorten(text, 200)}”",
        also=(parent.user_id if parent is not None else None,),
    )  # fmt: skip
    return comment
