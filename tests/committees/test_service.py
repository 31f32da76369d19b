from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from jcpp.auth.permissions import load_viewer
from jcpp.committees import service
from jcpp.errors import InvalidInput, NotFound, NotPermitted
from jcpp.models import AuditEvent, Meeting
from tests.committees.helpers import statements_run
from tests.factories import (
    create_committee,
    create_meeting,
    create_membership,
    create_minutes,
    create_person,
)
from tests.meetings.helpers import World, local_start

UTC = dt.UTC


@pytest.fixture
def as_role(session: Session, world: World):  # type: ignore[no-untyped-def]
    return lambda role: load_viewer(session, world.users[role])


def meetings_of(session: Session, committee_id: int) -> list[Meeting]:
    return list(
        session.exec(
            select(Meeting)
            .where(Meeting.committee_id == committee_id)
            .order_by(col(Meeting.start_at))
        ).all()
    )


# --- the rule in words --------------------------------------------------------------------------


def test_rule_is_described_in_words() -> None:
    words = service.rule_in_words("FREQ=MONTHLY;BYDAY=WE;BYSETPOS=3;BYHOUR=18;BYMINUTE=30")
    assert words.lower().startswith("third wednesday of every month")
    assert "6:30 pm" in words
    assert service.rule_in_words(None) == "No regular meetings"


# --- list and get ---------------------------------------------------------------------------------


def test_committees_are_grouped_by_city_with_next_last_and_missing(
    session: Session, world: World, as_role
) -> None:  # type: ignore[no-untyped-def]
    now = dt.datetime(2026, 6, 1, 12, tzinfo=UTC)
    held_with_minutes = create_meeting(
        session, committee=world.committee, start_at=now - dt.timedelta(days=60), status="held"
    )
    create_minutes(session, meeting=held_with_minutes, texts=["1. Call to order"])
    last_held = create_meeting(
        session, committee=world.committee, start_at=now - dt.timedelta(days=30), status="held"
    )
    create_meeting(  # cancelled: never missing minutes
        session, committee=world.committee, start_at=now - dt.timedelta(days=10), status="cancelled"
    )
    upcoming = create_meeting(
        session, committee=world.committee, start_at=now + dt.timedelta(days=20)
    )
    create_meeting(session, committee=world.committee, start_at=now + dt.timedelta(days=50))

    groups = service.list_committees_for(session, viewer=as_role("admin"), now=now)

    names = [g.city.name for g in groups]
    assert names.index(world.other_city.name) < names.index(world.city.name)
    richfield = next(g for g in groups if g.city.id == world.city.id)
    [summary] = [s for s in richfield.committees if s.committee.id == world.committee.id]
    assert summary.next_meeting is not None and summary.next_meeting.id == upcoming.id
    assert summary.last_held is not None and summary.last_held.id == last_held.id
    assert summary.missing_minutes == 1
    assert summary.rule_text.lower().startswith("third wednesday")


def test_committee_list_runs_the_same_queries_for_any_number_of_committees(
    session: Session, world: World, as_role
) -> None:  # type: ignore[no-untyped-def]
    now = dt.datetime(2026, 6, 1, 12, tzinfo=UTC)

    def statements() -> int:
        with statements_run(session) as seen:
            service.list_committees_for(session, viewer=as_role("admin"), now=now)
        return len(seen)

    few = statements()
    for n in range(5):
        committee = create_committee(session, city=world.city, name=f"Richfield Board {n}")
        create_meeting(session, committee=committee, start_at=now - dt.timedelta(days=9 + n))
        create_meeting(session, committee=committee, start_at=now + dt.timedelta(days=9 + n))
    assert statements() == few


def test_meeting_in_progress_is_not_missing_minutes_yet(
    session: Session, world: World, as_role
) -> None:  # type: ignore[no-untyped-def]
    now = dt.datetime(2026, 6, 1, 23, 45, tzinfo=UTC)
    create_meeting(
        session,
        committee=world.committee,
        start_at=now - dt.timedelta(minutes=15),
        end_at=now + dt.timedelta(minutes=75),
        status="held",
    )
    groups = service.list_committees_for(session, viewer=as_role("admin"), now=now)
    [summary] = [s for g in groups for s in g.committees if s.committee.id == world.committee.id]
    assert summary.missing_minutes == 0
    later = now + dt.timedelta(hours=2)
    groups = service.list_committees_for(session, viewer=as_role("admin"), now=later)
    [summary] = [s for g in groups for s in g.committees if s.committee.id == world.committee.id]
    assert summary.missing_minutes == 1


@pytest.mark.parametrize(
    ("role", "sees_own", "sees_other"),
    [
        ("admin", True, True),
        ("county_staff", True, True),
        ("liaison", True, False),
        ("liaison_other", False, True),
        ("member", True, False),
        ("member_other", False, True),
    ],
)
def test_each_role_lists_only_the_committees_it_may_see(
    session: Session, world: World, as_role, role: str, sees_own: bool, sees_other: bool
) -> None:  # type: ignore[no-untyped-def]
    groups = service.list_committees_for(session, viewer=as_role(role))
    ids = {s.committee.id for g in groups for s in g.committees}
    assert (world.committee.id in ids) is sees_own
    assert (world.other_committee.id in ids) is sees_other


def test_member_sees_only_his_committee_not_the_rest_of_the_city(
    session: Session, world: World, as_role
) -> None:  # type: ignore[no-untyped-def]
    second = create_committee(session, city=world.city, name="Richfield Human Rights Commission")
    member_ids = {
        s.committee.id
        for g in service.list_committees_for(session, viewer=as_role("member"))
        for s in g.committees
    }
    liaison_ids = {
        s.committee.id
        for g in service.list_committees_for(session, viewer=as_role("liaison"))
        for s in g.committees
    }
    assert member_ids == {world.committee.id}
    assert liaison_ids == {world.committee.id, second.id}


def test_get_committee_hides_out_of_scope_and_refuses_read_only_edits(
    session: Session, world: World, as_role
) -> None:  # type: ignore[no-untyped-def]
    assert service.get_committee(session, world.committee.id, viewer=as_role("member"))
    with pytest.raises(NotFound):
        service.get_committee(session, world.committee.id, viewer=as_role("liaison_other"))
    with pytest.raises(NotFound):
        service.get_committee(session, 999_999, viewer=as_role("admin"))
    with pytest.raises(NotPermitted):
        service.get_committee(
            session, world.committee.id, viewer=as_role("county_staff"), edit=True
        )
    editable = service.get_committee(
        session, world.committee.id, viewer=as_role("liaison"), edit=True
    )
    assert editable.id == world.committee.id


# --- roster ---------------------------------------------------------------------------------------


def test_roster_on_a_day_follows_terms_inclusive(session: Session, world: World) -> None:
    day = dt.date(2026, 3, 18)
    chair = create_person(session, name="Zoe Chair")
    create_membership(
        session, committee=world.committee, person=chair, role="chair", start_date=day
    )
    last_day = create_membership(
        session, committee=world.committee, start_date=dt.date(2024, 1, 1), end_date=day
    )
    create_membership(  # ended the day before
        session,
        committee=world.committee,
        start_date=dt.date(2024, 1, 1),
        end_date=day - dt.timedelta(days=1),
    )
    create_membership(  # starts the day after
        session, committee=world.committee, start_date=day + dt.timedelta(days=1)
    )
    roster = service.roster_on(session, world.committee.id or 0, day)
    assert [e.person.id for e in roster] == [chair.id, last_day.person_id]
    assert roster[0].membership.role == "chair"


# --- meeting list ---------------------------------------------------------------------------------


def test_meeting_list_filters_and_pages_newest_first(session: Session, world: World) -> None:
    now = dt.datetime(2026, 6, 1, tzinfo=UTC)
    starts = [dt.datetime(2025, m, 20, 23, 30, tzinfo=UTC) for m in range(1, 13)]
    meetings = [
        create_meeting(session, committee=world.committee, start_at=s, status="held")
        for s in starts
    ]
    create_minutes(session, meeting=meetings[-1], texts=["Minutes"])
    create_meeting(
        session, committee=world.committee, start_at=dt.datetime(2026, 2, 19, 0, 30, tzinfo=UTC)
    )
    committee_id = world.committee.id or 0

    rows, total = service.list_meetings(
        session, committee_id, filters=service.MeetingFilters(), page=1, per_page=5, now=now
    )
    assert total == 13
    assert [r.meeting.start_at for r in rows] == sorted(
        [r.meeting.start_at for r in rows], reverse=True
    )
    assert rows[0].meeting.start_at.year == 2026
    page3, _ = service.list_meetings(
        session, committee_id, filters=service.MeetingFilters(), page=3, per_page=5, now=now
    )
    assert len(page3) == 3

    held_2025, total = service.list_meetings(
        session,
        committee_id,
        filters=service.MeetingFilters(status="held", year=2025),
        page=1,
        now=now,
    )
    assert total == 12
    missing, total = service.list_meetings(
        session,
        committee_id,
        filters=service.MeetingFilters(missing_only=True),
        page=1,
        now=now,
    )
    # 11 held without minutes, plus the February meeting, which took place and has none.
    assert total == 12
    assert meetings[-1].id not in {r.meeting.id for r in missing}
    assert rows[0].minutes_status is None  # February 2026: none yet
    assert rows[1].meeting.id == meetings[-1].id
    assert rows[1].minutes_status == "draft"
    assert meetings[-1].id in {r.meeting.id for r in held_2025}


def test_year_filter_uses_the_county_year(session: Session, world: World) -> None:
    # 2026-01-01 03:00 UTC is still New Year's Eve 2025 in Minnesota.
    late = create_meeting(
        session, committee=world.committee, start_at=dt.datetime(2026, 1, 1, 3, tzinfo=UTC)
    )
    rows, _ = service.list_meetings(
        session,
        world.committee.id or 0,
        filters=service.MeetingFilters(year=2025),
        page=1,
    )
    assert [r.meeting.id for r in rows] == [late.id]
    assert service.meeting_years(session, world.committee.id or 0) == [2025]


# --- scheduling from the rule ---------------------------------------------------------------------


def test_schedule_is_idempotent(session: Session, world: World, as_role) -> None:  # type: ignore[no-untyped-def]
    now = dt.datetime(2026, 1, 5, 15, tzinfo=UTC)
    first = service.schedule_next_meetings(
        session, world.committee.id or 0, months=3, viewer=as_role("liaison"), now=now
    )
    second = service.schedule_next_meetings(
        session, world.committee.id or 0, months=3, viewer=as_role("liaison"), now=now
    )
    assert first == (3, 0)
    assert second == (0, 3)
    assert len(meetings_of(session, world.committee.id or 0)) == 3


def test_schedule_keeps_local_time_across_dst_changes(
    session: Session, world: World, as_role
) -> None:  # type: ignore[no-untyped-def]
    """Third Wednesday 6:30 pm Central: 00:30 UTC next day in winter, 23:30 UTC in summer."""
    admin = as_role("admin")
    committee_id = world.committee.id or 0
    spring = dt.datetime(2026, 2, 10, 12, tzinfo=UTC)  # DST starts Mar 8, 2026
    assert service.schedule_next_meetings(
        session, committee_id, months=2, viewer=admin, now=spring
    ) == (2, 0)
    autumn = dt.datetime(2026, 10, 10, 12, tzinfo=UTC)  # DST ends Nov 1, 2026
    assert service.schedule_next_meetings(
        session, committee_id, months=2, viewer=admin, now=autumn
    ) == (2, 0)
    starts = [m.start_at for m in meetings_of(session, committee_id)]
    assert starts == [
        dt.datetime(2026, 2, 19, 0, 30, tzinfo=UTC),  # Wed Feb 18, 6:30 pm CST
        dt.datetime(2026, 3, 18, 23, 30, tzinfo=UTC),  # Wed Mar 18, 6:30 pm CDT
        dt.datetime(2026, 10, 21, 23, 30, tzinfo=UTC),  # Wed Oct 21, 6:30 pm CDT
        dt.datetime(2026, 11, 19, 0, 30, tzinfo=UTC),  # Wed Nov 18, 6:30 pm CST
    ]
    created = meetings_of(session, committee_id)[0]
    assert created.end_at == created.start_at + dt.timedelta(minutes=90)
    assert created.place == world.committee.default_place
    assert created.from_rule and created.status == "scheduled"


def test_schedule_counts_a_moved_or_cancelled_meeting_on_the_same_day(
    session: Session, world: World, as_role
) -> None:  # type: ignore[no-untyped-def]
    moved = local_start(session, world.committee, dt.date(2026, 3, 18), hour=17, minute=0)
    cancelled = local_start(session, world.committee, dt.date(2026, 4, 15))
    cancelled.status = "cancelled"
    session.flush()
    now = dt.datetime(2026, 3, 1, 12, tzinfo=UTC)
    created, existing = service.schedule_next_meetings(
        session, world.committee.id or 0, months=3, viewer=as_role("liaison"), now=now
    )
    assert (created, existing) == (1, 2)  # only May 20 is new
    days = [
        m.start_at.astimezone(service.county_zone()).date()
        for m in meetings_of(session, world.committee.id or 0)
    ]
    assert days == [dt.date(2026, 3, 18), dt.date(2026, 4, 15), dt.date(2026, 5, 20)]
    assert moved.start_at.astimezone(service.county_zone()).hour == 17


def test_schedule_skips_a_meeting_time_already_past_today(
    session: Session, world: World, as_role
) -> None:  # type: ignore[no-untyped-def]
    after_start = dt.datetime(2026, 3, 18, 23, 45, tzinfo=UTC)  # Mar 18, 6:45 pm local
    created, existing = service.schedule_next_meetings(
        session, world.committee.id or 0, months=1, viewer=as_role("liaison"), now=after_start
    )
    assert (created, existing) == (1, 0)
    [meeting] = meetings_of(session, world.committee.id or 0)
    assert meeting.start_at == dt.datetime(2026, 4, 15, 23, 30, tzinfo=UTC)


def test_schedule_writes_an_audit_event_with_the_city(
    session: Session, world: World, as_role
) -> None:  # type: ignore[no-untyped-def]
    now = dt.datetime(2026, 1, 5, tzinfo=UTC)
    service.schedule_next_meetings(
        session, world.committee.id or 0, months=2, viewer=as_role("liaison"), now=now
    )
    event = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "schedule_meetings", AuditEvent.entity_id == world.committee.id
        )
    ).one()
    assert event.city_id == world.city.id
    assert event.user_id == world.users["liaison"].id
    assert event.after is not None and len(event.after["created"]) == 2


def test_schedule_refuses_bad_input_and_wrong_people(
    session: Session, world: World, as_role
) -> None:  # type: ignore[no-untyped-def]
    committee_id = world.committee.id or 0
    with pytest.raises(InvalidInput) as invalid:
        service.schedule_next_meetings(session, committee_id, months=13, viewer=as_role("admin"))
    assert "months" in invalid.value.errors
    with pytest.raises(NotPermitted):
        service.schedule_next_meetings(
            session, committee_id, months=3, viewer=as_role("county_staff")
        )
    with pytest.raises(NotPermitted):
        service.schedule_next_meetings(session, committee_id, months=3, viewer=as_role("member"))
    with pytest.raises(NotFound):
        service.schedule_next_meetings(
            session, committee_id, months=3, viewer=as_role("liaison_other")
        )
    no_rule = create_committee(session, city=world.city, meeting_rule=None)
    with pytest.raises(InvalidInput):
        service.schedule_next_meetings(session, no_rule.id or 0, months=3, viewer=as_role("admin"))
    assert meetings_of(session, committee_id) == []


def test_schedule_refuses_a_stored_rule_that_gives_too_many_meetings(
    session: Session, world: World, as_role
) -> None:  # type: ignore[no-untyped-def]
    """A rule saved before rules were checked: a meeting every minute of every day."""
    every_minute = ",".join(str(m) for m in range(60))
    every_hour = ",".join(str(h) for h in range(24))
    world.committee.meeting_rule = (
        f"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR={every_hour};BYMINUTE={every_minute}"
    )
    session.flush()
    with pytest.raises(InvalidInput) as invalid:
        service.schedule_next_meetings(
            session, world.committee.id or 0, months=12, viewer=as_role("admin")
        )
    assert "more than 372 meetings" in invalid.value.errors["months"]
    assert meetings_of(session, world.committee.id or 0) == []
