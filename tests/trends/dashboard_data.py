"""Known data for the dashboard's tests: analysed minutes of two cities' committees, counted by
the real rollup on commit, and the app's clock in March 2043 (the default period is Apr 2042 –
Mar 2043; no other test writes meetings in these years).

Richfield (world.city):  Jan 2043  traffic safety (2 sentences), language access (1), a concern
                         Feb 2043  traffic safety (1)
Crystal (other_city):    Jan 2043  traffic safety (1 sentence, with markup-like characters)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from jcpp import clock
from jcpp.analysis.store import store_analysis
from jcpp.models import Meeting
from tests.analysis.helpers import add_revision, fake_analysis, load_topics
from tests.factories import create_meeting
from tests.meetings.helpers import World, build_world

CHICAGO = ZoneInfo("America/Chicago")
TODAY = dt.date(2043, 3, 10)
RICHFIELD_JAN = (
    "Residents say drivers are speeding on Elm Street. "
    "A member asked for interpreters at the front desk. "
    "Another member said speeding near the school worries parents."
)
RICHFIELD_FEB = "The chief reported fewer crashes after the speeding campaign."
CRYSTAL_JAN = "A resident wrote <b>speeding</b> & racing on Main Street keeps her awake."
WORRY = "Another member said speeding near the school worries parents."


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(18, 30), tzinfo=CHICAGO).astimezone(dt.UTC)


def analysed(
    session: Session,
    committee_id: int,
    day: dt.date,
    text: str,
    topics: dict[str, list[str]],
    concerns: list[tuple[str, list[str]]] | None = None,
) -> Meeting:
    meeting = create_meeting(session, committee_id=committee_id, start_at=at(day), status="held")
    number = add_revision(session, meeting, text)
    analysis = fake_analysis(text, topics=topics, concerns=concerns or [])
    store_analysis(
        session,
        meeting_id=meeting.id or 0,
        revision_number=number,
        text=text,
        analysis=analysis,
        topic_list_version="v",
    )
    session.commit()  # the rollup counts on commit
    return meeting


@dataclass
class Trends:
    world: World
    richfield_jan: Meeting
    richfield_feb: Meeting
    crystal_jan: Meeting

    @property
    def richfield(self) -> str:
        return self.world.city.slug

    @property
    def crystal(self) -> str:
        return self.world.other_city.slug


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=CHICAGO).astimezone(dt.UTC)
    monkeypatch.setattr(clock, "utcnow", lambda: noon)
    return TODAY


@pytest.fixture
def trends(session: Session, fixed_clock: dt.date) -> Trends:
    load_topics(session)
    world = build_world(session)
    here, there = world.committee.id or 0, world.other_committee.id or 0
    richfield_jan = analysed(
        session,
        here,
        dt.date(2043, 1, 14),
        RICHFIELD_JAN,
        {
            "traffic-safety": ["speeding on Elm Street", "speeding near the school"],
            "language-access": ["interpreters"],
        },
        [(WORRY, ["traffic-safety"])],
    )
    richfield_feb = analysed(
        session, here, dt.date(2043, 2, 11), RICHFIELD_FEB, {"traffic-safety": ["speeding"]}
    )
    crystal_jan = analysed(
        session,
        there,
        dt.date(2043, 1, 20),
        CRYSTAL_JAN,
        {"traffic-safety": ["<b>speeding</b> & racing"]},
    )
    return Trends(world, richfield_jan, richfield_feb, crystal_jan)
