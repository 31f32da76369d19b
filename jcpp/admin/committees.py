"""Administration of committees: details, kind, meeting rule, usual length and place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from jcpp import clock
from jcpp.admin.rules import RuleChoice, describe_rule, resolve_rule
from jcpp.admin.service import list_cities, slug_error, slugify
from jcpp.audit import service as audit
from jcpp.auth.permissions import Viewer, require_admin
from jcpp.errors import InvalidInput, NotFound
from jcpp.models import COMMITTEE_KINDS, City, Committee, Membership
from jcpp.models.base import utcnow

MIN_MEETING_MINUTES, MAX_MEETING_MINUTES = 15, 600


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
    today = clock.today()
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
        problem = slug_error(slug, max_length=200)
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
