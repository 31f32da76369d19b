"""Which meetings each calendar holds, for whom.

- One meeting's file: whoever may see the meeting's page.
- A committee's feed: whoever may see the committee.
- A city's feed: the city's committees the viewer may see (a member: his committees there); a
  city where the viewer sees no committee is 404, as is a city of another liaison.
- The public feed of a committee: anyone, but only while the committee's public pages are on.

Feeds keep past meetings for WINDOW_YEARS years (from the same county date two years ago) and
every meeting after that, cancelled ones included, so a subscriber's calendar keeps its history
and sees cancellations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.auth.permissions import Viewer, require_view, visible_committees
from jcpp.calendars.feed import Entry, build_calendar
from jcpp.config import Settings
from jcpp.errors import NotFound
from jcpp.meetings.service import get_meeting
from jcpp.models import City, Committee, Meeting

WINDOW_YEARS = 2
NO_CITY = "There is no such city, or it is not yours to see."
NO_COMMITTEE = "There is no such committee, or it is not yours to see."
NO_PUBLIC = "There is no such public calendar."


@dataclass(frozen=True)
class Feed:
    """A calendar ready to be written: its name, its own UID, its meetings, a file name."""

    name: str
    uid: str
    entries: list[Entry]
    filename: str
    public: bool = False


def window_start(today: dt.date, zone: ZoneInfo | None = None) -> dt.datetime:
    """The UTC moment a feed's meetings begin: the county day WINDOW_YEARS years before today."""
    try:
        first = today.replace(year=today.year - WINDOW_YEARS)
    except ValueError:  # 29 February
        first = today.replace(year=today.year - WINDOW_YEARS, day=28)
    return clock.day_start(first, zone)


def meeting_feed(session: Session, meeting_id: int, *, viewer: Viewer, domain: str) -> Feed:
    meeting, committee = get_meeting(session, meeting_id, viewer=viewer)
    entry = Entry(meeting, committee, _city(session, committee))
    return Feed(
        name=committee.name,
        uid=f"meeting-file-{meeting_id}@{domain}",
        entries=[entry],
        filename=f"meeting-{meeting_id}.ics",
    )


def committee_feed(
    session: Session, slug: str, *, viewer: Viewer, domain: str, since: dt.datetime
) -> Feed:
    committee = require_view(viewer, _committee_by_slug(session, slug))
    city = _city(session, committee)
    return Feed(
        name=committee.name,
        uid=f"committee-{committee.id}@{domain}",
        entries=_entries(session, [committee], {city.id: city}, since),
        filename=f"{committee.slug}.ics",
    )


def city_feed(
    session: Session, slug: str, *, viewer: Viewer, domain: str, since: dt.datetime
) -> Feed:
    city = session.exec(select(City).where(City.slug == slug)).first()
    if city is None:
        raise NotFound(NO_CITY)
    committees = list(
        session.exec(
            select(Committee)
            .where(Committee.city_id == city.id, visible_committees(viewer))
            .order_by(col(Committee.name))
        )
    )
    own_city = viewer.sees_all_cities or (viewer.role == "liaison" and city.id in viewer.city_ids)
    if not committees and not own_city:
        raise NotFound(NO_CITY)
    return Feed(
        name=f"{city.name}: committee meetings",
        uid=f"city-{city.id}@{domain}",
        entries=_entries(session, committees, {city.id: city}, since),
        filename=f"{city.slug}.ics",
    )


def public_feed(session: Session, slug: str, *, domain: str, since: dt.datetime) -> Feed:
    """Anyone's, while the committee's public pages are on; 404 otherwise (existence hidden)."""
    committee = _committee_by_slug(session, slug)
    if committee is None or not committee.public_pages:
        raise NotFound(NO_PUBLIC)
    city = _city(session, committee)
    return Feed(
        name=committee.name,
        uid=f"public-committee-{committee.id}@{domain}",
        entries=_entries(session, [committee], {city.id: city}, since),
        filename=f"{committee.slug}.ics",
        public=True,
    )


def render_feed(feed: Feed, settings: Settings, *, today: dt.date) -> bytes:
    return build_calendar(
        feed.entries,
        name=feed.name,
        calendar_uid=feed.uid,
        zone=settings.zone,
        domain=settings.calendar_domain,
        base_url=settings.base_url,
        today=today,
        public=feed.public,
    )


@dataclass(frozen=True)
class FeedChoice:
    """A feed the viewer may subscribe to, for the Subscribe page."""

    key: str  # "city/<slug>" or "committee/<slug>"
    label: str
    path: str  # /cities/<slug>/calendar.ics or /committees/<slug>/calendar.ics


def feed_choices(session: Session, viewer: Viewer) -> list[FeedChoice]:
    """Each city where the viewer sees a committee (all its committees the viewer sees), then
    each such committee, by city and name."""
    rows = session.exec(
        select(Committee, City)
        .join(City, col(City.id) == col(Committee.city_id))
        .where(visible_committees(viewer))
        .order_by(col(City.name), col(Committee.name))
    ).all()
    choices: list[FeedChoice] = []
    whole_cities = viewer.sees_all_cities or viewer.role == "liaison"
    for city in {city.id: city for _, city in rows}.values():
        label = f"{city.name}: all committees" if whole_cities else f"{city.name}: your committees"
        choices.append(FeedChoice(f"city/{city.slug}", label, f"/cities/{city.slug}/calendar.ics"))
    for committee, city in rows:
        label = committee.name if city.name in committee.name else f"{committee.name} ({city.name})"
        path = f"/committees/{committee.slug}/calendar.ics"
        choices.append(FeedChoice(f"committee/{committee.slug}", label, path))
    return choices


def _committee_by_slug(session: Session, slug: str) -> Committee | None:
    return session.exec(select(Committee).where(Committee.slug == slug)).first()


def _city(session: Session, committee: Committee) -> City:
    city = session.get(City, committee.city_id)
    if city is None:  # pragma: no cover - the foreign key guarantees it
        raise NotFound(NO_CITY)
    return city


def _entries(
    session: Session,
    committees: list[Committee],
    cities: dict[int | None, City],
    since: dt.datetime,
) -> list[Entry]:
    by_id = {c.id: c for c in committees}
    if not by_id:
        return []
    meetings = session.exec(
        select(Meeting)
        .where(col(Meeting.committee_id).in_(list(by_id)), col(Meeting.start_at) >= since)
        .order_by(col(Meeting.start_at), col(Meeting.id))
    ).all()
    entries = []
    for meeting in meetings:
        committee = by_id[meeting.committee_id]
        entries.append(Entry(meeting, committee, cities[committee.city_id]))
    return entries
