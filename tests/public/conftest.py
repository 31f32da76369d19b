"""A public committee with known names: residents on its roster (serving and past), a chair and
a police lieutenant, a guest named only in the minutes, e-mails and phones on file, and a
meeting whose published minutes name them all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlmodel import Session

from jcpp.models import Attendance, FollowUp, Meeting, Minutes
from tests.factories import create_meeting, create_membership, create_minutes, create_person
from tests.meetings.helpers import World, build_world
from tests.web import WebClient

MINUTES = """\
# Call to order
Chair Lindqvist called the meeting to order at 6:32 pm.

# Speeding on 66th Street
Yasmin Haddad said drivers race past Centennial Elementary at pickup time. Haddad asked for \
patrols; tomás rivera agreed and said the crosswalk needs a light. Yasmin also asked about \
the bus stop.
Lt. Okafor will bring stop data to the next meeting.

# Interpreters
Ms. Gonzalez, a guest, said families cannot report a crime at the front desk after 5 pm.
Dwayne Brooks from the neighbourhood association offered to help. Lucy Xiong sent regrets \
(lucy@example.org, 612-555-0199); call (612) 555 0142 or write to YASMIN@example.org.
"""
# Every form of every resident's name, as a visitor must never read it.
RESIDENT_WORDS = ("Yasmin", "Haddad", "Tomás", "Rivera", "Gonzalez", "Lucy", "Xiong")
ADDED_WORDS = ("Dwayne", "Brooks")
KEPT_WORDS = ("Lindqvist", "Okafor")
CONTACTS = ("yasmin@example.org", "612-555-0142", "lucy@example.org", "612-555-0199")


@dataclass
class Town:
    world: World
    meeting: Meeting
    minutes: Minutes
    follow_up: FollowUp
    people: dict[str, int]

    @property
    def slug(self) -> str:
        return self.world.committee.slug

    @property
    def public_url(self) -> str:
        return f"/public/{self.slug}/meetings/{self.meeting.id}"

    @property
    def review_url(self) -> str:
        return f"/meetings/{self.meeting.id}/minutes/public"


@pytest.fixture
def town(session: Session) -> Town:
    world = build_world(session)
    committee = world.committee
    committee.public_pages = True
    session.add(committee)
    day = dt.date(2026, 3, 18)
    people = {}
    for name, role, title, extra in (
        ("Grace Lindqvist", "chair", None, {}),
        ("Marcus Okafor", "police", "Lt.", {"email": "okafor@pd.example.org"}),
        ("Yasmin Haddad", "member", None, {"email": CONTACTS[0], "phone": CONTACTS[1]}),
        ("Tomás Rivera", "member", None, {}),
    ):
        person = create_person(session, name=name, title=title, **extra)
        create_membership(session, committee=committee, person=person, role=role)
        people[name] = person.id or 0
    past = create_person(session, name="Lucy Xiong", email=CONTACTS[2], phone=CONTACTS[3])
    create_membership(
        session, committee=committee, person=past, end_date=day - dt.timedelta(days=40)
    )
    people["Lucy Xiong"] = past.id or 0
    start = dt.datetime(2026, 3, 18, 23, 30, tzinfo=dt.UTC)
    meeting = create_meeting(session, committee=committee, start_at=start, status="held")
    for person_id in people.values():
        session.add(Attendance(meeting_id=meeting.id or 0, person_id=person_id, status="present"))
    minutes = create_minutes(session, meeting=meeting, texts=[MINUTES], status="published")
    follow_up = FollowUp(
        meeting_id=meeting.id or 0,
        title="Call Ms. Gonzalez back about interpreters",
        owner_text="Yasmin Haddad",
        status="in_progress",
        due_date=dt.date(2026, 4, 15),
    )
    session.add_all(
        [
            follow_up,
            FollowUp(meeting_id=meeting.id or 0, title="Bring stop data", owner_text="Lt. Okafor"),
        ]
    )
    # Committed (a savepoint of the test's transaction): a request that fails with a 404 rolls
    # back what is not, and the tests go on after such requests.
    session.commit()
    return Town(world, meeting, minutes, follow_up, people)


def review(client: WebClient, town: Town, *, added: str = "Dwayne Brooks", **kw: object) -> object:
    """Post the review as its page proposes it (the default choices), adding `added`."""
    from tests.web import soup

    page = soup(client.get(town.review_url))
    hidden = [box["value"] for box in page.select("input[name=hide]") if box.has_attr("checked")]
    data = {"revision": str(town.minutes.current_revision), "hide": hidden, "added": added}
    data.update(kw)  # type: ignore[arg-type]
    return client.post(town.review_url, data=data)
