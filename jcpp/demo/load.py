"""Demo data: the JCPP member cities, two years of meetings and minutes, and a user per role.

Everything is drawn from one `random.Random(seed)`, so the same seed and the same `today` give the
same rows (the generated passwords excepted). Rows are added in bulk and flushed a few times; the
caller commits once.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from sqlalchemy import inspect
from sqlmodel import Session, select

from jcpp.audit import service as audit
from jcpp.auth.passwords import hash_password, password_problem
from jcpp.demo import catalogue
from jcpp.demo.minutes_text import SHAPES, RosterEntry, write_minutes
from jcpp.errors import Conflict, InvalidInput
from jcpp.models import (
    AgendaItem,
    Attendance,
    AuditEvent,
    City,
    Committee,
    Meeting,
    Membership,
    Minutes,
    MinutesRevision,
    Person,
    User,
    UserCity,
    UserCommittee,
)

DEFAULT_SEED = 2026
HISTORY_MEETINGS = 24  # one a month: two years of history per committee
SCHEDULE_AHEAD = relativedelta(months=3)
MISSING_MINUTES_CITIES = 4  # cities whose two latest held meetings have no minutes yet
_MODELS = (City, Committee, Person, Membership, User, UserCity, UserCommittee, Meeting, AgendaItem)
TABLES = tuple(
    str(model.__tablename__)
    for model in (*_MODELS, Attendance, Minutes, MinutesRevision, AuditEvent)
)


class DatabaseNotEmpty(Conflict):
    title = "The database already has data"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str
    scope: str
    password: str


@dataclass
class DemoSummary:
    seed: int
    cities: int = 0
    people: int = 0
    meetings: Counter[str] = field(default_factory=Counter)  # by status
    minutes: int = 0
    revisions: int = 0
    shapes: Counter[str] = field(default_factory=Counter)
    missing_minutes: list[str] = field(default_factory=list)  # city names
    accounts: list[DemoAccount] = field(default_factory=list)


@dataclass
class _Seat:
    """One person's term on a committee's roster."""

    person: Person
    membership: Membership
    role: str
    title: str | None = None

    @property
    def label(self) -> str:
        return f"{self.title} {self.person.name}" if self.title else self.person.name


@dataclass
class _Committee:
    plan: catalogue.CityPlan
    city: City
    committee: Committee
    seats: list[_Seat] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)


def missing_tables(session: Session) -> list[str]:
    """The tables the demo needs that the database does not have (not migrated yet)."""
    present = set(inspect(session.connection()).get_table_names())
    return [table for table in TABLES if table not in present]


def database_has_data(session: Session) -> bool:
    """Whether any city or user exists: the demo loads only into an empty database."""
    has_city = session.exec(select(City.id).limit(1)).first() is not None
    return has_city or session.exec(select(User.id).limit(1)).first() is not None


def load_demo(
    session: Session,
    *,
    today: dt.date,
    zone: ZoneInfo,
    seed: int = DEFAULT_SEED,
    password: str | None = None,
) -> DemoSummary:
    """Add the demo cities, committees, rosters, meetings, minutes and users; flush, never commit.

    Meetings run up to `today` (held, a few cancelled, the latest of some cities still without
    minutes) and three months beyond it (scheduled). Every account gets `password`, or a
    generated one when it is None; the summary carries them so that they can be shown once.
    """
    if password is not None and (problem := password_problem(password)):
        raise InvalidInput({"password": problem})
    if database_has_data(session):
        raise DatabaseNotEmpty(
            "The database already has cities or users; demo data is loaded only into an empty one."
        )
    rng = random.Random(seed)  # noqa: S311  (reproducible demo data, not secrets)
    loader = _Loader(session, rng=rng, today=today, zone=zone, seed=seed)
    return loader.run(password)


class _Loader:
    def __init__(
        self, session: Session, *, rng: random.Random, today: dt.date, zone: ZoneInfo, seed: int
    ) -> None:
        self.session = session
        self.rng = rng
        self.today = today
        self.zone = zone
        # Everything generated happened before the start of `today`, in the county's zone.
        self.now = dt.datetime.combine(today, dt.time(), tzinfo=zone).astimezone(dt.UTC)
        self.summary = DemoSummary(seed=seed)
        self.used_names: set[str] = {name for _email, name, _role in catalogue.ACCOUNTS}
        shapes = list(SHAPES)
        rng.shuffle(shapes)
        self.shape_cycle = shapes
        self.users: dict[str, User] = {}

    def run(self, password: str | None) -> DemoSummary:
        committees = self._cities_and_committees()
        liaison = self._person(catalogue.ACCOUNTS[2][1], organisation="Hennepin County")
        member = self._person(catalogue.ACCOUNTS[3][1])
        for plan_committee in committees:
            self._roster(plan_committee, liaison=liaison, member=member)
        self.session.flush()
        self._memberships(committees)
        self._accounts(committees, password=password, liaison=liaison, member=member)
        self.session.flush()
        for plan_committee in committees:
            self._meetings(plan_committee)
        self.session.flush()
        self._mark_missing_minutes(committees)
        for plan_committee in committees:
            self._meeting_records(plan_committee)
        self._audit()
        self.session.flush()
        return self.summary

    # Cities, committees, rosters ------------------------------------------------------------

    def _cities_and_committees(self) -> list[_Committee]:
        made = []
        for plan in catalogue.CITY_PLANS:
            city = City(name=plan.name, slug=plan.slug, is_demo=True)
            self.session.add(city)
            made.append((plan, city))
        self.session.flush()
        result = []
        for plan, city in made:
            committee = Committee(
                city_id=city.id or 0,
                name=f"{plan.name} Multicultural Advisory Committee",
                slug=f"{plan.slug}-mac",
                kind="mac",
                meeting_rule=plan.meeting_rule,
                meeting_minutes=90,
                default_place=plan.default_place,
            )
            self.session.add(committee)
            result.append(_Committee(plan=plan, city=city, committee=committee))
        self.session.flush()
        self.summary.cities = len(result)
        return result

    def _roster(self, target: _Committee, *, liaison: Person, member: Person) -> None:
        """A chair, 4–6 current and 1–3 past members, the chief and 1–2 officers, a liaison."""
        rng, first_meeting = self.rng, self.today - relativedelta(months=HISTORY_MEETINGS)
        self._seat(target, self._new_person(), "chair", start=self._served_since(first_meeting))
        if target.plan.slug == catalogue.MEMBER_CITY:
            self._seat(target, member, "member", start=first_meeting - relativedelta(months=7))
        for _ in range(rng.randint(4, 6)):
            joined = rng.random() < 0.25
            start = self._served_since(first_meeting)
            if joined:
                start = self._day_between(first_meeting, self.today - dt.timedelta(days=120))
            self._seat(target, self._new_person(), "member", start=start)
        for _ in range(rng.randint(1, 3)):
            end = self._day_between(first_meeting + dt.timedelta(days=60), self.today)
            start = self._served_since(first_meeting)
            self._seat(target, self._new_person(), "member", start=start, end=end)
        start = self._served_since(first_meeting)
        self._seat(target, self._new_person(), "police", start=start, title="Chief")
        for title in rng.sample(catalogue.POLICE_TITLES, rng.randint(1, 2)):
            start = self._served_since(first_meeting)
            self._seat(target, self._new_person(), "police", start=start, title=title)
        county = liaison if target.plan.slug in catalogue.LIAISON_CITIES else None
        county = county or self._new_person(organisation="Hennepin County")
        self._seat(target, county, "liaison", start=self._served_since(first_meeting))

    def _served_since(self, first_meeting: dt.date) -> dt.date:
        """The start of a term that began before the demo's first meeting (up to 4 years)."""
        return first_meeting - dt.timedelta(days=self.rng.randint(30, 4 * 365))

    def _seat(
        self,
        target: _Committee,
        person: Person,
        role: str,
        *,
        start: dt.date,
        end: dt.date | None = None,
        title: str | None = None,
    ) -> None:
        if title and person.title is None:
            person.title = title
            person.organisation = f"{target.plan.name} Police Department"
        membership = Membership(
            committee_id=target.committee.id or 0,
            person_id=0,
            role=role,
            start_date=start,
            end_date=end,
        )
        target.seats.append(_Seat(person=person, membership=membership, role=role, title=title))

    def _new_person(self, *, organisation: str | None = None) -> Person:
        return self._person(self._unused_name(), organisation=organisation)

    def _person(self, name: str, *, organisation: str | None = None) -> Person:
        person = Person(name=name, organisation=organisation)
        self.session.add(person)
        self.summary.people += 1
        return person

    def _unused_name(self) -> str:
        while True:
            if self.rng.random() < 0.05:
                name = self.rng.choice(catalogue.KAREN_NAMES)
            else:
                given, family = self.rng.choice(catalogue.NAME_POOLS)
                name = f"{self.rng.choice(given)} {self.rng.choice(family)}"
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def _day_between(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    # Accounts ---------------------------------------------------------------------------------

    def _memberships(self, committees: list[_Committee]) -> None:
        for target in committees:
            for seat in target.seats:
                seat.membership.person_id = seat.person.id or 0
                self.session.add(seat.membership)

    def _accounts(
        self, committees: list[_Committee], *, password: str | None, liaison: Person, member: Person
    ) -> None:
        by_slug = {target.plan.slug: target for target in committees}
        liaison_cities = [by_slug[slug] for slug in catalogue.LIAISON_CITIES]
        member_committee = by_slug[catalogue.MEMBER_CITY]
        scopes = {
            "admin": "everything",
            "county_staff": "reads every city",
            "liaison": ", ".join(target.city.name for target in liaison_cities),
            "member": member_committee.committee.name,
        }
        people = {"liaison": liaison, "member": member}
        for email, name, role in catalogue.ACCOUNTS:
            secret = password or secrets.token_urlsafe(12)
            person = people.get(role)
            user = User(
                email=email,
                name=name,
                role=role,
                password_hash=hash_password(secret),
                person_id=person.id if person else None,
            )
            self.session.add(user)
            self.users[role] = user
            self.summary.accounts.append(
                DemoAccount(email=email, name=name, role=role, scope=scopes[role], password=secret)
            )
        self.session.flush()
        for target in liaison_cities:
            self.session.add(
                UserCity(user_id=self.users["liaison"].id or 0, city_id=target.city.id or 0)
            )
        self.session.add(
            UserCommittee(
                user_id=self.users["member"].id or 0,
                committee_id=member_committee.committee.id or 0,
            )
        )

    # Meetings ---------------------------------------------------------------------------------

    def _meetings(self, target: _Committee) -> None:
        """The last 24 occurrences of the committee's rule before today, and 3 months ahead."""
        midnight = dt.datetime.combine(self.today, dt.time())  # local, naive: rules are local
        rule = rrulestr(
            target.committee.meeting_rule or "",
            dtstart=midnight - relativedelta(months=HISTORY_MEETINGS + 2),
        )
        past = rule.between(midnight - relativedelta(months=HISTORY_MEETINGS + 1), midnight)
        past = past[-HISTORY_MEETINGS:]
        ahead = rule.between(midnight, midnight + SCHEDULE_AHEAD, inc=True)
        cancelled = self._cancelled_indexes(past)
        for index, local_start in enumerate(past):
            status = "cancelled" if index in cancelled else "held"
            target.meetings.append(self._meeting(target, local_start, status=status))
        for local_start in ahead:
            target.meetings.append(self._meeting(target, local_start, status="scheduled"))
        self.session.add_all(target.meetings)

    def _cancelled_indexes(self, past: list[dt.datetime]) -> set[int]:
        """One or two cancellations, in holiday months when possible; never the latest three."""
        candidates = list(range(len(past) - 3))
        holidays = [index for index in candidates if past[index].month in (12, 1, 7)]
        pool = holidays if len(holidays) >= 2 else candidates
        return set(self.rng.sample(pool, self.rng.randint(1, 2)))

    def _meeting(self, target: _Committee, local_start: dt.datetime, *, status: str) -> Meeting:
        start = local_start.replace(tzinfo=self.zone).astimezone(dt.UTC)
        end = start + dt.timedelta(minutes=target.committee.meeting_minutes)
        place = target.committee.default_place
        if status != "cancelled" and self.rng.random() < 0.08:
            place = self.rng.choice(catalogue.GUEST_PLACES)
        self.summary.meetings[status] += 1
        return Meeting(
            committee_id=target.committee.id or 0,
            start_at=start,
            end_at=end,
            place=place,
            status=status,
            from_rule=True,
            created_at=min(start - dt.timedelta(days=35), self.now),
            updated_at=min(end + dt.timedelta(hours=2), self.now),
        )

    def _mark_missing_minutes(self, committees: list[_Committee]) -> None:
        liaison_cities = [t for t in committees if t.plan.slug in catalogue.LIAISON_CITIES]
        others = [t for t in committees if t.plan.slug not in catalogue.LIAISON_CITIES]
        chosen = [self.rng.choice(liaison_cities)]
        chosen += self.rng.sample(others, MISSING_MINUTES_CITIES - 1)
        self.summary.missing_minutes = sorted(t.city.name for t in chosen)

    # Attendance, agenda and minutes of each held meeting -----------------------------------------

    def _meeting_records(self, target: _Committee) -> None:
        held = [m for m in target.meetings if m.status == "held"]
        without_minutes = 2 if target.city.name in self.summary.missing_minutes else 0
        for index, meeting in enumerate(held):
            seats = self._seats_on(target, meeting)
            present = self._attendance(meeting, seats)
            self._agenda(meeting, seats)
            if index < len(held) - without_minutes:
                following = held[index + 1] if index + 1 < len(held) else None
                self._minutes(target, meeting, seats, present, approved_at=following)
        upcoming = [m for m in target.meetings if m.status == "scheduled"]
        if upcoming:  # the liaison has started the next agenda
            self._agenda(upcoming[0], self._seats_on(target, upcoming[0]), draft=True)

    def _seats_on(self, target: _Committee, meeting: Meeting) -> list[_Seat]:
        day = meeting.start_at.astimezone(self.zone).date()
        return [seat for seat in target.seats if seat.membership.active_on(day)]

    def _attendance(self, meeting: Meeting, seats: list[_Seat]) -> list[_Seat]:
        present = []
        for seat in seats:
            chance = 0.95 if seat.role in ("chair", "liaison") else 0.8
            roll = self.rng.random()
            status = "present" if roll < chance else "excused" if roll < chance + 0.1 else "absent"
            if status == "present":
                present.append(seat)
            self.session.add(
                Attendance(meeting_id=meeting.id or 0, person_id=seat.person.id or 0, status=status)
            )
        meeting.guest_count = self.rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 8, 12))
        if meeting.guest_count:
            organisations = self.rng.sample(
                catalogue.GUEST_ORGANISATIONS, min(meeting.guest_count, self.rng.randint(0, 3))
            )
            meeting.guest_organisations = ", ".join(organisations) or None
        return present

    def _agenda(self, meeting: Meeting, seats: list[_Seat], *, draft: bool = False) -> None:
        # Four fixed items around 1–4 topics (0–2 on an agenda still being prepared).
        middle = self.rng.sample(
            catalogue.AGENDA_TOPICS, self.rng.randint(0, 2) if draft else self.rng.randint(1, 4)
        )
        items = [*catalogue.AGENDA_OPENING, catalogue.AGENDA_MINUTES, catalogue.AGENDA_CHIEF]
        items += [*middle, catalogue.AGENDA_CLOSE]
        for position, (title, presenter_role) in enumerate(items, start=1):
            self.session.add(
                AgendaItem(
                    meeting_id=meeting.id or 0,
                    position=position,
                    title=title,
                    presenter=self._presenter(seats, presenter_role),
                )
            )

    def _presenter(self, seats: list[_Seat], role: str) -> str | None:
        if role == "chief":
            matching = [seat for seat in seats if seat.title == "Chief"]
        elif role == "police":
            matching = [seat for seat in seats if seat.role == "police" and seat.title != "Chief"]
        else:
            matching = [seat for seat in seats if seat.role == role]
        return self.rng.choice(matching).label if matching else None

    def _minutes(
        self,
        target: _Committee,
        meeting: Meeting,
        seats: list[_Seat],
        present: list[_Seat],
        *,
        approved_at: Meeting | None,
    ) -> None:
        """Minutes in a shape taken in turn, revised 1–3 times; approved at the next meeting."""
        day = meeting.start_at.astimezone(self.zone).date()
        shape = self.shape_cycle[self.summary.minutes % len(self.shape_cycle)]
        # A generator of its own per meeting: its text does not shift when other data changes.
        own_rng = random.Random(f"{self.summary.seed}:{target.plan.slug}:{day.isoformat()}")  # noqa: S311
        text = write_minutes(
            own_rng,
            city=target.city.name,
            committee=target.committee.name,
            meeting_date=day,
            roster=[RosterEntry(seat.person.name, seat.role, seat.title) for seat in seats],
            present=[seat.person.name for seat in present],
            shape=shape,
        )
        self.summary.minutes += 1
        self.summary.shapes[shape] += 1
        approval = approved_at.start_at + dt.timedelta(minutes=20) if approved_at else None
        revisions = self._revisions(target, meeting, text, deadline=approval or self.now)
        minutes = Minutes(meeting_id=meeting.id or 0, current_revision=len(revisions))
        if approval is not None:
            self._approve(target, minutes, approval)
        self.session.add(minutes)

    def _revisions(
        self, target: _Committee, meeting: Meeting, text: str, *, deadline: dt.datetime
    ) -> list[MinutesRevision]:
        authors = self._authors(target)
        count = min(self.rng.choice((1, 2, 2, 3)), len(authors))
        written = (meeting.end_at or meeting.start_at) + dt.timedelta(days=self.rng.randint(1, 5))
        revisions = []
        for number in range(1, count + 1):
            at = min(written, deadline - dt.timedelta(minutes=count - number + 1))
            revision = MinutesRevision(
                meeting_id=meeting.id or 0,
                number=number,
                text=text,
                author_id=authors[number - 1],
                note=self._revision_note(number, author_id=authors[number - 1]),
                created_at=at,
            )
            revisions.append(revision)
            text = self._small_edit(text)
            written += dt.timedelta(days=self.rng.randint(1, 4), hours=self.rng.randint(0, 8))
        self.session.add_all(revisions)
        self.summary.revisions += count
        return revisions

    def _authors(self, target: _Committee) -> list[int | None]:
        """Who writes revisions 1, 2, 3: each a different person from the one before.

        The liaison's cities' minutes are hers, corrected by the admin; other cities' minutes
        were imported from their Word files (no author), then corrected once by the admin.
        """
        admin = self.users["admin"].id
        if target.plan.slug in catalogue.LIAISON_CITIES:
            return [self.users["liaison"].id, admin, self.users["liaison"].id]
        return [None, admin]

    def _revision_note(self, number: int, *, author_id: int | None) -> str:
        if number > 1:
            return self.rng.choice(catalogue.REVISION_NOTES)
        return "First draft" if author_id else "Imported from the liaison's Word file"

    def _small_edit(self, text: str) -> str:
        """A later revision: one sentence added after a line of the text."""
        lines = text.split("\n")
        candidates = [index for index, line in enumerate(lines) if len(line.strip()) > 40]
        addendum = self.rng.choice(catalogue.REVISION_ADDENDA)
        if not candidates:
            return f"{text.rstrip()}\n\n{addendum}\n"
        index = self.rng.choice(candidates)
        lines[index] = f"{lines[index].rstrip()} {addendum}"
        return "\n".join(lines)

    def _approve(self, target: _Committee, minutes: Minutes, approval: dt.datetime) -> None:
        in_liaison_city = target.plan.slug in catalogue.LIAISON_CITIES
        approver = self.users["liaison" if in_liaison_city else "admin"].id
        minutes.status = "approved"
        minutes.approved_revision = minutes.current_revision
        minutes.approved_by_id = approver
        minutes.approved_at = approval
        if self.now - approval > dt.timedelta(days=60) and self.rng.random() < 0.85:
            minutes.status = "published"
            minutes.published_by_id = approver
            minutes.published_at = approval + dt.timedelta(days=self.rng.randint(1, 7))

    def _audit(self) -> None:
        summary = self.summary
        audit.record(
            self.session,
            user_id=None,
            action="load_demo",
            entity_type="demo",
            entity_id=None,
            summary=(
                f"Loaded demo data (seed {summary.seed}): {summary.cities} cities, "
                f"{sum(summary.meetings.values())} meetings, {summary.minutes} minutes, "
                f"{len(summary.accounts)} users"
            ),
            after={
                "seed": summary.seed,
                "today": self.today,
                "cities": summary.cities,
                "people": summary.people,
                "meetings": dict(summary.meetings),
                "minutes": summary.minutes,
                "revisions": summary.revisions,
                "users": [account.email for account in summary.accounts],
            },
        )
