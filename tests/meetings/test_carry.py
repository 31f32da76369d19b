"""Old business: open follow-ups and unanswered concerns come back on the next agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.errors import InvalidInput
from jcpp.meetings import carry, service
from jcpp.meetings.service import AgendaItemInput, Seen
from jcpp.models import (
    AgendaItem,
    AuditEvent,
    CarriedItem,
    Concern,
    FollowUp,
    FollowUpConcern,
    Meeting,
)
from tests.factories import create_meeting
from tests.meetings.helpers import World
from tests.web import WebClient, soup

DAY = dt.timedelta(days=1)
START = dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC)


def concern(session: Session, meeting_id: int, text: str, state: str = "proposed") -> Concern:
    row = Concern(meeting_id=meeting_id, revision_number=1, start=0, end=len(text), text=text)
    row.state = state
    session.add(row)
    session.flush()
    return row


def follow_up(session: Session, meeting_id: int, title: str, status: str = "open") -> FollowUp:
    row = FollowUp(meeting_id=meeting_id, title=title, status=status, owner_text="Lt. Okafor")
    session.add(row)
    session.flush()
    return row


def agenda(session: Session, meeting: Meeting) -> list[str]:
    return [item.title for item in service.agenda_items(session, meeting.id or 0)]


@dataclass
class History:
    world: World
    next: Meeting

    def viewer(self, session: Session, role: str = "liaison") -> Viewer:
        return load_viewer(session, self.world.users[role])


@pytest.fixture
def history(session: Session, world: World) -> History:
    """Two held meetings with follow-ups and concerns, and the next, scheduled one."""
    first = create_meeting(session, committee=world.committee, start_at=START, status="held")
    last = create_meeting(
        session, committee=world.committee, start_at=START + 30 * DAY, status="held"
    )
    other = create_meeting(session, committee=world.other_committee, start_at=START + 31 * DAY)
    follow_up(session, first.id or 0, "Interpreter line at the front desk", "in_progress")
    follow_up(session, first.id or 0, "Speed trailer on Elm", "verified_done")
    follow_up(session, last.id or 0, "Stop data by race", "acknowledged")
    follow_up(session, last.id or 0, "Youth basketball league", "declined")
    follow_up(session, other.id or 0, "Another city's follow-up")
    concern(session, first.id or 0, "An old concern from two meetings ago.")
    concern(session, last.id or 0, "Cars race past the school at pickup time.")
    concern(session, last.id or 0, "Not a concern after all.", state="rejected")
    answered = concern(session, last.id or 0, "Nobody answers the front desk phone.")
    done = follow_up(session, last.id or 0, "Answer the phone")
    session.add(FollowUpConcern(follow_up_id=done.id or 0, concern_id=answered.id or 0))
    session.flush()
    nxt = create_meeting(session, committee=world.committee, start_at=START + 60 * DAY)
    return History(world, nxt)


CARRIED = [
    "Old business: Interpreter line at the front desk",
    "Old business: Stop data by race",
    "Old business: Answer the phone",
    "Old business: Cars race past the school at pickup time.",
]


def test_the_next_agenda_gets_what_is_still_open(session: Session, history: History) -> None:
    viewer, committee = history.viewer(session), history.world.committee

    added = carry.carry_forward(session, history.next, committee=committee, viewer=viewer)
    again = carry.carry_forward(session, history.next, committee=committee, viewer=viewer)

    assert agenda(session, history.next) == CARRIED and len(added) == 4
    assert again == [] and agenda(session, history.next) == CARRIED
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.action == "carry_forward")
        .where(AuditEvent.entity_id == history.next.id)
    ).all()
    assert len(events) == 1


def test_adding_an_item_brings_old_business_forward_first(
    session: Session, history: History
) -> None:
    item = AgendaItemInput(title="Chief's report", presenter=None, notes=None)
    service.add_agenda_item(
        session, history.next.id or 0, viewer=history.viewer(session), item=item,
        seen=Seen(version=history.next.version),
    )  # fmt: skip

    assert agenda(session, history.next) == [*CARRIED, "Chief's report"]


def test_a_dropped_item_keeps_its_reason_and_stays_off_this_agenda(
    session: Session, history: History
) -> None:
    viewer, meeting = history.viewer(session), history.next
    carry.carry_forward(session, meeting, committee=history.world.committee, viewer=viewer)
    stop_data = next(c for c in carry.carried_items(session, meeting.id or 0) if "Stop" in c.title)

    with pytest.raises(InvalidInput) as refused:
        service.drop_old_business(
            session, meeting.id or 0, stop_data.row.id or 0, viewer=viewer, reason="  ",
            seen=Seen(version=meeting.version),
        )  # fmt: skip
    assert "reason" in refused.value.errors and len(agenda(session, meeting)) == 4
    service.drop_old_business(
        session, meeting.id or 0, stop_data.row.id or 0, viewer=viewer,
        reason="The lieutenant is away; next month", seen=Seen(version=meeting.version),
    )  # fmt: skip
    service.bring_old_business_forward(
        session, meeting.id or 0, viewer=viewer, seen=Seen(version=meeting.version)
    )

    assert "Old business: Stop data by race" not in agenda(session, meeting)
    assert agenda(session, meeting) == [t for t in CARRIED if "Stop" not in t]
    row = session.get(CarriedItem, stop_data.row.id)
    assert row is not None and row.dropped_reason == "The lieutenant is away; next month"


def test_an_item_removed_by_hand_counts_as_dropped_and_comes_back_next_time(
    session: Session, history: History
) -> None:
    viewer, meeting = history.viewer(session), history.next
    carry.carry_forward(session, meeting, committee=history.world.committee, viewer=viewer)
    item = session.exec(
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(col(AgendaItem.position))
    ).first()
    assert item is not None
    service.delete_agenda_item(
        session, meeting.id or 0, item.id or 0, viewer=viewer, seen=Seen(version=meeting.version)
    )
    carry.carry_forward(session, meeting, committee=history.world.committee, viewer=viewer)
    assert agenda(session, meeting) == CARRIED[1:]

    later = create_meeting(session, committee=history.world.committee, start_at=START + 90 * DAY)
    carry.carry_forward(session, later, committee=history.world.committee, viewer=viewer)
    assert "Old business: Interpreter line at the front desk" in agenda(session, later)


def test_held_meetings_get_no_old_business(session: Session, history: History) -> None:
    history.next.status = "held"
    viewer = history.viewer(session)

    with pytest.raises(InvalidInput):
        service.bring_old_business_forward(
            session, history.next.id or 0, viewer=viewer, seen=Seen(version=history.next.version)
        )
    assert agenda(session, history.next) == []


@pytest.mark.parametrize(
    ("role", "status"), [("liaison", 200), ("member", 403), ("liaison_other", 404)]
)
def test_the_agenda_button_per_role(
    client: WebClient, session: Session, history: History, role: str, status: int
) -> None:
    history.world.sign_in(client, role)
    url = f"/meetings/{history.next.id}/old-business"

    response = client.post(url, data={"version": str(history.next.version)}, htmx=True)

    assert response.status_code == status, response.text[:3000]
    if status == 200:
        assert "4 items of old business put on the agenda." in response.text
        assert response.text.count("Old business</span>") == 4
        titles = [t.get_text() for t in soup(response).select(".agenda__title")]
        assert titles == [title.removeprefix("Old business: ") for title in CARRIED]
    else:
        assert agenda(session, history.next) == []
