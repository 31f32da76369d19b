"""The demo loader itself, with the clock fixed (today = 2026-03-15): shapes, dates, revisions,
attendance, passwords, and the same seed giving the same data on either database."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from sqlmodel import Session, col, func, select

from jcpp import migrations
from jcpp.auth.passwords import verify_password
from jcpp.db import make_engine
from jcpp.demo import catalogue, load
from jcpp.demo.minutes_text import SHAPES
from jcpp.models import (
    Attendance,
    City,
    Meeting,
    Membership,
    Minutes,
    MinutesRevision,
    Person,
    User,
)
from jcpp.public import reading
from tests.conftest import DATABASES
from tests.demo.conftest import PASSWORD, TODAY, ZONE, Loaded

START_OF_TODAY = dt.datetime(2026, 3, 15, tzinfo=ZONE)


def test_the_password_given_is_every_demo_account_s(demo: Loaded) -> None:
    users = demo.session.exec(select(User)).all()
    assert len(users) == 4
    for user in users:  # a password given is for scripts: the same for all
        assert verify_password(PASSWORD, user.password_hash), user.email


def test_every_minutes_shape_appears(demo: Loaded) -> None:
    assert set(demo.summary.shapes) == set(SHAPES)
    assert sum(demo.summary.shapes.values()) == demo.summary.minutes


def test_only_meetings_from_today_on_are_scheduled_and_nothing_is_dated_later(
    demo: Loaded,
) -> None:
    session = demo.session
    for meeting in session.exec(select(Meeting)).all():
        assert (meeting.status == "scheduled") == (meeting.start_at >= START_OF_TODAY)
        assert meeting.start_at < START_OF_TODAY + dt.timedelta(days=93)
    for revision in session.exec(select(MinutesRevision)).all():
        assert revision.created_at < START_OF_TODAY
    for minutes in session.exec(select(Minutes)).all():
        for moment in (minutes.approved_at, minutes.published_at):
            assert moment is None or moment < START_OF_TODAY


def test_minutes_are_revised_by_turns_and_approved_at_the_next_meeting(
    demo: Loaded,
) -> None:
    session = demo.session
    by_meeting: dict[int, list[MinutesRevision]] = {}
    for revision in session.exec(select(MinutesRevision).order_by(MinutesRevision.number)).all():
        by_meeting.setdefault(revision.meeting_id, []).append(revision)
    assert {len(revisions) for revisions in by_meeting.values()} == {1, 2, 3}
    for revisions in by_meeting.values():
        for before, after in zip(revisions, revisions[1:], strict=False):
            assert before.author_id != after.author_id
            assert before.text != after.text
            assert before.created_at <= after.created_at
    minutes_rows = session.exec(select(Minutes)).all()
    assert {m.status for m in minutes_rows} == {"draft", "approved", "published"}
    for minutes in minutes_rows:
        assert minutes.current_revision == len(by_meeting[minutes.meeting_id])
        if minutes.status != "draft":
            assert minutes.approved_revision == minutes.current_revision
            assert minutes.approved_at is not None and minutes.approved_by_id is not None


def test_attendance_lists_only_the_roster_of_the_meeting_day(
    demo: Loaded,
) -> None:
    session = demo.session
    rows = session.exec(
        select(Attendance, Meeting, Membership)
        .join(Meeting, col(Meeting.id) == Attendance.meeting_id)
        .join(
            Membership,
            (col(Membership.person_id) == Attendance.person_id)
            & (col(Membership.committee_id) == Meeting.committee_id),
        )
    ).all()
    assert len(rows) == session.exec(select(func.count()).select_from(Attendance)).one()
    for attendance, meeting, membership in rows:
        assert membership.active_on(meeting.start_at.astimezone(ZONE).date())
        assert attendance.status in {"present", "absent", "excused"}
    held = session.exec(select(func.count()).where(Meeting.status == "held")).one()
    with_attendance = session.exec(select(func.count(func.distinct(Attendance.meeting_id)))).one()
    assert with_attendance == held
    ended_terms = session.exec(
        select(func.count()).where(col(Membership.end_date).is_not(None))
    ).one()
    assert ended_terms >= demo.session.exec(select(func.count()).select_from(City)).one()


def _digest(session: Session) -> str:
    texts = session.exec(select(MinutesRevision.text).order_by(MinutesRevision.id)).all()
    starts = session.exec(select(Meeting.start_at, Meeting.status).order_by(Meeting.id)).all()
    return hashlib.sha256(repr((texts, starts)).encode()).hexdigest()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(
    demo: Loaded, tmp_path: Path
) -> None:
    # A load takes half a minute: beside the PostgreSQL demo, the same seed loaded into a SQLite
    # file gives the same rows; beside the SQLite demo, another seed gives other data (and the
    # same seed too, when the run has no PostgreSQL).
    on_sqlite = demo.session.get_bind().dialect.name == "sqlite"
    url = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    migrations.upgrade("head", url=url)
    engine = make_engine(url)
    with Session(engine) as session:
        if not on_sqlite or "postgres" not in DATABASES:
            load.load_demo(session, today=TODAY, zone=ZONE, password="another password")
            assert _digest(session) == _digest(demo.session)
            session.rollback()  # nothing was committed: the database is empty again
        if on_sqlite:
            load.load_demo(session, today=TODAY, zone=ZONE, seed=7, password=PASSWORD)
            assert _digest(session) != _digest(demo.session)
    engine.dispose()


def test_the_member_city_shares_its_published_minutes_with_its_residents_names_hidden(
    demo: Loaded,
) -> None:
    session = demo.session
    [shared] = reading.public_committees(session)
    assert shared.city.slug == catalogue.MEMBER_CITY
    shown = [
        row.meeting
        for row in reading.calendar(session, shared.committee.slug, now=START_OF_TODAY).past
        if row.minutes_public
    ]
    published = session.exec(
        select(Minutes)
        .join(Meeting, col(Meeting.id) == Minutes.meeting_id)
        .where(Meeting.committee_id == shared.committee.id, Minutes.status == "published")
    ).all()
    assert len(shown) == len(published) == demo.summary.public_minutes > 0
    members = session.exec(
        select(Person.name)
        .join(Membership, col(Membership.person_id) == Person.id)
        .where(Membership.committee_id == shared.committee.id, Membership.role == "member")
    ).all()
    hidden = 0
    for meeting in shown:
        page = reading.public_meeting(session, shared.committee.slug, meeting.id or 0)
        original = session.exec(
            select(MinutesRevision.text)
            .join(Minutes, col(Minutes.meeting_id) == MinutesRevision.meeting_id)
            .where(
                MinutesRevision.meeting_id == meeting.id,
                col(MinutesRevision.number) == Minutes.current_revision,
            )
        ).one()
        named = [name for name in members if name in original]
        assert not [name for name in named if name in page.minutes_text]
        hidden += len(named)
    assert hidden > 0  # the members named in the minutes are not on the residents' pages
