"""Administration: cities, committees, and users with roles and scopes.

Rosters (people and their terms) live in `jcpp.admin.roster`; meeting rules in
`jcpp.admin.rules` (`describe_rule` is re-exported here).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, delete, func, select

from jcpp.admin.rules import RuleChoice, describe_rule, resolve_rule
from jcpp.audit import service as audit
from jcpp.auth import service as auth
from jcpp.auth.passwords import hash_password, password_problem
from jcpp.auth.permissions import Viewer, require_admin
from jcpp.auth.service import find_user_by_email
from jcpp.config import get_settings
from jcpp.errors import InvalidInput, NotFound
from jcpp.models import (
    COMMITTEE_KINDS,
    USER_ROLES,
    City,
    Committee,
    Membership,
    Person,
    User,
    UserCity,
    UserCommittee,
)
from jcpp.models.base import utcnow

__all__ = ["describe_rule"]

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_MEETING_MINUTES, MAX_MEETING_MINUTES = 15, 600


def county_today() -> dt.date:
    """Today's date in the county's time zone."""
    return dt.datetime.now(get_settings().zone).date()


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
    slug_error = _slug_error(slug, max_length=120)
    if slug_error is None and _city_slug_taken(session, slug):
        slug_error = f"The slug {slug!r} is already used by another city."
    if slug_error:
        errors["slug"] = slug_error
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


def _slug_error(slug: str, *, max_length: int) -> str | None:
    if not slug:
        return "Enter a slug, or a name that has letters or digits."
    if len(slug) > max_length:
        return f"Use at most {max_length} characters."
    if not SLUG_RE.match(slug):
        return "Use lower-case letters, digits and single hyphens, e.g. st-louis-park."
    return None


# ---------------------------------------------------------------- committees


@dataclass(frozen=True)
class CommitteeInput:
    """A committee's details as an admin enters them. `city_id` and `slug` only on creation."""

    name: str
    kind: str
    rule: RuleChoice
    meeting_minutes: int | None
    default_place: str
    city_id: int | None = None
    slug: str = ""
    active: bool = True


@dataclass(frozen=True)
class CommitteeRow:
    committee: Committee
    current_members: int

    @property
    def rule_text(self) -> str:
        rule = self.committee.meeting_rule
        return describe_rule(rule) if rule else "No regular meetings"


@dataclass(frozen=True)
class CityCommittees:
    city: City
    committees: list[CommitteeRow]


def committees_by_city(session: Session, *, by: Viewer) -> list[CityCommittees]:
    """Every city, each with its committees and how many people are on each roster today."""
    require_admin(by)
    today = county_today()
    current = (
        select(Membership.committee_id, func.count().label("n"))
        .where(
            col(Membership.start_date) <= today,
            (col(Membership.end_date).is_(None)) | (col(Membership.end_date) >= today),
        )
        .group_by(col(Membership.committee_id))
        .subquery()
    )
    rows = session.exec(
        select(Committee, func.coalesce(current.c.n, 0))
        .join(current, current.c.committee_id == Committee.id, isouter=True)
        .order_by(Committee.name)
    ).all()
    by_city: dict[int, list[CommitteeRow]] = {}
    for committee, count in rows:
        by_city.setdefault(committee.city_id, []).append(CommitteeRow(committee, count))
    return [CityCommittees(city, by_city.get(city.id or 0, [])) for city in list_cities(session)]


def get_committee(session: Session, committee_id: int) -> Committee:
    committee = session.get(Committee, committee_id)
    if committee is None:
        raise NotFound("There is no such committee.")
    return committee


def create_committee(session: Session, *, data: CommitteeInput, by: Viewer) -> Committee:
    """A new committee of a city. A blank slug is made from the name (and the city's, if the
    name does not already say it), numbered if it is taken."""
    require_admin(by)
    errors = _committee_errors(session, data=data, committee_id=None)
    city = session.get(City, data.city_id) if data.city_id else None
    if city is None:
        errors["city_id"] = "Choose the city this committee belongs to."
    rule, rule_errors = resolve_rule(data.rule)
    errors |= rule_errors
    slug = _committee_slug(session, data=data, city=city, errors=errors)
    if errors or city is None:
        raise InvalidInput(errors)
    committee = Committee(
        city_id=city.id or 0,
        name=" ".join(data.name.split()),
        slug=slug,
        kind=data.kind,
        meeting_rule=rule,
        meeting_minutes=data.meeting_minutes or 90,
        default_place=data.default_place.strip() or None,
    )
    session.add(committee)
    session.flush()
    audit.record(
        session,
        user_id=by.id,
        action="create_committee",
        entity_type="committee",
        entity_id=committee.id,
        city_id=city.id,
        summary=f"Added the committee {committee.name} ({city.name})",
        after=committee_snapshot(committee),
    )
    session.flush()
    return committee


def update_committee(
    session: Session, committee_id: int, *, data: CommitteeInput, by: Viewer
) -> Committee:
    """Change a committee's name, kind, meeting rule, length, place and whether it is active."""
    require_admin(by)
    committee = get_committee(session, committee_id)
    errors = _committee_errors(session, data=data, committee_id=committee.id)
    rule, rule_errors = resolve_rule(data.rule)
    errors |= rule_errors
    if errors:
        raise InvalidInput(errors)
    before = committee_snapshot(committee)
    committee.name = " ".join(data.name.split())
    committee.kind = data.kind
    committee.meeting_rule = rule
    committee.meeting_minutes = data.meeting_minutes or committee.meeting_minutes
    committee.default_place = data.default_place.strip() or None
    if committee.active != data.active:
        committee.active = data.active
        committee.archived_at = None if data.active else utcnow()
    after = committee_snapshot(committee)
    if after == before:
        return committee
    session.add(committee)
    audit.record(
        session,
        user_id=by.id,
        action="update_committee",
        entity_type="committee",
        entity_id=committee.id,
        city_id=committee.city_id,
        summary=f"Changed the committee {committee.name}",
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    session.flush()
    return committee


def committee_snapshot(committee: Committee) -> dict[str, Any]:
    return {
        "name": committee.name,
        "slug": committee.slug,
        "kind": committee.kind,
        "meeting_rule": committee.meeting_rule,
        "meeting_minutes": committee.meeting_minutes,
        "default_place": committee.default_place,
        "active": committee.active,
    }


def _committee_errors(
    session: Session, *, data: CommitteeInput, committee_id: int | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = "Enter the committee's name."
    elif len(name) > 200:
        errors["name"] = "Use at most 200 characters."
    else:
        city_id = data.city_id
        if committee_id is not None:
            city_id = get_committee(session, committee_id).city_id
        same = session.exec(
            select(Committee.id).where(
                Committee.city_id == city_id,
                func.lower(Committee.name) == name.lower(),
                col(Committee.id) != (committee_id or 0),
            )
        ).first()
        if same is not None:
            errors["name"] = "This city already has a committee with this name."
    if data.kind not in COMMITTEE_KINDS:
        errors["kind"] = "Choose what kind of body this is."
    minutes = data.meeting_minutes
    if minutes is None or not MIN_MEETING_MINUTES <= minutes <= MAX_MEETING_MINUTES:
        errors["meeting_minutes"] = (
            f"Enter the usual length in minutes, from {MIN_MEETING_MINUTES} "
            f"to {MAX_MEETING_MINUTES}."
        )
    if len(data.default_place.strip()) > 300:
        errors["default_place"] = "Use at most 300 characters."
    return errors


def _committee_slug(
    session: Session, *, data: CommitteeInput, city: City | None, errors: dict[str, str]
) -> str:
    def taken(slug: str) -> bool:
        return session.exec(select(Committee.id).where(Committee.slug == slug)).first() is not None

    if data.slug.strip():
        slug = data.slug.strip().lower()
        problem = _slug_error(slug, max_length=200)
        if problem is None and taken(slug):
            problem = f"The slug {slug!r} is already used by another committee."
        if problem:
            errors["slug"] = problem
        return slug
    base = slugify(data.name)
    if city is not None and not base.startswith(city.slug):
        base = f"{city.slug}-{base}".strip("-")
    base = base[:190].strip("-")
    slug, n = base, 2
    while base and taken(slug):
        slug, n = f"{base}-{n}", n + 1
    if not slug and "name" not in errors:
        errors["slug"] = "Enter a slug, or a name that has letters or digits."
    return slug


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
