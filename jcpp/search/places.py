"""The search filters' cities and committees: a typed lookup, never a menu of the whole state.

The viewer types a name (or the URL names a slug); it is looked up among the cities and
committees she may see, and only then becomes a filter. A scope of up to `LIST_ALL_UP_TO`
committees (a liaison's cities, a member's committees, a small county) is offered whole in the
page; a larger one (county staff and admins at state scale: 850 cities) is offered as she types,
`SUGGESTIONS` at a time, by `/search/cities` and `/search/committees` (htmx fills the field's
datalist), so that the search page never loads every city and committee.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, or_, true
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer, visible_committees
from jcpp.models import City, Committee, Topic

LIST_ALL_UP_TO = 40  # committees in scope offered whole in the page
SUGGESTIONS = 20  # names offered per lookup
MAX_TYPED = 120


@dataclass(frozen=True)
class Place:
    """A city or committee as the filter offers it: `value` goes in the field and the URL."""

    id: int
    value: str
    city_id: int


@dataclass(frozen=True)
class TopicChoice:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class FilterChoices:
    """What the viewer may filter by, and what the URL's city and committee named.

    `cities` / `committees` list the whole scope when it is small (None: offered as typed);
    `many_cities` / `many_committees` say whether the field is worth showing at all (one city
    in scope needs no city filter). `city` / `committee` are the filters applied (None: not
    asked for, or not a place the viewer may see; `unknown_*` then keeps what was asked)."""

    topics: list[TopicChoice]
    cities: list[Place] | None
    committees: list[Place] | None
    many_cities: bool
    many_committees: bool
    city: Place | None = None
    committee: Place | None = None
    unknown_city: str = ""
    unknown_committee: str = ""

    @property
    def topic_ids(self) -> dict[str, int]:
        return {topic.slug: topic.id for topic in self.topics}


def _visible_cities(viewer: Viewer) -> ColumnElement[bool]:
    """A WHERE clause on City: the cities of the committees the viewer may see."""
    if viewer.sees_all_cities:
        return true()
    return col(City.id).in_(select(Committee.city_id).where(visible_committees(viewer)))


def _like(typed: str) -> str:
    escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _city_place(city: City) -> Place:
    assert city.id is not None
    return Place(id=city.id, value=city.name, city_id=city.id)


def _committee_place(committee: Committee) -> Place:
    assert committee.id is not None
    return Place(id=committee.id, value=committee.name, city_id=committee.city_id)


def suggest_cities(session: Session, *, viewer: Viewer, typed: str) -> list[Place]:
    """Up to SUGGESTIONS cities the viewer may see whose name holds `typed` (those starting
    with it first), by name."""
    typed = typed.strip()[:MAX_TYPED]
    query = select(City).where(_visible_cities(viewer))
    if typed:
        name = func.lower(City.name)
        query = query.where(name.like(_like(typed), escape="\\")).order_by(
            case((name.like(_like(typed)[1:], escape="\\"), 0), else_=1)
        )
    rows = session.exec(query.order_by(col(City.name)).limit(SUGGESTIONS)).all()
    return [_city_place(city) for city in rows]


def suggest_committees(
    session: Session, *, viewer: Viewer, typed: str, city: Place | None = None
) -> list[Place]:
    """Up to SUGGESTIONS committees the viewer may see whose name (or city's name) holds
    `typed`, in `city` if one is chosen; those starting with it first, by name."""
    typed = typed.strip()[:MAX_TYPED]
    query = (
        select(Committee)
        .join(City, col(City.id) == Committee.city_id)
        .where(visible_committees(viewer))
    )
    if city is not None:
        query = query.where(col(Committee.city_id) == city.id)
    if typed:
        name = func.lower(Committee.name)
        pattern = _like(typed)
        query = query.where(
            or_(name.like(pattern, escape="\\"), func.lower(City.name).like(pattern, escape="\\"))
        ).order_by(case((name.like(pattern[1:], escape="\\"), 0), else_=1))
    rows = session.exec(query.order_by(col(Committee.name)).limit(SUGGESTIONS)).all()
    return [_committee_place(committee) for committee in rows]


def find_city(session: Session, viewer: Viewer, asked: str) -> Place | None:
    """The city the viewer may see with this slug or (any case) name."""
    city = session.exec(
        select(City)
        .where(_visible_cities(viewer))
        .where(or_(col(City.slug) == asked, func.lower(City.name) == asked.lower()))
        .order_by(case((col(City.slug) == asked, 0), else_=1))
        .limit(1)
    ).first()
    return _city_place(city) if city is not None else None


def find_committee(
    session: Session, viewer: Viewer, asked: str, city: Place | None
) -> Place | None:
    """The committee the viewer may see with this slug or (any case) name, in `city` if one
    is chosen; of two with the same name, the first made."""
    query = select(Committee).where(
        visible_committees(viewer),
        or_(col(Committee.slug) == asked, func.lower(Committee.name) == asked.lower()),
    )
    if city is not None:
        query = query.where(col(Committee.city_id) == city.id)
    committee = session.exec(
        query.order_by(case((col(Committee.slug) == asked, 0), else_=1), col(Committee.id)).limit(1)
    ).first()
    return _committee_place(committee) if committee is not None else None


def filter_choices(
    session: Session, *, viewer: Viewer, city: str = "", committee: str = ""
) -> FilterChoices:
    """The topics, the viewer's committees and cities when they are few, and the `city` and
    `committee` asked for (slug or name) looked up among those she may see."""
    topics = session.execute(
        select_columns(col(Topic.id), col(Topic.slug), col(Topic.name))
        .where(col(Topic.active).is_(True))
        .order_by(col(Topic.name))
    ).all()
    found = session.execute(
        select_columns(
            col(Committee.id), col(Committee.name), col(Committee.city_id), col(City.name)
        )
        .join(City, col(City.id) == Committee.city_id)
        .where(visible_committees(viewer))
        .limit(LIST_ALL_UP_TO + 1)  # no ORDER BY: at state scale it would sort every committee
    ).all()
    rows = sorted(found, key=lambda row: (row[3].casefold(), row[1].casefold(), row[0]))
    few = len(rows) <= LIST_ALL_UP_TO
    cities, committees = None, None
    if few:
        cities = list({row[2]: Place(row[2], row[3], row[2]) for row in rows}.values())
        committees = [Place(row[0], row[1], row[2]) for row in rows]
    chosen_city = find_city(session, viewer, city) if city else None
    chosen_committee = (
        find_committee(session, viewer, committee, chosen_city) if committee else None
    )
    return FilterChoices(
        topics=[TopicChoice(*row) for row in topics],
        cities=cities,
        committees=committees,
        many_cities=not few or len(cities or []) > 1,
        many_committees=not few or len(committees or []) > 1,
        city=chosen_city,
        committee=chosen_committee,
        unknown_city=city if city and chosen_city is None else "",
        unknown_committee=committee if committee and chosen_committee is None else "",
    )
