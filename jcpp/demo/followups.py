"""Demo follow-ups: the action items found in the analysed demo minutes, turned into follow-ups
in every state of their lifecycle, with the history that got them there, some overdue, some
assigned to the demo committee member, a few comments, and the concerns they answer.

Rows are written directly (as the lifecycle would have written them, dated in the past), so that
the demo shows months of work without replaying requests.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from jcpp.models import (
    ActionItem,
    Concern,
    FollowUp,
    FollowUpComment,
    FollowUpConcern,
    FollowUpEvent,
    Meeting,
)
from jcpp.web.markdown import plain_words

# The path each demo follow-up took, in order; the last step is where it stands now.
PATHS: tuple[tuple[str, ...], ...] = (
    (),
    ("acknowledged",),
    ("acknowledged", "in_progress"),
    ("in_progress", "reported_done"),
    ("acknowledged", "in_progress", "reported_done", "verified_done"),
    ("acknowledged", "reported_done", "verified_done"),
    ("declined",),
    ("acknowledged", "reported_done", "verified_done", "open"),
)
REASONS = {
    "declined": "This is the county's road; the request went to County Public Works instead.",
    "open": "Raised again at the next meeting: the problem is back.",
    "verified_done": "Confirmed at the meeting.",
    "reported_done": "Done; details in the chief's report.",
}
COMMENTS = (
    "Any update on this before the next meeting?",
    "Talked with the sergeant today; the data is being pulled.",
    "Residents on the block say it is better since last month.",
)


@dataclass(frozen=True)
class Editors:
    liaison_id: int | None
    member_id: int | None
    member_committee_ids: frozenset[int] = frozenset()


def make_follow_ups(
    session: Session,
    *,
    meetings: Sequence[Meeting],
    now: dt.datetime,
    rng: random.Random,
    editors: Editors,
) -> int:
    """Turn the action items of these held meetings into follow-ups, but for each committee's
    newest meeting (its proposals are left for the liaison to review); returns how many."""
    held = [m for m in meetings if m.id is not None and m.status == "held"]
    newest: dict[int, Meeting] = {}
    for meeting in held:
        if (
            meeting.committee_id not in newest
            or meeting.start_at > newest[meeting.committee_id].start_at
        ):
            newest[meeting.committee_id] = meeting
    ids = [m.id for m in held if m is not newest[m.committee_id]]
    by_id = {m.id: m for m in meetings}
    actions = session.exec(
        select(ActionItem)
        .where(col(ActionItem.meeting_id).in_(ids))
        .order_by(col(ActionItem.meeting_id), col(ActionItem.start))
    ).all()
    made = 0
    for k, action in enumerate(actions):
        meeting = by_id[action.meeting_id]
        path = PATHS[k % len(PATHS)]
        created = meeting.start_at + dt.timedelta(days=1)
        if created >= now:
            continue
        still_open = not path or path[-1] in ("acknowledged", "in_progress", "open")
        if not still_open:
            due = (created + dt.timedelta(days=rng.choice((10, 20, 30)))).date()
        elif k % 3 == 0:  # overdue
            due = (now - dt.timedelta(days=rng.choice((5, 12, 40)))).date()
        else:
            due = (now + dt.timedelta(days=rng.choice((7, 21, 45)))).date()
        # Some of the member's committee's follow-ups are assigned to her.
        assigned = meeting.committee_id in editors.member_committee_ids and k % 2 == 1
        follow_up = FollowUp(
            meeting_id=action.meeting_id,
            title=plain_words(action.text)[:300],
            owner_text=action.owner_text,
            owner_user_id=editors.member_id if assigned else None,
            due_date=due,
            action_item_id=action.id,
            created_by_id=editors.liaison_id,
            created_at=created,
            updated_at=created,
        )
        session.add(follow_up)
        session.flush()
        action.state = "converted"
        action.follow_up_id = follow_up.id
        session.add(action)
        _history(session, follow_up, path, created=created, now=now, editors=editors, rng=rng)
        if k % 5 == 2:
            session.add(
                FollowUpComment(
                    follow_up_id=follow_up.id or 0,
                    user_id=editors.liaison_id or 0,
                    body=COMMENTS[k % len(COMMENTS)],
                    created_at=min(now, created + dt.timedelta(days=3)),
                )
            )
        _link_concern(session, follow_up, action)
        made += 1
    session.flush()
    return made


def _history(
    session: Session,
    follow_up: FollowUp,
    path: tuple[str, ...],
    *,
    created: dt.datetime,
    now: dt.datetime,
    editors: Editors,
    rng: random.Random,
) -> None:
    session.add(
        FollowUpEvent(
            follow_up_id=follow_up.id or 0,
            kind="created",
            to_status="open",
            comment="Made from an action item of the minutes.",
            user_id=editors.liaison_id,
            at=created,
        )
    )
    status, at = "open", created
    for step in path:
        at = min(now - dt.timedelta(hours=1), at + dt.timedelta(days=rng.randint(2, 12)))
        by_owner = step == "reported_done" and follow_up.owner_user_id is not None
        session.add(
            FollowUpEvent(
                follow_up_id=follow_up.id or 0,
                kind="status",
                from_status=status,
                to_status=step,
                comment=REASONS.get(step, ""),
                user_id=follow_up.owner_user_id if by_owner else editors.liaison_id,
                at=at,
            )
        )
        status = step
    follow_up.status = status
    follow_up.version = 1 + len(path)
    follow_up.closed_at = at if status == "verified_done" else None
    follow_up.updated_at = at
    session.add(follow_up)


def _link_concern(session: Session, follow_up: FollowUp, action: ActionItem) -> None:
    """The concern raised just before the action item in the same minutes, if any."""
    concern = session.exec(
        select(Concern)
        .where(Concern.meeting_id == action.meeting_id)
        .where(col(Concern.start) < action.start)
        .where(Concern.state != "rejected")
        .order_by(col(Concern.start).desc())
    ).first()
    if concern is not None and concern.id is not None:
        session.add(FollowUpConcern(follow_up_id=follow_up.id or 0, concern_id=concern.id))
