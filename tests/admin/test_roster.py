"""Rosters: adding people, ending and correcting terms, with every change audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from jcpp.admin import roster
from jcpp.admin.roster import PersonInput
from jcpp.errors import InvalidInput, NotPermitted
from jcpp.models import Person
from tests.admin.helpers import actions_by, admin_viewer, last_event, viewer_of
from tests.factories import create_committee, create_membership, create_person, create_user

D = dt.date


def test_add_a_new_person_to_the_roster(session: Session) -> None:
    admin = admin_viewer(session)
    committee = create_committee(session)
    membership = roster.add_member(
        session,
        committee.id or 0,
        person_id=None,
        new_person=PersonInput(
            name=" Maria  Okafor ",
            title="Lt.",
            email="M.Okafor@Example.org",
            phone="952-555-0100",
            organisation="Police Department",
        ),
        role="police",
        start_date=D(2025, 1, 1),
        by=admin,
    )
    person = session.get(Person, membership.person_id)
    assert person is not None
    assert (person.name, person.title, person.email) == (
        "Maria Okafor",
        "Lt.",
        "m.okafor@example.org",
    )
    assert (membership.role, membership.start_date, membership.end_date) == (
        "police",
        D(2025, 1, 1),
        None,
    )
    created = last_event(session, "create_person")
    added = last_event(session, "add_membership")
    assert created.city_id == added.city_id == committee.city_id
    # County staff read the audit log: contact details stay on the admin pages.
    assert created.after == {
        "name": "Maria Okafor",
        "title": "Lt.",
        "organisation": "Police Department",
    }
    assert added.after == {
        "person": "Maria Okafor",
        "role": "police",
        "start_date": "2025-01-01",
        "end_date": None,
    }


def test_add_an_existing_person(session: Session) -> None:
    admin = admin_viewer(session)
    committee = create_committee(session)
    person = create_person(session, name="Ahmed Hassan")
    membership = roster.add_member(
        session,
        committee.id or 0,
        person_id=person.id,
        new_person=PersonInput(),
        role="chair",
        start_date=D(2024, 6, 1),
        by=admin,
    )
    assert membership.person_id == person.id
    assert actions_by(session, "create_person", admin.id) == []


@pytest.mark.parametrize(
    ("person_id", "new_person", "role", "start", "fields"),
    [
        (None, PersonInput(), "member", D(2025, 1, 1), {"name"}),
        ("existing", PersonInput(name="Also New"), "member", D(2025, 1, 1), {"person_id"}),
        (None, PersonInput(name="X", email="not-an-email"), "member", D(2025, 1, 1), {"email"}),
        (None, PersonInput(name="X"), "boss", None, {"role", "start_date"}),
        (999_999, PersonInput(), "member", D(2025, 1, 1), {"person_id"}),
    ],
)
def test_add_member_refuses_bad_input(
    session: Session,
    person_id: object,
    new_person: PersonInput,
    role: str,
    start: dt.date | None,
    fields: set[str],
) -> None:
    admin = admin_viewer(session)
    committee = create_committee(session)
    if person_id == "existing":
        person_id = create_person(session).id
    with pytest.raises(InvalidInput) as invalid:
        roster.add_member(
            session,
            committee.id or 0,
            person_id=person_id,  # type: ignore[arg-type]
            new_person=new_person,
            role=role,
            start_date=start,
            by=admin,
        )
    assert set(invalid.value.errors) == fields
    assert actions_by(session, "add_membership", admin.id) == []


def test_one_person_cannot_hold_overlapping_terms(session: Session) -> None:
    committee = create_committee(session)
    person = create_person(session, name="Lin Xiong")
    create_membership(
        session,
        committee=committee,
        person=person,
        start_date=D(2020, 1, 1),
        end_date=D(2022, 12, 31),
    )
    admin = admin_viewer(session)
    with pytest.raises(InvalidInput) as invalid:
        roster.add_member(
            session,
            committee.id or 0,
            person_id=person.id,
            new_person=PersonInput(),
            role="member",
            start_date=D(2022, 6, 1),
            by=admin,
        )
    assert "Lin Xiong already has a term" in invalid.value.errors["person_id"]
    # A new term after the old one ended is fine.
    roster.add_member(
        session,
        committee.id or 0,
        person_id=person.id,
        new_person=PersonInput(),
        role="chair",
        start_date=D(2023, 1, 1),
        by=admin,
    )


def test_end_a_term_and_it_moves_to_past_members(session: Session) -> None:
    committee = create_committee(session)
    membership = create_membership(session, committee=committee, start_date=D(2020, 1, 1))
    roster.end_membership(
        session, membership.id or 0, end_date=D(2024, 12, 31), by=admin_viewer(session)
    )
    assert membership.end_date == D(2024, 12, 31)
    listing = roster.roster(session, committee.id or 0, today=D(2025, 3, 1))
    assert [row.membership.id for row in listing.past] == [membership.id]
    assert listing.current == []
    event = last_event(session, "end_membership")
    assert event.city_id == committee.city_id
    assert event.before is not None and event.before["end_date"] is None
    assert event.after is not None and event.after["end_date"] == "2024-12-31"


def test_term_ending_later_is_still_current(session: Session) -> None:
    committee = create_committee(session)
    membership = create_membership(session, committee=committee, end_date=D(2025, 6, 30))
    listing = roster.roster(session, committee.id or 0, today=D(2025, 6, 30))
    assert [row.membership.id for row in listing.current] == [membership.id]


def test_term_cannot_end_before_it_starts(session: Session) -> None:
    membership = create_membership(
        session, committee=create_committee(session), start_date=D(2024, 5, 1)
    )
    with pytest.raises(InvalidInput) as invalid:
        roster.end_membership(
            session, membership.id or 0, end_date=D(2024, 4, 30), by=admin_viewer(session)
        )
    assert "cannot end before it started" in invalid.value.errors["end_date"]
    assert membership.end_date is None


def test_ending_on_the_start_day_is_allowed(session: Session) -> None:
    membership = create_membership(
        session, committee=create_committee(session), start_date=D(2024, 5, 1)
    )
    roster.end_membership(
        session, membership.id or 0, end_date=D(2024, 5, 1), by=admin_viewer(session)
    )
    assert membership.end_date == D(2024, 5, 1)


def test_an_ended_term_cannot_be_ended_again(session: Session) -> None:
    membership = create_membership(
        session,
        committee=create_committee(session),
        start_date=D(2020, 1, 1),
        end_date=D(2021, 1, 1),
    )
    with pytest.raises(InvalidInput) as invalid:
        roster.end_membership(
            session, membership.id or 0, end_date=D(2022, 1, 1), by=admin_viewer(session)
        )
    assert "already ended" in invalid.value.errors["end_date"]


def test_update_term_role_and_dates_with_audit(session: Session) -> None:
    committee = create_committee(session)
    membership = create_membership(
        session, committee=committee, role="member", start_date=D(2021, 1, 1)
    )
    roster.update_membership(
        session,
        membership.id or 0,
        role="chair",
        start_date=D(2021, 2, 1),
        end_date=None,
        by=admin_viewer(session),
    )
    assert (membership.role, membership.start_date) == ("chair", D(2021, 2, 1))
    event = last_event(session, "update_membership")
    assert event.city_id == committee.city_id
    assert event.before == {
        "person": event.before["person"],
        "role": "member",
        "start_date": "2021-01-01",
    }  # type: ignore[index]
    assert event.after == {
        "person": event.after["person"],
        "role": "chair",
        "start_date": "2021-02-01",
    }  # type: ignore[index]


def test_update_term_checks_dates_and_overlaps(session: Session) -> None:
    committee = create_committee(session)
    person = create_person(session)
    create_membership(
        session,
        committee=committee,
        person=person,
        start_date=D(2018, 1, 1),
        end_date=D(2019, 12, 31),
    )
    later = create_membership(session, committee=committee, person=person, start_date=D(2021, 1, 1))
    admin = admin_viewer(session)
    with pytest.raises(InvalidInput) as backwards:
        roster.update_membership(
            session,
            later.id or 0,
            role="member",
            start_date=D(2021, 1, 1),
            end_date=D(2020, 1, 1),
            by=admin,
        )
    assert "cannot end before it starts" in backwards.value.errors["end_date"]
    with pytest.raises(InvalidInput) as overlap:
        roster.update_membership(
            session, later.id or 0, role="member", start_date=D(2019, 6, 1), end_date=None, by=admin
        )
    assert "cannot overlap" in overlap.value.errors["start_date"]
    assert later.start_date == D(2021, 1, 1)


def test_roster_changes_are_for_admins_only(session: Session) -> None:
    committee = create_committee(session)
    membership = create_membership(session, committee=committee)
    liaison = viewer_of(session, create_user(session, role="liaison"))
    with pytest.raises(NotPermitted):
        roster.end_membership(session, membership.id or 0, end_date=D(2025, 1, 1), by=liaison)
    with pytest.raises(NotPermitted):
        roster.add_member(
            session,
            committee.id or 0,
            person_id=None,
            new_person=PersonInput(name="X"),
            role="member",
            start_date=D(2025, 1, 1),
            by=liaison,
        )
