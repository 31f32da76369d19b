"""Who may see and change what, by role and scope. Checked in routes and services, never only
in templates.

- admin: everything.
- county_staff: reads everything; changes nothing in meetings or minutes.
- liaison: reads and changes committees, meetings and minutes of her cities only.
- member: reads his committees' meetings and minutes (drafts too); changes nothing.

Out-of-scope reads raise NotFound (existence is not revealed); visible but not changeable
raises NotPermitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import ColumnElement, false, literal, true, union_all
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from jcpp.errors import NotFound, NotPermitted
from jcpp.models import Committee, User, UserCity, UserCommittee


@dataclass(frozen=True)
class Viewer:
    """The signed-in user with the scope the request runs under.

    Her id, role and name are read once, when the viewer is found: a request that fails rolls
    its transaction back, which expires `user`, and the error page's header still needs them.
    """

    user: User
    city_ids: frozenset[int]
    committee_ids: frozenset[int]
    id: int = field(init=False)
    role: str = field(init=False)
    name: str = field(init=False)

    def __post_init__(self) -> None:
        assert self.user.id is not None
        object.__setattr__(self, "id", self.user.id)
        object.__setattr__(self, "role", self.user.role)
        object.__setattr__(self, "name", self.user.name)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def sees_all_cities(self) -> bool:
        return self.role in ("admin", "county_staff")

    @property
    def can_read_audit(self) -> bool:
        return self.role in ("admin", "county_staff")


def _scope(user_id: Any) -> Any:
    """(kind, scope_id) of the user's cities and committees."""
    return union_all(
        select_columns(
            literal("city").label("kind"), col(UserCity.city_id).label("scope_id")
        ).where(col(UserCity.user_id) == user_id),
        select_columns(literal("committee"), col(UserCommittee.committee_id)).where(
            col(UserCommittee.user_id) == user_id
        ),
    )


def _viewer(user: User, scope: Iterable[tuple[str | None, int | None]]) -> Viewer:
    ids: dict[str, set[int]] = {"city": set(), "committee": set()}
    for kind, scope_id in scope:
        if kind is not None and scope_id is not None:
            ids[kind].add(scope_id)
    return Viewer(
        user=user, city_ids=frozenset(ids["city"]), committee_ids=frozenset(ids["committee"])
    )


def load_viewer(session: Session, user: User) -> Viewer:
    """The user with her cities and committees, read in one query."""
    return _viewer(user, session.execute(_scope(user.id)))


def find_viewer(
    session: Session, user_id: int, *also: ColumnElement[Any]
) -> tuple[Viewer, tuple[Any, ...]] | None:
    """The user of `user_id` with her cities and committees, and the values of the columns
    `also`, all in one query (every request makes one); None when there is no such user."""
    scope = _scope(user_id).subquery()
    rows = session.execute(
        select_columns(User, *also, scope.c.kind, scope.c.scope_id)
        .outerjoin(scope, true())
        .where(col(User.id) == user_id)
    ).all()
    if not rows:
        return None
    return _viewer(rows[0][0], ((row[-2], row[-1]) for row in rows)), tuple(rows[0][1:-2])


class InCity(Protocol):
    """A committee, or what names one (its id and city)."""

    @property
    def id(self) -> int | None: ...

    @property
    def city_id(self) -> int: ...


def can_view_committee(viewer: Viewer, committee: InCity) -> bool:
    if viewer.sees_all_cities:
        return True
    if viewer.role == "liaison":
        return committee.city_id in viewer.city_ids
    return committee.id in viewer.committee_ids


def can_edit_committee(viewer: Viewer, committee: Committee) -> bool:
    """May change the committee's meetings, attendance, agenda and minutes."""
    if viewer.is_admin:
        return True
    return viewer.role == "liaison" and committee.city_id in viewer.city_ids


def require_view(viewer: Viewer, committee: Committee | None) -> Committee:
    if committee is None or not can_view_committee(viewer, committee):
        raise NotFound("There is no such committee or meeting, or it is not yours to see.")
    return committee


def require_edit(viewer: Viewer, committee: Committee | None) -> Committee:
    committee = require_view(viewer, committee)
    if not can_edit_committee(viewer, committee):
        raise NotPermitted(
            "You can read this, but only its city's liaison or an admin can change it."
        )
    return committee


def require_admin(viewer: Viewer) -> None:
    if not viewer.is_admin:
        raise NotPermitted("Only administrators can do this.")


def require_audit_reader(viewer: Viewer) -> None:
    if not viewer.can_read_audit:
        raise NotPermitted("Only administrators and county staff can read the audit log.")


def visible_committees(viewer: Viewer) -> ColumnElement[bool]:
    """A WHERE clause on Committee for the committees the viewer may see."""
    if viewer.sees_all_cities:
        return true()
    if viewer.role == "liaison":
        if not viewer.city_ids:
            return false()
        return col(Committee.city_id).in_(viewer.city_ids)
    if not viewer.committee_ids:
        return false()
    return col(Committee.id).in_(viewer.committee_ids)


def visible_city_ids(viewer: Viewer) -> frozenset[int] | None:
    """None means every city."""
    if viewer.sees_all_cities:
        return None
    return viewer.city_ids
