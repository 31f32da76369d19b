"""The follow-up lists: scope, filters, overdue, the board's columns and its filter choices."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from jcpp.auth.permissions import load_viewer
from jcpp.boards import service
from jcpp.boards.service import FollowUpFilters
from jcpp.errors import NotFound
from tests.boards.helpers import TODAY, create_follow_up
from tests.factories import create_committee, create_meeting
from tests.meetings.helpers import World

YESTERDAY = TODAY - dt.timedelta(days=1)


def viewer(session: Session, world: World, role: str):  # type: ignore[no-untyped-def]
    return load_viewer(session, world.users[role])


def titles(rows: list[service.FollowUpRow]) -> list[str]:
    return [row.follow_up.title for row in rows]


# --- scope -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_city", "sees_other"),
    [
        ("admin", True, True),
        ("county_staff", True, True),
        ("liaison", True, False),
        ("member", True, False),
        ("liaison_other", False, True),
        ("member_other", False, True),
    ],
)
def test_a_city_is_found_only_by_those_who_see_one_of_its_committees(
    session: Session, world: World, role: str, sees_city: bool, sees_other: bool
) -> None:
    who = viewer(session, world, role)
    for city, sees in ((world.city, sees_city), (world.other_city, sees_other)):
        if sees:
            assert service.get_city(session, city.slug, viewer=who).id == city.id
        else:
            with pytest.raises(NotFound):
                service.get_city(session, city.slug, viewer=who)
    with pytest.raises(NotFound):
        service.get_city(session, "no-such-city", viewer=viewer(session, world, "admin"))


def test_a_member_sees_only_his_committees_follow_ups_of_the_city(
    session: Session, world: World
) -> None:
    second = create_committee(session, city=world.city, name="Richfield Human Rights Commission")
    create_follow_up(session, meeting=create_meeting(session, committee=world.committee), title="A")
    create_follow_up(session, meeting=create_meeting(session, committee=second), title="B")
    create_follow_up(
        session, meeting=create_meeting(session, committee=world.other_committee), title="C"
    )
    for role, expected in (("member", ["A"]), ("liaison", ["A", "B"]), ("admin", ["A", "B"])):
        rows = service.list_follow_ups(
            session, viewer=viewer(session, world, role), today=TODAY, city_id=world.city.id
        )
        assert sorted(titles(rows)) == expected, role
    board = service.board(
        session, viewer=viewer(session, world, "member"), city=world.city, today=TODAY
    )
    assert titles(board.rows) == ["A"]


# --- overdue, order, filters -------------------------------------------------------------------


def test_overdue_is_outstanding_work_due_before_today(session: Session, world: World) -> None:
    meeting = create_meeting(session, committee=world.committee)
    for status in service.BOARD_COLUMNS:
        create_follow_up(session, meeting=meeting, title=f"{status} late", status=status,
                         due_date=YESTERDAY)  # fmt: skip
    create_follow_up(session, meeting=meeting, title="due today", due_date=TODAY)
    create_follow_up(session, meeting=meeting, title="no due date")
    rows = service.list_follow_ups(
        session,
        viewer=viewer(session, world, "admin"),
        today=TODAY,
        committee_id=world.committee.id,
    )
    overdue = sorted(row.follow_up.title for row in rows if row.overdue)
    assert overdue == ["acknowledged late", "in_progress late", "open late"]
    only = service.list_follow_ups(
        session,
        viewer=viewer(session, world, "admin"),
        today=TODAY,
        committee_id=world.committee.id,
        filters=FollowUpFilters(overdue_only=True),
    )
    assert sorted(titles(only)) == overdue


def test_soonest_due_first_and_no_due_date_last(session: Session, world: World) -> None:
    meeting = create_meeting(session, committee=world.committee)
    create_follow_up(session, meeting=meeting, title="none")
    create_follow_up(session, meeting=meeting, title="later", due_date=dt.date(2026, 4, 1))
    create_follow_up(session, meeting=meeting, title="sooner", due_date=dt.date(2026, 3, 1))
    rows = service.list_follow_ups(
        session,
        viewer=viewer(session, world, "member"),
        today=TODAY,
        committee_id=world.committee.id,
    )
    assert titles(rows) == ["sooner", "later", "none"]


def test_filters_by_status_committee_topic_and_owner(session: Session, world: World) -> None:
    second = create_committee(session, city=world.city, name="Richfield Human Rights Commission")
    lia = world.users["liaison"]
    here = create_meeting(session, committee=world.committee)
    there = create_meeting(session, committee=second)
    create_follow_up(session, meeting=here, title="youth, Lia", topics=("youth",), owner_user=lia)
    create_follow_up(session, meeting=here, title="traffic, Sgt", topics=("traffic-safety",),
                     owner_text="Sgt. Moua", status="acknowledged")  # fmt: skip
    create_follow_up(session, meeting=there, title="youth, Sgt", topics=("youth", "training"),
                     owner_text="Sgt. Moua")  # fmt: skip
    who = viewer(session, world, "liaison")
    choices = service.board_choices(session, viewer=who, city=world.city)
    topic_ids = {t.slug: t.id for t in choices.topics}

    def shown(**filters: object) -> list[str]:
        rows = service.list_follow_ups(
            session, viewer=who, today=TODAY, city_id=world.city.id,
            filters=FollowUpFilters(**filters),  # type: ignore[arg-type]
        )  # fmt: skip
        return sorted(titles(rows))

    assert shown(status="acknowledged") == ["traffic, Sgt"]
    assert shown(committee_id=second.id) == ["youth, Sgt"]
    assert shown(topic_id=topic_ids["youth"]) == ["youth, Lia", "youth, Sgt"]
    assert shown(owner_user_id=lia.id) == ["youth, Lia"]
    assert shown(owner_text="Sgt. Moua") == ["traffic, Sgt", "youth, Sgt"]
    assert shown(owner_text="Sgt. Moua", topic_id=topic_ids["youth"]) == ["youth, Sgt"]
    assert [c.id for c in choices.committees] == [second.id, world.committee.id]  # by name
    assert sorted(topic_ids) == ["traffic-safety", "training", "youth"]
    assert [o.value for o in choices.owner_users] == [f"user:{lia.id}"]
    assert [o.value for o in choices.owner_texts] == ["text:Sgt. Moua"]


def test_filter_choices_come_only_from_follow_ups_the_viewer_sees(
    session: Session, world: World
) -> None:
    second = create_committee(session, city=world.city, name="Richfield Human Rights Commission")
    create_follow_up(session, meeting=create_meeting(session, committee=second),
                     topics=("immigration",), owner_text="Chief Alvarez")  # fmt: skip
    choices = service.board_choices(
        session, viewer=viewer(session, world, "member"), city=world.city
    )
    assert [c.id for c in choices.committees] == [world.committee.id]
    assert choices.topics == [] and choices.owner_texts == [] and choices.owner_users == []


def test_board_has_every_status_column_in_order_even_when_filtered(
    session: Session, world: World
) -> None:
    meeting = create_meeting(session, committee=world.committee)
    create_follow_up(session, meeting=meeting, title="done", status="reported_done")
    create_follow_up(session, meeting=meeting, title="new")
    board = service.board(
        session, viewer=viewer(session, world, "liaison"), city=world.city, today=TODAY,
        filters=FollowUpFilters(status="reported_done"),
    )  # fmt: skip
    assert [c.status for c in board.columns] == [
        "open", "acknowledged", "in_progress", "reported_done", "verified_done", "declined",
    ]  # fmt: skip
    assert {c.status: titles(c.rows) for c in board.columns if c.rows} == {
        "reported_done": ["done"]
    }


def test_owner_shows_the_account_when_it_is_another_name(session: Session, world: World) -> None:
    meeting = create_meeting(session, committee=world.committee)
    lia = world.users["liaison"]
    create_follow_up(session, meeting=meeting, title="1", owner_text="Liaison", owner_user=lia)
    create_follow_up(session, meeting=meeting, title="2", owner_text=lia.name, owner_user=lia)
    create_follow_up(session, meeting=meeting, title="3", owner_user=lia)
    create_follow_up(session, meeting=meeting, title="4", owner_text="Public Works")
    create_follow_up(session, meeting=meeting, title="5")
    rows = service.list_follow_ups(
        session,
        viewer=viewer(session, world, "admin"),
        today=TODAY,
        committee_id=world.committee.id,
    )
    assert {row.follow_up.title: row.owner for row in rows} == {
        "1": f"Liaison ({lia.name})",
        "2": lia.name,
        "3": lia.name,
        "4": "Public Works",
        "5": "",
    }
