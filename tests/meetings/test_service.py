from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from jcpp import clock
from jcpp.auth.permissions import Viewer, load_viewer
from jcpp.errors import Conflict, InvalidInput, NotFound, NotPermitted
from jcpp.meetings import service
from jcpp.meetings.forms import AgendaItemForm, AttendanceForm, MeetingForm
from jcpp.models import AgendaItem, Attendance, AuditEvent, Meeting
from tests.factories import create_meeting, create_membership, create_person
from tests.meetings.helpers import World, local_start

UTC = dt.UTC
MARCH_18 = dt.date(2026, 3, 18)


@pytest.fixture
def as_role(session: Session, world: World) -> Callable[[str], Viewer]:
    return lambda role: load_viewer(session, world.users[role])


@pytest.fixture
def meeting(session: Session, world: World) -> Meeting:
    """Wed Mar 18, 2026, 6:30 pm Central (23:30 UTC)."""
    return local_start(session, world.committee, MARCH_18)


def now(meeting: Meeting) -> service.Seen:
    """What a form loaded just now would send."""
    return service.Seen(meeting.version)


def details(day: str, start: str, end: str = "", place: str = "") -> service.MeetingDetails:
    form = MeetingForm(date=day, start=start, end=end, place=place)
    return form.parse(clock.zone())


def events(session: Session, action: str, entity_id: int | None) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent).where(AuditEvent.action == action, AuditEvent.entity_id == entity_id)
        ).all()
    )


# --- details and versions -----------------------------------------------------------------------


def test_meeting_form_converts_county_time_to_utc_across_dst() -> None:
    zone = clock.zone()
    winter = MeetingForm(date="2026-02-18", start="18:30", end="20:00").parse(zone)
    summer = MeetingForm(date="2026-07-15", start="18:30").parse(zone)
    assert winter.start_at == dt.datetime(2026, 2, 19, 0, 30, tzinfo=UTC)
    assert winter.end_at == dt.datetime(2026, 2, 19, 2, 0, tzinfo=UTC)
    assert summer.start_at == dt.datetime(2026, 7, 15, 23, 30, tzinfo=UTC)
    assert summer.end_at is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "", "start": "18:30"}, "date"),
        ({"date": "2026-02-30", "start": "18:30"}, "date"),
        ({"date": "2026-02-18", "start": "6pm"}, "start"),
        ({"date": "2026-02-18", "start": "18:30", "end": "18:00"}, "end"),
        ({"date": "2026-03-08", "start": "02:30"}, "start"),  # the hour clocks skip
        ({"date": "2026-02-18", "start": "18:30", "place": "x" * 301}, "place"),
    ],
)
def test_meeting_form_refuses_bad_input(data: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as invalid:
        MeetingForm.from_data(data).parse(clock.zone())
    assert field in invalid.value.errors


def test_update_meeting_bumps_version_and_audits(
    session: Session, world: World, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    new = details("2026-03-19", "18:00", "19:30", "Library, room B")
    saved, changed = service.update_meeting(
        session, meeting.id or 0, viewer=as_role("liaison"), details=new, seen=service.Seen(1)
    )
    assert changed and saved.version == 2
    assert saved.start_at == dt.datetime(2026, 3, 19, 23, 0, tzinfo=UTC)
    assert saved.place == "Library, room B"
    [event] = events(session, "update_meeting", meeting.id)
    assert event.city_id == world.city.id
    assert event.before is not None and event.after is not None
    assert event.before["place"] == "City Hall, Council Chambers"
    assert event.after["place"] == "Library, room B"


def test_unchanged_details_make_no_new_version(
    session: Session, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    same = MeetingForm.from_meeting(meeting, clock.zone()).parse(clock.zone())
    saved, changed = service.update_meeting(
        session, meeting.id or 0, viewer=as_role("admin"), details=same, seen=service.Seen(1)
    )
    assert not changed and saved.version == 1
    assert events(session, "update_meeting", meeting.id) == []


def test_stale_version_is_a_conflict_and_changes_nothing(
    session: Session, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    liaison = as_role("liaison")
    service.update_meeting(
        session,
        meeting.id or 0,
        viewer=liaison,
        details=details("2026-03-18", "18:30", place="Fire station"),
        seen=service.Seen(1),
    )
    with pytest.raises(Conflict) as conflict:
        service.update_meeting(
            session,
            meeting.id or 0,
            viewer=liaison,
            details=details("2026-03-18", "19:00", place="Police HQ"),
            seen=service.Seen(1),
        )
    assert isinstance(conflict.value, service.StaleMeeting)
    assert conflict.value.meeting.place == "Fire station"
    assert conflict.value.meeting.version == 2
    session.refresh(meeting)
    assert meeting.place == "Fire station" and meeting.version == 2


def test_moving_onto_another_meetings_time_is_refused(
    session: Session, world: World, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    other = local_start(session, world.committee, dt.date(2026, 4, 15))
    with pytest.raises(InvalidInput) as invalid:
        service.update_meeting(
            session,
            other.id or 0,
            viewer=as_role("admin"),
            details=details("2026-03-18", "18:30"),
            seen=service.Seen(1),
        )
    assert "start" in invalid.value.errors


def test_set_status_bumps_version_and_audits(
    session: Session, world: World, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    service.set_status(
        session, meeting.id or 0, viewer=as_role("liaison"), status="held", seen=now(meeting)
    )
    assert meeting.status == "held" and meeting.version == 2
    service.set_status(
        session, meeting.id or 0, viewer=as_role("liaison"), status="held", seen=now(meeting)
    )
    assert meeting.version == 2  # no change, no new version
    [event] = events(session, "set_meeting_status", meeting.id)
    assert (event.before, event.after, event.city_id) == (
        {"status": "scheduled"},
        {"status": "held"},
        world.city.id,
    )
    with pytest.raises(InvalidInput):
        service.set_status(
            session, meeting.id or 0, viewer=as_role("admin"), status="postponed", seen=now(meeting)
        )


def test_changes_need_the_right_role(
    session: Session, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    for role in ("county_staff", "member"):
        with pytest.raises(NotPermitted):
            service.set_status(
                session, meeting.id or 0, viewer=as_role(role), status="held", seen=now(meeting)
            )
        with pytest.raises(NotPermitted):
            service.add_agenda_item(
                session,
                meeting.id or 0,
                viewer=as_role(role),
                item=service.AgendaItemInput("Chief's report", None, None),
                seen=now(meeting),
            )
    for role in ("liaison_other", "member_other"):
        with pytest.raises(NotFound):
            service.get_meeting(session, meeting.id or 0, viewer=as_role(role))
        with pytest.raises(NotFound):
            service.set_status(
                session, meeting.id or 0, viewer=as_role(role), status="held", seen=now(meeting)
            )
    assert meeting.version == 1


# --- attendance -----------------------------------------------------------------------------------


def test_attendance_lists_the_roster_as_of_the_meeting_date(
    session: Session, world: World, meeting: Meeting
) -> None:
    committee = world.committee
    current = create_membership(session, committee=committee, start_date=dt.date(2025, 1, 1))
    ended_before = create_membership(
        session, committee=committee, start_date=dt.date(2024, 1, 1), end_date=dt.date(2026, 3, 17)
    )
    ends_that_day = create_membership(
        session, committee=committee, start_date=dt.date(2024, 1, 1), end_date=MARCH_18
    )
    starts_after = create_membership(session, committee=committee, start_date=dt.date(2026, 3, 19))
    # The meeting is at 23:30 UTC on Mar 18, which is still Mar 18 locally; a term that
    # starts "tomorrow" in UTC terms but on Mar 19 locally is not on the roster.
    sheet = service.attendance_sheet(session, meeting)
    listed = {row.person.id for row in sheet.rows}
    assert sheet.day == MARCH_18
    assert current.person_id in listed and ends_that_day.person_id in listed
    assert ended_before.person_id not in listed
    assert starts_after.person_id not in listed


def test_record_attendance_upserts_and_bumps_version(
    session: Session, world: World, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    ana = create_person(session, name="Ana")
    ben = create_person(session, name="Ben")
    for person in (ana, ben):
        create_membership(session, committee=world.committee, person=person)
    liaison = as_role("liaison")
    service.record_attendance(
        session,
        meeting.id or 0,
        viewer=liaison,
        statuses={ana.id or 0: "present", ben.id or 0: "absent"},
        guest_count=3,
        guest_organisations="Somali Community Center",
        seen=now(meeting),
    )
    _, changed = service.record_attendance(
        session,
        meeting.id or 0,
        viewer=liaison,
        statuses={ben.id or 0: "excused"},
        guest_count=3,
        guest_organisations="Somali Community Center",
        seen=now(meeting),
    )
    assert changed
    rows = session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    assert {(r.person_id, r.status) for r in rows} == {
        (ana.id, "present"),
        (ben.id, "excused"),
    }
    sheet = service.attendance_sheet(session, meeting)
    assert sheet.totals == {"present": 1, "absent": 0, "excused": 1}
    assert sheet.guest_count == 3
    assert meeting.version == 3
    audit = events(session, "record_attendance", meeting.id)
    assert [e.city_id for e in audit] == [world.city.id, world.city.id]
    assert audit[1].before is not None and audit[1].before["Ben"] == "absent"
    assert audit[1].after is not None and audit[1].after["Ben"] == "excused"
    _, changed = service.record_attendance(
        session,
        meeting.id or 0,
        viewer=liaison,
        statuses={ben.id or 0: "excused"},
        guest_count=3,
        guest_organisations="Somali Community Center",
        seen=now(meeting),
    )
    assert not changed and meeting.version == 3


def test_attendance_of_someone_off_the_roster_is_refused(
    session: Session, world: World, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    later = create_membership(session, committee=world.committee, start_date=dt.date(2026, 6, 1))
    with pytest.raises(InvalidInput) as invalid:
        service.record_attendance(
            session,
            meeting.id or 0,
            viewer=as_role("liaison"),
            statuses={later.person_id: "present"},
            guest_count=0,
            guest_organisations=None,
            seen=now(meeting),
        )
    assert f"person-{later.person_id}" in invalid.value.errors
    recorded = session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id))
    assert recorded.all() == []
    assert meeting.version == 1


def test_recorded_people_stay_listed_after_leaving_the_roster(
    session: Session, world: World, meeting: Meeting
) -> None:
    gone = create_person(session, name="Moved Away")
    membership = create_membership(session, committee=world.committee, person=gone)
    session.add(Attendance(meeting_id=meeting.id or 0, person_id=gone.id or 0, status="present"))
    membership.start_date = dt.date(2026, 4, 1)  # the roster was corrected afterwards
    session.flush()
    [row] = service.attendance_sheet(session, meeting).rows
    assert row.person.id == gone.id and row.status == "present" and not row.on_roster


def test_attendance_form_parses_radio_groups_and_guests() -> None:
    form = AttendanceForm.from_data(
        {"person-4": "present", "person-9": "excused", "guest_count": "2", "csrf_token": "x"}
    )
    assert form.parse() == ({4: "present", 9: "excused"}, 2, None)
    with pytest.raises(InvalidInput) as invalid:
        AttendanceForm.from_data({"person-4": "late", "guest_count": "-1"}).parse()
    assert set(invalid.value.errors) == {"person-4", "guest_count"}


# --- agenda ---------------------------------------------------------------------------------------


def agenda(session: Session, meeting: Meeting) -> list[tuple[int, str]]:
    return [(i.position, i.title) for i in service.agenda_items(session, meeting.id or 0)]


def add(session: Session, meeting: Meeting, viewer: Viewer, *titles: str) -> list[AgendaItem]:
    return [
        service.add_agenda_item(
            session,
            meeting.id or 0,
            viewer=viewer,
            item=AgendaItemForm(title=title).parse(),
            seen=now(meeting),
        )
        for title in titles
    ]


def test_agenda_reorder_and_delete_keep_positions_contiguous(
    session: Session, world: World, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    liaison = as_role("liaison")
    call, chief, youth, adjourn = add(
        session, meeting, liaison, "Call to order", "Chief's report", "Youth programs", "Adjourn"
    )
    assert agenda(session, meeting) == [
        (1, "Call to order"),
        (2, "Chief's report"),
        (3, "Youth programs"),
        (4, "Adjourn"),
    ]
    service.move_agenda_item(
        session, meeting.id or 0, youth.id or 0, viewer=liaison, direction="up", seen=now(meeting)
    )
    service.move_agenda_item(
        session, meeting.id or 0, call.id or 0, viewer=liaison, direction="up", seen=now(meeting)
    )  # already first: nothing moves
    service.move_agenda_item(
        session,
        meeting.id or 0,
        adjourn.id or 0,
        viewer=liaison,
        direction="down",
        seen=now(meeting),
    )
    assert agenda(session, meeting) == [
        (1, "Call to order"),
        (2, "Youth programs"),
        (3, "Chief's report"),
        (4, "Adjourn"),
    ]
    service.delete_agenda_item(
        session, meeting.id or 0, youth.id or 0, viewer=liaison, seen=now(meeting)
    )
    assert agenda(session, meeting) == [(1, "Call to order"), (2, "Chief's report"), (3, "Adjourn")]
    [added] = add(session, meeting, liaison, "Open forum")
    assert added.position == 4
    service.move_agenda_item(
        session, meeting.id or 0, added.id or 0, viewer=liaison, direction="up", seen=now(meeting)
    )
    assert [p for p, _ in agenda(session, meeting)] == [1, 2, 3, 4]
    assert agenda(session, meeting)[2] == (3, "Open forum")
    # 5 additions, 2 real moves and 1 deletion are new versions; the 2 moves past either end
    # of the agenda change nothing and make none.
    assert meeting.version == 1 + 5 + 2 + 1
    moves = events(session, "move_agenda_item", youth.id)
    assert moves[0].before == {"position": 3} and moves[0].after == {"position": 2}


def test_edit_agenda_item_and_refuse_items_of_other_meetings(
    session: Session, world: World, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    admin = as_role("admin")
    [item] = add(session, meeting, admin, "Chief's report")
    edited = service.edit_agenda_item(
        session,
        meeting.id or 0,
        item.id or 0,
        viewer=admin,
        item=AgendaItemForm(title="Chief's report", presenter="Chief Alvarez", notes="Q3").parse(),
        seen=now(meeting),
    )
    assert edited.presenter == "Chief Alvarez" and edited.notes == "Q3"
    [event] = events(session, "edit_agenda_item", item.id)
    assert event.before is not None and event.before["presenter"] is None
    other = create_meeting(session, committee=world.committee)
    with pytest.raises(NotFound):
        service.delete_agenda_item(
            session, other.id or 0, item.id or 0, viewer=admin, seen=now(other)
        )
    with pytest.raises(InvalidInput):
        service.move_agenda_item(
            session,
            meeting.id or 0,
            item.id or 0,
            viewer=admin,
            direction="sideways",
            seen=now(meeting),
        )


def test_agenda_form_requires_a_title() -> None:
    with pytest.raises(InvalidInput) as invalid:
        AgendaItemForm.from_data({"title": "  ", "notes": "x" * 5001}).parse()
    assert set(invalid.value.errors) == {"title", "notes"}


def test_a_move_past_either_end_neither_renumbers_nor_makes_a_version(
    session: Session, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    # Positions with gaps, as older data may have them.
    first = AgendaItem(meeting_id=meeting.id or 0, position=2, title="Call to order")
    last = AgendaItem(meeting_id=meeting.id or 0, position=7, title="Adjourn")
    session.add_all([first, last])
    session.flush()
    liaison = as_role("liaison")

    service.move_agenda_item(
        session, meeting.id or 0, first.id or 0, viewer=liaison, direction="up", seen=now(meeting)
    )
    service.move_agenda_item(
        session, meeting.id or 0, last.id or 0, viewer=liaison, direction="down", seen=now(meeting)
    )

    assert agenda(session, meeting) == [(2, "Call to order"), (7, "Adjourn")]
    assert meeting.version == 1
    assert events(session, "move_agenda_item", first.id) == []


# --- optimistic locking: every change checks what its form saw ----------------------------------


def seen_at_load(session: Session, meeting: Meeting, part: service.Part) -> service.Seen:
    """What a form of `part` loaded now would send."""
    return service.Seen(meeting.version, service.fingerprint(session, meeting, part))


@pytest.fixture
def ana(session: Session, world: World) -> int:
    person = create_person(session, name="Ana")
    create_membership(session, committee=world.committee, person=person)
    return person.id or 0


def record(
    session: Session, meeting: Meeting, viewer: Viewer, seen: service.Seen, **statuses: str
) -> None:
    service.record_attendance(
        session,
        meeting.id or 0,
        viewer=viewer,
        statuses={int(k.removeprefix("p")): v for k, v in statuses.items()},
        guest_count=0,
        guest_organisations=None,
        seen=seen,
    )


def test_a_stale_attendance_form_is_refused_and_changes_nothing(
    session: Session, meeting: Meeting, ana: int, as_role: Callable[[str], Viewer]
) -> None:
    mine = seen_at_load(session, meeting, "attendance")
    record(session, meeting, as_role("admin"), now(meeting), **{f"p{ana}": "excused"})

    with pytest.raises(service.StaleMeeting) as stale:
        record(session, meeting, as_role("liaison"), mine, **{f"p{ana}": "absent"})

    assert stale.value.part == "attendance" and stale.value.meeting.version == 2
    [row] = session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    assert row.status == "excused"


def test_a_change_elsewhere_on_the_meeting_is_no_conflict(
    session: Session, meeting: Meeting, ana: int, as_role: Callable[[str], Viewer]
) -> None:
    """A form loaded at an older version still saves when its own part did not change."""
    liaison = as_role("liaison")
    forms = {part: seen_at_load(session, meeting, part) for part in service.PARTS}
    record(session, meeting, as_role("admin"), now(meeting), **{f"p{ana}": "present"})  # v2

    saved, changed = service.update_meeting(
        session,
        meeting.id or 0,
        viewer=liaison,
        details=details("2026-03-18", "19:00", place="Library"),
        seen=forms["details"],
    )
    service.set_status(
        session, meeting.id or 0, viewer=liaison, status="held", seen=forms["status"]
    )
    add(session, meeting, liaison, "Chief's report")  # with the current version
    with pytest.raises(service.StaleMeeting):
        record(session, meeting, liaison, forms["attendance"], **{f"p{ana}": "absent"})

    assert changed and saved.place == "Library" and meeting.status == "held"


def test_details_conflict_when_the_details_changed_even_at_the_same_time_of_day(
    session: Session, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    mine = seen_at_load(session, meeting, "details")
    service.update_meeting(
        session,
        meeting.id or 0,
        viewer=as_role("admin"),
        details=details("2026-03-18", "18:30", "20:00", place="Fire station"),
        seen=now(meeting),
    )
    with pytest.raises(service.StaleMeeting) as stale:
        service.update_meeting(
            session,
            meeting.id or 0,
            viewer=as_role("liaison"),
            details=details("2026-03-18", "18:30", "20:00", place="Library"),
            seen=mine,
        )
    assert stale.value.part == "details"


def test_a_stale_status_change_is_refused(
    session: Session, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    mine = seen_at_load(session, meeting, "status")
    service.set_status(
        session, meeting.id or 0, viewer=as_role("admin"), status="cancelled", seen=now(meeting)
    )
    with pytest.raises(service.StaleMeeting) as stale:
        service.set_status(
            session, meeting.id or 0, viewer=as_role("liaison"), status="held", seen=mine
        )
    assert stale.value.part == "status" and meeting.status == "cancelled"


def test_stale_agenda_changes_are_refused_and_change_nothing(
    session: Session, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    admin, liaison = as_role("admin"), as_role("liaison")
    call, chief = add(session, meeting, admin, "Call to order", "Chief's report")
    mine = seen_at_load(session, meeting, "agenda")
    service.edit_agenda_item(
        session,
        meeting.id or 0,
        chief.id or 0,
        viewer=admin,
        item=service.AgendaItemInput("Chief's report", "Chief Alvarez", "Stop data, Q3"),
        seen=now(meeting),
    )
    version = meeting.version

    attempts: list[Callable[[], object]] = [
        lambda: service.edit_agenda_item(
            session,
            meeting.id or 0,
            chief.id or 0,
            viewer=liaison,
            item=service.AgendaItemInput("Chief's report", None, "My notes"),
            seen=mine,
        ),
        lambda: service.add_agenda_item(
            session,
            meeting.id or 0,
            viewer=liaison,
            item=service.AgendaItemInput("Open forum", None, None),
            seen=mine,
        ),
        lambda: service.move_agenda_item(
            session, meeting.id or 0, chief.id or 0, viewer=liaison, direction="up", seen=mine
        ),
        lambda: service.delete_agenda_item(
            session, meeting.id or 0, chief.id or 0, viewer=liaison, seen=mine
        ),
    ]
    for attempt in attempts:
        with pytest.raises(service.StaleMeeting) as stale:
            attempt()
        assert stale.value.part == "agenda"

    assert agenda(session, meeting) == [(1, "Call to order"), (2, "Chief's report")]
    session.refresh(chief)
    assert chief.notes == "Stop data, Q3" and meeting.version == version


def test_a_form_that_does_not_know_its_part_is_refused_when_the_version_is_old(
    session: Session, meeting: Meeting, as_role: Callable[[str], Viewer]
) -> None:
    service.set_status(
        session, meeting.id or 0, viewer=as_role("admin"), status="held", seen=now(meeting)
    )
    with pytest.raises(service.StaleMeeting):
        service.add_agenda_item(
            session,
            meeting.id or 0,
            viewer=as_role("liaison"),
            item=service.AgendaItemInput("Adjourn", None, None),
            seen=service.Seen(1),
        )


def test_change_forms_need_their_version() -> None:
    for form in (
        AgendaItemForm.from_data({"title": "Adjourn"}),
        AttendanceForm.from_data({"version": "two"}),
        MeetingForm.from_data({"fingerprint": "abc"}),
    ):
        with pytest.raises(InvalidInput) as invalid:
            form.seen()
        assert set(invalid.value.errors) == {"version"}
    assert AgendaItemForm.from_data({"version": " 3 ", "fingerprint": "f00d"}).seen() == (
        service.Seen(3, "f00d")
    )
