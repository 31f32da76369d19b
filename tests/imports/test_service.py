"""The import service: one file is all or nothing; meetings created, attached or refused."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, func, select

from jcpp.auth.permissions import load_viewer
from jcpp.errors import NotFound, NotPermitted
from jcpp.imports import service
from jcpp.minutes import service as minutes_service
from jcpp.models import AuditEvent, ImportedFile, Meeting, MinutesRevision
from tests.factories import create_meeting
from tests.imports import files
from tests.meetings.helpers import World, build_world

ZONE = ZoneInfo("America/Chicago")


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def local(day: dt.date, hour: int = 18, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE).astimezone(dt.UTC)


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_a_file_that_fails_while_written_leaves_nothing(
    session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The meeting is created, then saving the minutes loses a race with another writer (the
    database's refusal, as the minutes service reports it): the meeting goes too."""
    viewer = load_viewer(session, world.users["liaison"])
    before = (count(session, Meeting), count(session, AuditEvent), count(session, ImportedFile))

    def busy(*args: object, **kwargs: object) -> None:
        raise minutes_service.MinutesBusy()

    monkeypatch.setattr(service.minutes_service, "save_minutes", busy)
    inspected = service.inspect("2024-05-15 minutes.txt", files.text_bytes("Minutes"))
    outcome = service.import_file(session, world.committee.id or 0, inspected, day=None, by=viewer)
    assert outcome.status == "failed"
    assert "Nothing was imported: Someone else was saving these minutes" in outcome.message
    after = (count(session, Meeting), count(session, AuditEvent), count(session, ImportedFile))
    assert after == before


def test_attached_to_a_scheduled_meeting_marks_it_held(session: Session, world: World) -> None:
    viewer = load_viewer(session, world.users["admin"])
    meeting = create_meeting(
        session, committee=world.committee, start_at=local(dt.date(2024, 5, 15))
    )
    inspected = service.inspect("2024-05-15 minutes.txt", files.text_bytes("Minutes"))
    outcome = service.import_file(session, world.committee.id or 0, inspected, day=None, by=viewer)
    assert (outcome.status, outcome.meeting_id, outcome.revision) == ("attached", meeting.id, 1)
    session.refresh(meeting)
    assert meeting.status == "held"
    revision = session.exec(
        select(MinutesRevision).where(MinutesRevision.meeting_id == meeting.id)
    ).one()
    assert revision.note == "Imported from 2024-05-15 minutes.txt"


def test_a_cancelled_meeting_on_that_date_is_not_given_minutes(
    session: Session, world: World
) -> None:
    viewer = load_viewer(session, world.users["liaison"])
    create_meeting(
        session,
        committee=world.committee,
        start_at=local(dt.date(2024, 5, 15)),
        status="cancelled",
    )
    inspected = service.inspect("2024-05-15 minutes.txt", files.text_bytes("Minutes"))
    outcome = service.import_file(session, world.committee.id or 0, inspected, day=None, by=viewer)
    assert outcome.status == "failed"
    assert "meeting of May 15, 2024 was cancelled" in outcome.message
    assert count(session, ImportedFile) == 0


def test_a_committee_without_a_rule_meets_at_six(session: Session, world: World) -> None:
    world.committee.meeting_rule = None
    session.add(world.committee)
    viewer = load_viewer(session, world.users["liaison"])
    inspected = service.inspect("2024-05-15 minutes.txt", files.text_bytes("Minutes"))
    outcome = service.import_file(session, world.committee.id or 0, inspected, day=None, by=viewer)
    meeting = session.get(Meeting, outcome.meeting_id)
    assert meeting is not None
    assert meeting.start_at.astimezone(ZONE) == dt.datetime(2024, 5, 15, 18, 0, tzinfo=ZONE)
    assert meeting.place == world.committee.default_place


@pytest.mark.parametrize(
    ("role", "refusal"),
    [("county_staff", NotPermitted), ("member", NotPermitted), ("liaison_other", NotFound)],
)
def test_only_who_may_change_the_committee_imports(
    session: Session, world: World, role: str, refusal: type[Exception]
) -> None:
    viewer = load_viewer(session, world.users[role])
    inspected = service.inspect("2024-05-15 minutes.txt", files.text_bytes("Minutes"))
    with pytest.raises(refusal):
        service.import_file(session, world.committee.id or 0, inspected, day=None, by=viewer)
    assert count(session, ImportedFile) == 0
