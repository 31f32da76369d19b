"""Saving minutes proposes recurring concerns through the real pipeline, and saving them again
keeps or takes back those proposals without breaking anything."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.minutes import service as minutes_service
from jcpp.models import Concern, Meeting, RecurringConcern
from tests.analysis.helpers import load_topics
from tests.meetings.helpers import World, build_world
from tests.recurring.helpers import concern_ids_of, meeting_on, recurring_of

JANUARY = (
    "3. Public comment\n"
    "Residents on Elm Street said drivers are speeding past Lincoln Elementary at pickup time "
    "and asked for more patrols.\n"
)
FEBRUARY = (
    "4. Community concerns\n"
    "Parents again raised speeding past Lincoln Elementary on Elm Street at pickup time; they "
    "asked for a speed trailer.\n"
)
FEBRUARY_WITHOUT_IT = "4. Community concerns\nNone were raised.\n"


@pytest.fixture
def world(session: Session) -> World:
    load_topics(session)
    return build_world(session)


def save(session: Session, meeting: Meeting, text: str, by: Viewer) -> None:
    current = minutes_service.save_minutes(
        session, meeting.id or 0, text=text, base_revision=_revision(session, meeting),
        note=None, by=by,
    )  # fmt: skip
    assert current.revision.text == text


def _revision(session: Session, meeting: Meeting) -> int:
    from jcpp.models import Minutes

    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()
    return minutes.current_revision if minutes else 0


def only_concern(session: Session, meeting: Meeting) -> Concern:
    return session.exec(select(Concern).where(Concern.meeting_id == meeting.id)).one()


def test_minutes_saved_next_month_propose_the_concern_as_raised_again(
    session: Session, world: World
) -> None:
    liaison = load_viewer(session, world.users["liaison"])
    january = meeting_on(session, world.committee, dt.date(2031, 1, 15))
    february = meeting_on(session, world.committee, dt.date(2031, 2, 19))
    save(session, january, JANUARY, liaison)
    save(session, february, FEBRUARY, liaison)

    first, again = only_concern(session, january), only_concern(session, february)
    recurring = recurring_of(session, again)
    assert recurring is not None
    assert concern_ids_of(session, recurring) == {first.id: "proposed", again.id: "proposed"}

    # January saved again with the concern still in it: the same recurring concern.
    save(session, january, JANUARY + "5. Adjournment at 8:01 pm.\n", liaison)
    assert only_concern(session, january).id == first.id
    assert recurring_of(session, first) == recurring_of(session, again) == recurring

    # February saved again without it: the unreviewed concern goes, and with it the proposal.
    save(session, february, FEBRUARY_WITHOUT_IT, liaison)
    assert session.exec(select(Concern).where(Concern.meeting_id == february.id)).all() == []
    assert session.get(RecurringConcern, recurring.id) is None
    assert recurring_of(session, first) is None
