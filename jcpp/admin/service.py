"""Administration: users with roles and scopes, cities, committees and rosters."""

from __future__ import annotations

import re

from sqlmodel import Session, col, delete, select

from jcpp.audit import service as audit
from jcpp.auth.passwords import hash_password, password_problem
from jcpp.auth.service import find_user_by_email
from jcpp.errors import InvalidInput, NotFound
from jcpp.models import USER_ROLES, City, Committee, User, UserCity, UserCommittee

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    city_ids: list[int],
    committee_ids: list[int],
    by_user_id: int | None,
) -> User:
    """Create a user with a role and the scope that role needs (cities or committees)."""
    email = email.strip().lower()
    errors = _user_errors(session, email=email, name=name, role=role)
    problem = password_problem(password)
    if problem:
        errors["password"] = problem
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, name=name.strip(), role=role, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    _set_scopes(session, user=user, city_ids=city_ids, committee_ids=committee_ids)
    audit.record(
        session,
        user_id=by_user_id,
        action="create_user",
        entity_type="user",
        entity_id=user.id,
        summary=f"Created {email} as {USER_ROLES[role]}",
        after={
            "email": email,
            "name": user.name,
            "role": role,
            "cities": sorted(city_ids),
            "committees": sorted(committee_ids),
        },
    )
    session.flush()
    return user


def create_user_by_slugs(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    city_slugs: list[str],
    committee_slugs: list[str],
    by_user_id: int | None,
) -> User:
    city_ids = [_city_by_slug(session, slug).id or 0 for slug in city_slugs]
    committee_ids = [_committee_by_slug(session, slug).id or 0 for slug in committee_slugs]
    return create_user(
        session,
        email=email,
        name=name,
        role=role,
        password=password,
        city_ids=city_ids,
        committee_ids=committee_ids,
        by_user_id=by_user_id,
    )


def _user_errors(session: Session, *, email: str, name: str, role: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not EMAIL_RE.match(email):
        errors["email"] = "Enter an e-mail address like name@example.org."
    elif find_user_by_email(session, email) is not None:
        errors["email"] = "A user with this e-mail already exists."
    if not name.strip():
        errors["name"] = "Enter the person's name."
    if role not in USER_ROLES:
        errors["role"] = "Choose one of: " + ", ".join(USER_ROLES) + "."
    return errors


def _set_scopes(
    session: Session, *, user: User, city_ids: list[int], committee_ids: list[int]
) -> None:
    """Liaisons are scoped to cities, members to committees; other roles see everything."""
    session.exec(delete(UserCity).where(col(UserCity.user_id) == user.id))
    session.exec(delete(UserCommittee).where(col(UserCommittee.user_id) == user.id))
    assert user.id is not None
    if user.role == "liaison":
        for city_id in sorted(set(city_ids)):
            session.add(UserCity(user_id=user.id, city_id=city_id))
    if user.role == "member":
        for committee_id in sorted(set(committee_ids)):
            session.add(UserCommittee(user_id=user.id, committee_id=committee_id))
    session.flush()


def _city_by_slug(session: Session, slug: str) -> City:
    city = session.exec(select(City).where(City.slug == slug)).first()
    if city is None:
        raise InvalidInput({"city": f"No city with slug {slug!r}."})
    return city


def _committee_by_slug(session: Session, slug: str) -> Committee:
    committee = session.exec(select(Committee).where(Committee.slug == slug)).first()
    if committee is None:
        raise InvalidInput({"committee": f"No committee with slug {slug!r}."})
    return committee


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such user.")
    return user
