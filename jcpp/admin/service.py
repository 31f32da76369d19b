"""Administration: the overview, cities, and users with roles and scopes.

Committees live in `jcpp.admin.committees`, rosters (people and their terms) in
`jcpp.admin.roster`, meeting rules in `jcpp.admin.rules` (`describe_rule` is re-exported here).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, delete, func, select

from jcpp.admin.rules import describe_rule
from jcpp.audit import service as audit
from jcpp.auth import service as auth
from jcpp.auth.passwords import hash_password, password_problem
from jcpp.auth.permissions import Viewer, require_admin
from jcpp.auth.service import find_user_by_email
from jcpp.errors import InvalidInput, NotFound
from jcpp.models import (
    USER_ROLES,
    City,
    Committee,
    Person,
    User,
    UserCity,
    UserCommittee,
)

__all__ = ["describe_rule"]

# The one e-mail check of the admin pages (user accounts and people on rosters).
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(text: str) -> str:
    """ "St. Louis Park" -> "st-louis-park"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


# ---------------------------------------------------------------- overview


@dataclass(frozen=True)
class Overview:
    cities: int
    committees: int
    active_committees: int
    users: int
    active_users: int
    people: int


def overview(session: Session, *, by: Viewer) -> Overview:
    """Counts for the admin start page."""
    require_admin(by)

    def count(model: Any, *where: Any) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    return Overview(
        cities=count(City),
        committees=count(Committee),
        active_committees=count(Committee, col(Committee.active).is_(True)),
        users=count(User),
        active_users=count(User, col(User.active).is_(True)),
        people=count(Person),
    )


# ---------------------------------------------------------------- cities


@dataclass(frozen=True)
class CityRow:
    city: City
    committees: int


def list_cities(session: Session) -> list[City]:
    return list(session.exec(select(City).order_by(City.name)).all())


def cities_with_counts(session: Session, *, by: Viewer) -> list[CityRow]:
    require_admin(by)
    query = (
        select(City, func.count(col(Committee.id)))
        .join(Committee, col(Committee.city_id) == City.id, isouter=True)
        .group_by(col(City.id))
        .order_by(City.name)
    )
    return [CityRow(city, count) for city, count in session.exec(query).all()]


def get_city(session: Session, city_id: int) -> City:
    city = session.get(City, city_id)
    if city is None:
        raise NotFound("There is no such city.")
    return city


def create_city(session: Session, *, name: str, slug: str, by: Viewer) -> City:
    """A new member city; the slug is made from the name when left blank."""
    require_admin(by)
    name = " ".join(name.split())
    slug = slug.strip().lower() or slugify(name)
    errors = _city_name_errors(session, name=name, city_id=None)
    slug_problem = slug_error(slug, max_length=120)
    if slug_problem is None and _city_slug_taken(session, slug):
        slug_problem = f"The slug {slug!r} is already used by another city."
    if slug_problem:
        errors["slug"] = slug_problem
    if errors:
        raise InvalidInput(errors)
    city = City(name=name, slug=slug)
    session.add(city)
    session.flush()
    audit.record(
        session,
        user_id=by.id,
        action="create_city",
        entity_type="city",
        entity_id=city.id,
        city_id=city.id,
        summary=f"Added the city {name}",
        after={"name": name, "slug": slug},
    )
    session.flush()
    return city


def rename_city(session: Session, city_id: int, *, name: str, by: Viewer) -> City:
    """Change a city's name (its slug, used in links, stays)."""
    require_admin(by)
    city = get_city(session, city_id)
    name = " ".join(name.split())
    errors = _city_name_errors(session, name=name, city_id=city.id)
    if errors:
        raise InvalidInput(errors)
    if name == city.name:
        return city
    before = {"name": city.name}
    city.name = name
    session.add(city)
    audit.record(
        session,
        user_id=by.id,
        action="rename_city",
        entity_type="city",
        entity_id=city.id,
        city_id=city.id,
        summary=f"Renamed the city {before['name']} to {name}",
        before=before,
        after={"name": name},
    )
    session.flush()
    return city


def _city_name_errors(session: Session, *, name: str, city_id: int | None) -> dict[str, str]:
    if not name:
        return {"name": "Enter the city's name."}
    if len(name) > 120:
        return {"name": "Use at most 120 characters."}
    same = session.exec(
        select(City).where(func.lower(City.name) == name.lower(), col(City.id) != (city_id or 0))
    ).first()
    if same is not None:
        return {"name": f"There is already a city called {same.name}."}
    return {}


def _city_slug_taken(session: Session, slug: str) -> bool:
    return session.exec(select(City.id).where(City.slug == slug)).first() is not None


def slug_error(slug: str, *, max_length: int) -> str | None:
    if not slug:
        return "Enter a slug, or a name that has letters or digits."
    if len(slug) > max_length:
        return f"Use at most {max_length} characters."
    if not SLUG_RE.match(slug):
        return "Use lower-case letters, digits and single hyphens, e.g. st-louis-park."
    return None


# ---------------------------------------------------------------- users


@dataclass(frozen=True)
class UserRow:
    user: User
    cities: list[City]
    committees: list[Committee]


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
    errors |= _scope_errors(session, role=role, city_ids=city_ids, committee_ids=committee_ids)
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
        after=user_snapshot(session, user),
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


def add_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    city_ids: list[int],
    committee_ids: list[int],
    by: Viewer,
) -> User:
    """`create_user` for an administrator signed in to the web pages."""
    require_admin(by)
    return create_user(
        session,
        email=email,
        name=name,
        role=role,
        password=password,
        city_ids=city_ids,
        committee_ids=committee_ids,
        by_user_id=by.id,
    )


def update_user(
    session: Session,
    user_id: int,
    *,
    email: str,
    name: str,
    role: str,
    city_ids: list[int],
    committee_ids: list[int],
    by: Viewer,
) -> User:
    """Change a user's name, e-mail, role and scope. The scope is replaced, not added to."""
    require_admin(by)
    user = get_user(session, user_id)
    email = email.strip().lower()
    errors = _user_errors(session, email=email, name=name, role=role, user_id=user.id)
    errors |= _scope_errors(session, role=role, city_ids=city_ids, committee_ids=committee_ids)
    if user.id == by.id and role != "admin" and "role" not in errors:
        errors["role"] = "You cannot take away your own administrator role: ask another admin."
    if errors:
        raise InvalidInput(errors)
    before = user_snapshot(session, user)
    user.email, user.name, user.role = email, name.strip(), role
    session.add(user)
    session.flush()
    _set_scopes(session, user=user, city_ids=city_ids, committee_ids=committee_ids)
    after = user_snapshot(session, user)
    if after != before:
        audit.record(
            session,
            user_id=by.id,
            action="update_user",
            entity_type="user",
            entity_id=user.id,
            summary=f"Changed {email}",
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    session.flush()
    return user


def set_user_active(session: Session, user_id: int, *, active: bool, by: Viewer) -> User:
    """Deactivate (the user can no longer sign in and their sessions end) or reactivate."""
    require_admin(by)
    user = get_user(session, user_id)
    if not active and user.id == by.id:
        raise InvalidInput(
            {"active": "You cannot deactivate your own account: ask another administrator."}
        )
    if user.active == active:
        return user
    user.active = active
    if not active:
        user.session_version += 1  # so that reactivating does not revive old sessions
    session.add(user)
    audit.record(
        session,
        user_id=by.id,
        action="activate_user" if active else "deactivate_user",
        entity_type="user",
        entity_id=user.id,
        summary=f"{'Reactivated' if active else 'Deactivated'} {user.email}",
        before={"active": not active},
        after={"active": active},
    )
    session.flush()
    return user


def set_user_password(session: Session, user_id: int, *, password: str, by: Viewer) -> User:
    """An administrator sets a new password; this also unlocks the account."""
    require_admin(by)
    user = get_user(session, user_id)
    auth.set_password(session, user=user, password=password, by_user_id=by.id)
    return user


def list_users(
    session: Session, *, role: str | None, active: bool | None, by: Viewer
) -> list[UserRow]:
    """Users by name, with their scopes; optionally only one role, or only (in)active ones."""
    require_admin(by)
    query = select(User).order_by(func.lower(User.name), col(User.id))
    if role:
        query = query.where(User.role == role)
    if active is not None:
        query = query.where(col(User.active).is_(active))
    users = list(session.exec(query).all())
    ids = [u.id for u in users]
    cities: dict[int, list[City]] = {}
    for user_id, city in session.exec(
        select(UserCity.user_id, City)
        .join(City, col(City.id) == UserCity.city_id)
        .where(col(UserCity.user_id).in_(ids))
        .order_by(City.name)
    ).all():
        cities.setdefault(user_id, []).append(city)
    committees: dict[int, list[Committee]] = {}
    for user_id, committee in session.exec(
        select(UserCommittee.user_id, Committee)
        .join(Committee, col(Committee.id) == UserCommittee.committee_id)
        .where(col(UserCommittee.user_id).in_(ids))
        .order_by(Committee.name)
    ).all():
        committees.setdefault(user_id, []).append(committee)
    return [UserRow(u, cities.get(u.id or 0, []), committees.get(u.id or 0, [])) for u in users]


def user_scope(session: Session, user: User) -> tuple[list[int], list[int]]:
    """The ids of the user's cities and committees."""
    city_ids = session.exec(select(UserCity.city_id).where(UserCity.user_id == user.id)).all()
    committee_ids = session.exec(
        select(UserCommittee.committee_id).where(UserCommittee.user_id == user.id)
    ).all()
    return sorted(city_ids), sorted(committee_ids)


def user_snapshot(session: Session, user: User) -> dict[str, Any]:
    """A user's details for the audit log, with scopes by name."""
    city_ids, committee_ids = user_scope(session, user)
    cities = session.exec(select(City.name).where(col(City.id).in_(city_ids))).all()
    committees = session.exec(
        select(Committee.name).where(col(Committee.id).in_(committee_ids))
    ).all()
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "cities": sorted(cities),
        "committees": sorted(committees),
    }


def _user_errors(
    session: Session, *, email: str, name: str, role: str, user_id: int | None = None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not EMAIL_RE.match(email) or len(email) > 254:
        errors["email"] = "Enter an e-mail address like name@example.org."
    else:
        other = find_user_by_email(session, email)
        if other is not None and other.id != user_id:
            errors["email"] = "A user with this e-mail already exists."
    if not name.strip():
        errors["name"] = "Enter the person's name."
    elif len(name.strip()) > 200:
        errors["name"] = "Use at most 200 characters."
    if role not in USER_ROLES:
        errors["role"] = "Choose one of: " + ", ".join(USER_ROLES.values()) + "."
    return errors


def _scope_errors(
    session: Session, *, role: str, city_ids: list[int], committee_ids: list[int]
) -> dict[str, str]:
    """A liaison needs at least one city and a member at least one committee, all existing."""
    if role == "liaison":
        found = session.exec(select(City.id).where(col(City.id).in_(city_ids))).all()
        if not city_ids:
            return {"cities": "Choose at least one city for a community liaison."}
        if len(set(found)) != len(set(city_ids)):
            return {"cities": "One of the chosen cities no longer exists."}
    if role == "member":
        found = session.exec(select(Committee.id).where(col(Committee.id).in_(committee_ids))).all()
        if not committee_ids:
            return {"committees": "Choose at least one committee for a committee member."}
        if len(set(found)) != len(set(committee_ids)):
            return {"committees": "One of the chosen committees no longer exists."}
    return {}


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
