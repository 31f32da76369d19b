"""A small county with something of every kind to export: in Richfield (the liaison's city),
a held meeting on Wed Mar 18, 2026 at 6:30 pm (CDT) with attendance, agenda, minutes in several
languages, concerns and follow-ups, and a cancelled one in February; in Crystal (another city),
a held meeting with its own attendance and concern."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from jcpp.models import (
    AgendaItem,
    Attendance,
    Concern,
    ConcernTopic,
    FollowUp,
    FollowUpConcern,
    Meeting,
    MeetingTopic,
    Person,
    Topic,
)
from jcpp.topics.service import ensure_default_topics
from tests.boards.helpers import create_follow_up
from tests.factories import create_meeting, create_membership, create_minutes, create_person
from tests.meetings.helpers import World

CHICAGO = ZoneInfo("America/Chicago")
MINUTES_TEXT = """## Call to order

Chair Nguyễn Thị Hương opened the meeting. Xyooj Vaj and Cabdullaahi Xasan joined; José Peña
interpreted in Spanish.

Residents raised **speeding** near Jefferson Elementary.

- Lt. Okafor will report back on the speed study.
"""


def local(year: int, month: int, day: int, hour: int = 18, minute: int = 30) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CHICAGO).astimezone(dt.UTC)


@dataclass
class County:
    world: World
    held: Meeting  # Richfield, Mar 18, 2026, 6:30 pm
    cancelled: Meeting  # Richfield, Feb 18, 2026
    other: Meeting  # Crystal, Mar 10, 2026
    huong: Person
    vaj: Person
    follow_up: FollowUp
    done: FollowUp
    concern: Concern
    proposed: Concern
    rejected: Concern
    other_concern: Concern
    topic: Topic  # traffic safety


def topic(session: Session, slug: str) -> Topic:
    ensure_default_topics(session)
    return session.exec(select(Topic).where(Topic.slug == slug)).one()


def add_concern(
    session: Session, meeting: Meeting, text: str, state: str, topics: tuple[Topic, ...] = ()
) -> Concern:
    concern = Concern(
        meeting_id=meeting.id or 0,
        revision_number=1,
        start=0,
        end=len(text),
        text=text,
        state=state,
    )
    session.add(concern)
    session.flush()
    for item in topics:
        session.add(ConcernTopic(concern_id=concern.id or 0, topic_id=item.id or 0))
    session.flush()
    return concern


def attend(session: Session, meeting: Meeting, person: Person, status: str) -> None:
    session.add(Attendance(meeting_id=meeting.id or 0, person_id=person.id or 0, status=status))
    session.flush()


def build_county(session: Session, world: World) -> County:
    traffic = topic(session, "traffic-safety")
    held = create_meeting(
        session, committee=world.committee, start_at=local(2026, 3, 18), status="held",
        place="City Hall, Room 2", guest_count=4,
    )  # fmt: skip
    cancelled = create_meeting(
        session, committee=world.committee, start_at=local(2026, 2, 18), status="cancelled"
    )
    other = create_meeting(
        session, committee=world.other_committee, start_at=local(2026, 3, 10), status="held"
    )
    huong = create_person(
        session, name="Nguyễn Thị Hương", email="huong@example.org", phone="612-555-0199"
    )
    vaj = create_person(session, name="Xyooj Vaj", email="vaj@example.org", phone="612-555-0142")
    otto = create_person(session, name="Otto Crystalson", email="otto@example.org")
    create_membership(session, committee=world.committee, person=huong, role="chair")
    create_membership(session, committee=world.committee, person=vaj)
    create_membership(session, committee=world.other_committee, person=otto)
    attend(session, held, huong, "present")
    attend(session, held, vaj, "absent")
    attend(session, other, otto, "present")
    session.add(AgendaItem(meeting_id=held.id or 0, position=1, title="Call to order"))
    session.add(
        AgendaItem(meeting_id=held.id or 0, position=2, title="Traffic", presenter="Lt. Okafor")
    )
    session.add(MeetingTopic(meeting_id=held.id or 0, topic_id=traffic.id or 0, state="confirmed"))
    create_minutes(session, meeting=held, texts=["Draft", MINUTES_TEXT], status="approved")
    concern = add_concern(
        session, held, "-Speeding near Jefferson Elementary", "confirmed", (traffic,)
    )
    proposed = add_concern(session, held, "Parking at the park", "proposed")
    rejected = add_concern(session, held, "Not a concern at all", "rejected")
    other_concern = add_concern(session, other, "Crystal only concern", "confirmed", (traffic,))
    follow_up = create_follow_up(
        session, meeting=held, title='=HYPERLINK("http://evil.example","Click")',
        owner_text="Lt. Okafor", due_date=dt.date(2026, 4, 15), status="in_progress",
        progress=40, topics=("traffic-safety",), created_at=local(2026, 3, 19, 9),
    )  # fmt: skip
    done = create_follow_up(
        session, meeting=held, title="Post the speed study", owner_user=world.users["member"],
        status="verified_done", created_at=local(2026, 3, 19, 9), closed_at=local(2026, 4, 2, 10),
    )  # fmt: skip
    session.add(FollowUpConcern(follow_up_id=follow_up.id or 0, concern_id=concern.id or 0))
    session.flush()
    return County(
        world, held, cancelled, other, huong, vaj, follow_up, done, concern, proposed, rejected,
        other_concern, traffic,
    )  # fmt: skip


@pytest.fixture
def county(session: Session, world: World) -> County:
    return build_county(session, world)


def read_csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def csv_header(response: Any) -> list[str]:
    return next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
