"""Old business: what the last meetings left open comes back on the next agenda until it is closed.

Preparing a scheduled meeting's agenda (creating the meeting, adding an item, or the agenda's
"Bring old business forward" button) puts on it, each as an agenda item marked as old business:
- every follow-up of the committee's earlier meetings that is not closed (verified done or
  declined): an item returns until it is closed, as in 4Minitz;
- every concern raised at the committee's last held meeting that nobody rejected and that has no
  follow-up yet.
The liaison may drop one from this agenda with a reason; it then stays off this agenda (and comes
back on the next one if still open). Carrying is idempotent: an item is never put on twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from jcpp.audit import service as audit
from jcpp.auth.permissions import Viewer
from jcpp.errors import InvalidInput, NotFound
from jcpp.models import (
    AgendaItem,
    CarriedItem,
    Committee,
    Concern,
    FollowUp,
    FollowUpConcern,
    Meeting,
)
from jcpp.wording import plural

CLOSED = ("verified_done", "declined")
TITLE_PREFIX = "Old business: "
MAX_REASON = 500


@dataclass(frozen=True)
class Carried:
    """A carried item as the agenda shows it."""

    row: CarriedItem
    title: str
    kind: str  # "follow_up" or "concern"
    status: str | None  # the follow-up's status


def _last_held_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    return session.exec(
        select(Meeting)
        .where(Meeting.committee_id == meeting.committee_id)
        .where(col(Meeting.start_at) < meeting.start_at)
        .where(Meeting.status == "held")
        .order_by(col(Meeting.start_at).desc())
    ).first()


def open_follow_ups(session: Session, meeting: Meeting) -> list[FollowUp]:
    """Follow-ups of the committee's earlier meetings that are not closed, oldest first."""
    return list(
        session.exec(
            select(FollowUp)
            .join(Meeting, col(Meeting.id) == FollowUp.meeting_id)
            .where(Meeting.committee_id == meeting.committee_id)
            .where(col(Meeting.start_at) < meeting.start_at)
            .where(col(FollowUp.status).not_in(CLOSED))
            .order_by(col(Meeting.start_at), col(FollowUp.id))
        ).all()
    )


def unanswered_concerns(session: Session, meeting: Meeting) -> list[Concern]:
    """Concerns of the last held meeting that nobody rejected and that have no follow-up."""
    last = _last_held_meeting(session, meeting)
    if last is None:
        return []
    answered = select(FollowUpConcern.concern_id)
    return list(
        session.exec(
            select(Concern)
            .where(Concern.meeting_id == last.id)
            .where(Concern.state != "rejected")
            .where(col(Concern.missing_since_revision).is_(None))
            .where(col(Concern.id).not_in(answered))
            .order_by(col(Concern.start), col(Concern.id))
        ).all()
    )


def _title(text: str) -> str:
    words = " ".join(text.split())
    room = 300 - len(TITLE_PREFIX)
    return TITLE_PREFIX + (words if len(words) <= room else words[: room - 1] + "…")


def carry_forward(
    session: Session, meeting: Meeting, *, committee: Committee, viewer: Viewer | None
) -> list[CarriedItem]:
    """Put what is still open on a scheduled meeting's agenda (see the module's docstring);
    returns the items added now. The caller has checked that the viewer may edit the meeting
    and bumps its version when something was added."""
    if meeting.status != "scheduled" or meeting.id is None:
        return []
    already = session.exec(select(CarriedItem).where(CarriedItem.meeting_id == meeting.id)).all()
    carried_follow_ups = {c.follow_up_id for c in already if c.follow_up_id is not None}
    carried_concerns = {c.concern_id for c in already if c.concern_id is not None}
    wanted: list[tuple[FollowUp | None, Concern | None]] = [
        (f, None) for f in open_follow_ups(session, meeting) if f.id not in carried_follow_ups
    ]
    wanted += [
        (None, c) for c in unanswered_concerns(session, meeting) if c.id not in carried_concerns
    ]
    if not wanted:
        return []
    last = session.exec(
        select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
    ).one()
    position = last or 0
    added = []
    for follow_up, concern in wanted:
        position += 1
        if follow_up is not None:
            item = AgendaItem(
                meeting_id=meeting.id,
                position=position,
                title=_title(follow_up.title),
                presenter=follow_up.owner_text,
                notes=follow_up.description[:5000] or None,
            )
        else:
            assert concern is not None
            item = AgendaItem(
                meeting_id=meeting.id, position=position, title=_title(concern.shown_text)
            )
        session.add(item)
        session.flush()
        row = CarriedItem(
            meeting_id=meeting.id,
            follow_up_id=follow_up.id if follow_up else None,
            concern_id=concern.id if concern else None,
            agenda_item_id=item.id,
        )
        session.add(row)
        added.append(row)
    session.flush()
    audit.record(
        session,
        user_id=viewer.id if viewer else None,
        action="carry_forward",
        entity_type="meeting",
        entity_id=meeting.id,
        city_id=committee.city_id,
        summary=f"Put {plural(len(added), 'item')} of old business on the agenda",
        after={
            "follow_ups": [r.follow_up_id for r in added if r.follow_up_id],
            "concerns": [r.concern_id for r in added if r.concern_id],
        },
    )
    return added


def carried_items(session: Session, meeting_id: int) -> list[Carried]:
    """The meeting's carried items (on the agenda or dropped), with what the agenda shows."""
    rows = session.exec(
        select(CarriedItem, FollowUp, Concern)
        .join(FollowUp, col(FollowUp.id) == CarriedItem.follow_up_id, isouter=True)
        .join(Concern, col(Concern.id) == CarriedItem.concern_id, isouter=True)
        .where(CarriedItem.meeting_id == meeting_id)
        .order_by(col(CarriedItem.id))
    ).all()
    found = []
    for row, follow_up, concern in rows:
        if follow_up is not None:
            found.append(Carried(row, follow_up.title, "follow_up", follow_up.status))
        elif concern is not None:
            found.append(Carried(row, concern.shown_text, "concern", None))
    return found


def drop_carried(
    session: Session,
    meeting: Meeting,
    carried_id: int,
    *,
    committee: Committee,
    viewer: Viewer,
    reason: str,
) -> CarriedItem:
    """Take a carried item off this meeting's agenda, with a reason (it stays off this one).
    The caller has checked that the viewer may edit the meeting and bumps its version."""
    row = session.get(CarriedItem, carried_id)
    if row is None or row.meeting_id != meeting.id:
        raise NotFound("There is no such item of old business on this agenda.")
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput({"reason": "Say why this item leaves the agenda."})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"reason": f"Keep the reason under {MAX_REASON} characters."})
    if row.dropped_reason is not None:
        return row
    item = session.get(AgendaItem, row.agenda_item_id) if row.agenda_item_id else None
    title = item.title if item else ""
    row.agenda_item_id = None
    row.dropped_reason = reason
    row.dropped_by_id = viewer.id
    session.add(row)
    session.flush()
    if item is not None:
        session.delete(item)
        session.flush()
    audit.record(
        session,
        user_id=viewer.id,
        action="drop_old_business",
        entity_type="meeting",
        entity_id=meeting.id,
        city_id=committee.city_id,
        summary=f"Dropped “{title}” from the agenda: {reason}",
        before={"agenda_item": title},
        after={"reason": reason},
    )
    return row


def forget_agenda_item(session: Session, item_id: int, *, reason: str) -> None:
    """An agenda item of old business deleted by hand counts as dropped (so it stays off)."""
    row = session.exec(select(CarriedItem).where(CarriedItem.agenda_item_id == item_id)).first()
    if row is not None:
        row.agenda_item_id = None
        row.dropped_reason = reason
        session.add(row)
        session.flush()
