"""What the printable minutes and their PDF show: the meeting, its attendance, agenda, the
newest minutes and the follow-ups made at it. Same permission as the minutes page (whoever may
see the committee); the roster shows names, roles and attendance, never contact details."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer
from jcpp.followups.lifecycle import status_label
from jcpp.meetings.service import AttendanceSheet, agenda_items, attendance_sheet
from jcpp.minutes import service as minutes_service
from jcpp.models import AgendaItem, FollowUp, User


@dataclass(frozen=True)
class PrintedFollowUp:
    follow_up: FollowUp
    owner: str  # as the minutes name the owner, else the owner's account
    status: str

    @property
    def id(self) -> int:
        assert self.follow_up.id is not None
        return self.follow_up.id


@dataclass(frozen=True)
class PrintableMinutes:
    view: minutes_service.MinutesView
    attendance: AttendanceSheet
    agenda: list[AgendaItem]
    follow_ups: list[PrintedFollowUp]

    @property
    def ctx(self) -> minutes_service.MeetingContext:
        return self.view.context


def printable_minutes(session: Session, meeting_id: int, *, viewer: Viewer) -> PrintableMinutes:
    """NotFound when the meeting is unknown or not the viewer's to see."""
    view = minutes_service.get_minutes_view(session, meeting_id, viewer=viewer)
    rows = session.exec(
        select(FollowUp, User.name)
        .outerjoin(User, col(User.id) == FollowUp.owner_user_id)
        .where(FollowUp.meeting_id == meeting_id)
        .order_by(col(FollowUp.id))
    ).all()
    return PrintableMinutes(
        view=view,
        attendance=attendance_sheet(session, view.context.meeting),
        agenda=agenda_items(session, meeting_id),
        follow_ups=[
            PrintedFollowUp(
                follow_up, follow_up.owner_text or account or "", status_label(follow_up.status)
            )
            for follow_up, account in rows
        ],
    )
