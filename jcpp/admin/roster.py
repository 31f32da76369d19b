"""Committee rosters: people and their terms (memberships) in a role, with start and end dates.

A term is current until its end date has passed; a person has at most one term on a committee
at any one time (terms of the same person on the same committee never overlap).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from jcpp import clock
from jcpp.admin.committees import get_committee
from jcpp.admin.service import EMAIL_RE
from jcpp.audit import service as audit
from jcpp.auth.permissions import Viewer, require_admin
from jcpp.committees.service import ROLE_ORDER
from jcpp.errors import InvalidInput, NotFound
from jcpp.models import MEMBERSHIP_ROLES, Committee, Membership, Person

ROLE_NAMES = {"chair": "Chair", "member": "Member", "police": "Police", "liaison": "Liaison"}
# Suggestions for the title field; any title may be typed.
PERSON_TITLES = (
    "Chief",
    "Deputy Chief",
    "Capt.",
    "Lt.",
    "Sgt.",
    "Det.",
    "Officer",
    "CSO",
    "Commissioner",
    "Council Member",
    "Mayor",
    "Dr.",
)


@dataclass(frozen=True)
class PersonInput:
    """A new person for the roster."""

    name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    organisation: str = ""

    @property
    def given(self) -> bool:
        return any(
            v.strip() for v in (self.name, self.title, self.email, self.phone, self.organisation)
        )


@dataclass(frozen=True)
class RosterRow:
    membership: Membership
    person: Person

    @property
    def display_name(self) -> str:
        title = self.person.title
        return f"{title} {self.person.name}" if title else self.person.name


@dataclass(frozen=True)
class Roster:
    committee: Committee
    current: list[RosterRow]
    past: list[RosterRow]


def roster(session: Session, committee_id: int, *, today: dt.date | None = None) -> Roster:
    """The committee's current terms (including ones that start later) and past terms."""
    committee = get_committee(session, committee_id)
    today = today or clock.today()
    rows = session.exec(
        select(Membership, Person)
        .join(Person, col(Person.id) == Membership.person_id)
        .where(Membership.committee_id == committee.id)
        .order_by(col(Membership.start_date), func.lower(Person.name), col(Membership.id))
    ).all()
    current = [RosterRow(m, p) for m, p in rows if m.end_date is None or m.end_date >= today]
    past = [RosterRow(m, p) for m, p in rows if m.end_date is not None and m.end_date < today]
    current.sort(key=lambda r: (ROLE_ORDER.get(r.membership.role, 9), r.person.name.lower()))
    past.sort(key=lambda r: r.membership.end_date or today, reverse=True)
    return Roster(committee=committee, current=current, past=past)


def people(session: Session) -> list[Person]:
    """Everyone who is or was on a roster, by name (for choosing an existing person)."""
    return list(
        session.exec(select(Person).order_by(func.lower(Person.name), col(Person.id))).all()
    )


def get_membership(session: Session, membership_id: int) -> Membership:
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFound("There is no such term on a roster.")
    return membership


def add_member(
    session: Session,
    committee_id: int,
    *,
    person_id: int | None,
    new_person: PersonInput,
    role: str,
    start_date: dt.date | None,
    by: Viewer,
) -> Membership:
    """Put an existing person, or a new one, on the committee's roster from `start_date`."""
    require_admin(by)
    committee = get_committee(session, committee_id)
    errors: dict[str, str] = {}
    person = _chosen_person(session, person_id=person_id, new_person=new_person, errors=errors)
    _term_errors(role=role, start_date=start_date, end_date=None, errors=errors)
    if person is not None and person.id is not None and start_date is not None and not errors:
        _overlap_error(session, committee, person, start_date, None, None, errors)
    if errors or start_date is None:
        raise InvalidInput(errors)
    if person is None:
        person = _create_person(session, new_person, committee=committee, by=by)
    membership = Membership(
        committee_id=committee.id or 0, person_id=person.id or 0, role=role, start_date=start_date
    )
    session.add(membership)
    session.flush()
    audit.record(
        session,
        user_id=by.id,
        action="add_membership",
        entity_type="membership",
        entity_id=membership.id,
        city_id=committee.city_id,
        summary=f"Added {person.name} to {committee.name} as {ROLE_NAMES.get(role, role)}",
        after={"person": person.name, **_term_snapshot(membership)},
    )
    session.flush()
    return membership


def end_membership(
    session: Session, membership_id: int, *, end_date: dt.date | None, by: Viewer
) -> Membership:
    """End a current term on `end_date` (on or after its start)."""
    require_admin(by)
    membership = get_membership(session, membership_id)
    errors: dict[str, str] = {}
    if end_date is None:
        errors["end_date"] = "Enter the date the term ends."
    elif end_date < membership.start_date:
        errors["end_date"] = (
            f"The term cannot end before it started ({_day(membership.start_date)})."
        )
    if membership.end_date is not None and membership.end_date < clock.today():
        errors["end_date"] = (
            f"This term already ended on {_day(membership.end_date)}; edit it to change the date."
        )
    if errors or end_date is None:
        raise InvalidInput(errors)
    return _change_term(
        session,
        membership,
        role=membership.role,
        start_date=membership.start_date,
        end_date=end_date,
        action="end_membership",
        by=by,
    )


def update_membership(
    session: Session,
    membership_id: int,
    *,
    role: str,
    start_date: dt.date | None,
    end_date: dt.date | None,
    by: Viewer,
) -> Membership:
    """Correct a term's role and dates (an empty end date makes the term current again)."""
    require_admin(by)
    membership = get_membership(session, membership_id)
    errors: dict[str, str] = {}
    _term_errors(role=role, start_date=start_date, end_date=end_date, errors=errors)
    if not errors and start_date is not None:
        committee = get_committee(session, membership.committee_id)
        person = session.get(Person, membership.person_id)
        assert person is not None
        _overlap_error(session, committee, person, start_date, end_date, membership.id, errors)
    if errors or start_date is None:
        raise InvalidInput(errors)
    return _change_term(
        session,
        membership,
        role=role,
        start_date=start_date,
        end_date=end_date,
        action="update_membership",
        by=by,
    )


def _change_term(
    session: Session,
    membership: Membership,
    *,
    role: str,
    start_date: dt.date,
    end_date: dt.date | None,
    action: str,
    by: Viewer,
) -> Membership:
    before = _term_snapshot(membership)
    membership.role, membership.start_date, membership.end_date = role, start_date, end_date
    after = _term_snapshot(membership)
    if after == before:
        return membership
    session.add(membership)
    committee = get_committee(session, membership.committee_id)
    person = session.get(Person, membership.person_id)
    name = person.name if person else "someone"
    summary = (
        f"Ended {name}'s term on {committee.name} on {_day(end_date)}"
        if action == "end_membership" and end_date is not None
        else f"Changed {name}'s term on {committee.name}"
    )
    audit.record(
        session,
        user_id=by.id,
        action=action,
        entity_type="membership",
        entity_id=membership.id,
        city_id=committee.city_id,
        summary=summary,
        before={"person": name, **{k: v for k, v in before.items() if after[k] != v}},
        after={"person": name, **{k: v for k, v in after.items() if before[k] != v}},
    )
    session.flush()
    return membership


def _chosen_person(
    session: Session, *, person_id: int | None, new_person: PersonInput, errors: dict[str, str]
) -> Person | None:
    """The existing person chosen, or None when a new one is to be made (errors filled in)."""
    if person_id is not None and new_person.given:
        errors["person_id"] = "Choose an existing person or enter a new one, not both."
        return None
    if person_id is not None:
        person = session.get(Person, person_id)
        if person is None:
            errors["person_id"] = "That person is no longer on file: choose again."
        return person
    errors |= _person_errors(new_person)
    return None


def _person_errors(data: PersonInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = "Choose an existing person or enter the new person's name."
    limits = {"name": 200, "title": 60, "email": 254, "phone": 40, "organisation": 200}
    for field, limit in limits.items():
        if len(getattr(data, field).strip()) > limit and field not in errors:
            errors[field] = f"Use at most {limit} characters."
    email = data.email.strip()
    if email and "email" not in errors and not EMAIL_RE.match(email):
        errors["email"] = "Enter an e-mail address like name@example.org, or leave it empty."
    return errors


def _create_person(
    session: Session, data: PersonInput, *, committee: Committee, by: Viewer
) -> Person:
    person = Person(
        name=" ".join(data.name.split()),
        title=data.title.strip() or None,
        email=data.email.strip().lower() or None,
        phone=data.phone.strip() or None,
        organisation=data.organisation.strip() or None,
    )
    session.add(person)
    session.flush()
    audit.record(
        session,
        user_id=by.id,
        action="create_person",
        entity_type="person",
        entity_id=person.id,
        city_id=committee.city_id,
        summary=f"Added {person.name} to the people on file",
        # Contact details stay on the admin pages: the audit log is read by county staff too.
        after={
            "name": person.name,
            "title": person.title,
            "organisation": person.organisation,
        },
    )
    return person


def _term_errors(
    *, role: str, start_date: dt.date | None, end_date: dt.date | None, errors: dict[str, str]
) -> None:
    if role not in MEMBERSHIP_ROLES:
        errors["role"] = "Choose the role: chair, member, police or liaison."
    if start_date is None:
        errors["start_date"] = "Enter the date the term starts."
    elif end_date is not None and end_date < start_date:
        errors["end_date"] = "The term cannot end before it starts."


def _overlap_error(
    session: Session,
    committee: Committee,
    person: Person,
    start: dt.date,
    end: dt.date | None,
    exclude_id: int | None,
    errors: dict[str, str],
) -> None:
    """A person holds one term at a time on a committee."""
    query = select(Membership).where(
        Membership.committee_id == committee.id,
        Membership.person_id == person.id,
        col(Membership.id) != (exclude_id or 0),
        (col(Membership.end_date).is_(None)) | (col(Membership.end_date) >= start),
    )
    if end is not None:
        query = query.where(col(Membership.start_date) <= end)
    other = session.exec(query).first()
    if other is None:
        return
    until = f" until {_day(other.end_date)}" if other.end_date else ""
    errors["person_id" if exclude_id is None else "start_date"] = (
        f"{person.name} already has a term on this committee from {_day(other.start_date)}"
        f"{until}; terms of one person cannot overlap."
    )


def _term_snapshot(membership: Membership) -> dict[str, Any]:
    return {
        "role": membership.role,
        "start_date": membership.start_date,
        "end_date": membership.end_date,
    }


def _day(value: dt.date) -> str:
    return f"{value:%b} {value.day}, {value:%Y}"
