"""Demo data: the JCPP member cities, two years of meetings and minutes, and a user per role.

Everything is drawn from one `random.Random(seed)`, so the same seed and the same `today` give the
same rows (the generated passwords excepted). Rows are added in bulk and flushed a few times; the
caller commits once. The newest minutes of every meeting are analysed as saving them in the app
would, so that their pages show proposals to review and the trends have two years of history
(with a story in them: see `jcpp.demo.trend_story`). The member's city's committee shares its
public pages, its published minutes reviewed for names as the review page proposes (residents
hidden, officials kept), so that the residents' side can be tried too.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr
from sqlalchemy import inspect
from sqlmodel import Session, col, select

from jcpp.analysis.service import analyse_minutes
from jcpp.audit import service as audit
from jcpp.auth.passwords import hash_password, password_problem
from jcpp.auth.permissions import load_viewer
from jcpp.demo import catalogue, followups, history, recurring
from jcpp.demo.meeting_records import DemoCommittee, Editors, MeetingRecorder, Seat
from jcpp.demo.trend_story import TrendStory
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
from jcpp.public import service as public

DEFAULT_SEED = 2026
HISTORY_MEETINGS = 24  # one a month: two years of history per committee
SCHEDULE_AHEAD = relativedelta(months=3)
MISSING_MINUTES_CITIES = 4  # cities whose two latest held meetings have no minutes yet
# Per committee, the latest meetings with minutes analysed one by one as saving them would
# (concerns raised again are proposed as recurring; their action items become the demo's
# follow-ups); the older minutes are analysed in bulk (jcpp.demo.history), which is much faster.
ANALYSED_ONE_BY_ONE = 3
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
    analysed: int = 0  # meetings whose newest minutes were analysed
    follow_ups: int = 0
    recurring: int = 0  # recurring concerns confirmed across cities
    public_minutes: int = 0  # published minutes on the public pages
    shapes: Counter[str] = field(default_factory=Counter)
    missing_minutes: list[str] = field(default_factory=list)  # city names
    accounts: list[DemoAccount] = field(default_factory=list)


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
        self.story = TrendStory.for_today(today, zone)
        self.used_names: set[str] = {name for _email, name, _role in catalogue.ACCOUNTS}
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
        recorder = MeetingRecorder(
            self.session,
            rng=self.rng,
            zone=self.zone,
            now=self.now,
            seed=self.summary.seed,
            editors=Editors(liaison_id=self.users["liaison"].id, admin_id=self.users["admin"].id),
            story=self.story,
        )
        for plan_committee in committees:
            missing = plan_committee.city.name in self.summary.missing_minutes
            recorder.record(plan_committee, without_minutes=2 if missing else 0)
        self.summary.minutes = recorder.minutes
        self.summary.revisions = recorder.revisions
        self.summary.shapes = recorder.shapes
        self.session.flush()
        analysed_one_by_one = self._analyse_minutes(committees)
        self.summary.follow_ups = followups.make_follow_ups(
            self.session,
            meetings=analysed_one_by_one,
            now=self.now,
            rng=self.rng,
            editors=followups.Editors(
                liaison_id=self.users["liaison"].id,
                member_id=self.users["member"].id,
                member_committee_ids=frozenset(
                    t.committee.id
                    for t in committees
                    if t.plan.slug == catalogue.MEMBER_CITY and t.committee.id is not None
                ),
            ),
        )
        self.summary.recurring = recurring.confirm_across_cities(
            self.session, reviewer_id=self.users["liaison"].id, now=self.now
        )
        self._share_public_pages(committees)
        self._audit()
        self.session.flush()
        return self.summary

    # Cities, committees, rosters ------------------------------------------------------------

    def _cities_and_committees(self) -> list[DemoCommittee]:
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
            result.append(DemoCommittee(plan=plan, city=city, committee=committee))
        self.session.flush()
        self.summary.cities = len(result)
        return result

    def _roster(self, target: DemoCommittee, *, liaison: Person, member: Person) -> None:
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
        target: DemoCommittee,
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
        target.seats.append(Seat(person=person, membership=membership, role=role, title=title))

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

    def _memberships(self, committees: list[DemoCommittee]) -> None:
        for target in committees:
            for seat in target.seats:
                seat.membership.person_id = seat.person.id or 0
                self.session.add(seat.membership)

    def _accounts(
        self,
        committees: list[DemoCommittee],
        *,
        password: str | None,
        liaison: Person,
        member: Person,
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

    def _meetings(self, target: DemoCommittee) -> None:
        """The last 24 occurrences of the committee's rule before today, and 3 months ahead."""
        midnight = dt.datetime.combine(self.today, dt.time())  # local, naive: rules are local
        rule = rrulestr(
            target.committee.meeting_rule or "",
            dtstart=midnight - relativedelta(months=HISTORY_MEETINGS + 2),
        )
        past = rule.between(midnight - relativedelta(months=HISTORY_MEETINGS + 1), midnight)
        past = past[-HISTORY_MEETINGS:]
        ahead = rule.between(midnight, midnight + SCHEDULE_AHEAD, inc=True)
        # The trend story's cities hold every meeting of the months the signals read.
        keep_from = self.story.baseline_first if target.plan.slug in self.story.cities else None
        cancelled = self._cancelled_indexes(past, keep_from=keep_from)
        for index, local_start in enumerate(past):
            status = "cancelled" if index in cancelled else "held"
            target.meetings.append(self._meeting(target, local_start, status=status))
        for local_start in ahead:
            target.meetings.append(self._meeting(target, local_start, status="scheduled"))
        self.session.add_all(target.meetings)

    def _cancelled_indexes(self, past: list[dt.datetime], *, keep_from: dt.date | None) -> set[int]:
        """One or two cancellations, in holiday months when possible; never the latest three,
        nor any from the month `keep_from` on."""
        candidates = list(range(len(past) - 3))
        if keep_from is not None:
            candidates = [index for index in candidates if past[index].date() < keep_from]
        holidays = [index for index in candidates if past[index].month in (12, 1, 7)]
        pool = holidays if len(holidays) >= 2 else candidates
        return set(self.rng.sample(pool, self.rng.randint(1, 2)))

    def _meeting(self, target: DemoCommittee, local_start: dt.datetime, *, status: str) -> Meeting:
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

    def _mark_missing_minutes(self, committees: list[DemoCommittee]) -> None:
        # Not the trend story's cities: their latest minutes are part of the story.
        pool = [t for t in committees if t.plan.slug not in self.story.cities]
        liaison_cities = [t for t in pool if t.plan.slug in catalogue.LIAISON_CITIES]
        others = [t for t in pool if t.plan.slug not in catalogue.LIAISON_CITIES]
        chosen = [self.rng.choice(liaison_cities)]
        chosen += self.rng.sample(others, MISSING_MINUTES_CITIES - 1)
        self.summary.missing_minutes = sorted(t.city.name for t in chosen)

    # Analysis ----------------------------------------------------------------------------------

    def _analyse_minutes(self, committees: list[DemoCommittee]) -> list[Meeting]:
        """Analyse the newest revision of every meeting's minutes: the older ones in bulk, then
        each committee's latest ANALYSED_ONE_BY_ONE one by one, oldest first; returns those."""
        meeting_ids = [meeting.id or 0 for target in committees for meeting in target.meetings]
        rows = self.session.exec(
            select(Minutes.meeting_id, MinutesRevision.number, MinutesRevision.text)
            .join(
                MinutesRevision,
                (col(MinutesRevision.meeting_id) == Minutes.meeting_id)
                & (col(MinutesRevision.number) == Minutes.current_revision),
            )
            .where(col(Minutes.meeting_id).in_(meeting_ids))
        ).all()
        newest = {meeting_id: (number, text) for meeting_id, number, text in rows}
        older: list[history.Minutes] = []
        latest: list[Meeting] = []
        for target in committees:
            with_minutes = sorted(
                (m for m in target.meetings if m.id in newest), key=lambda m: m.start_at
            )
            older += [(m, *newest[m.id or 0]) for m in with_minutes[:-ANALYSED_ONE_BY_ONE]]
            latest += with_minutes[-ANALYSED_ONE_BY_ONE:]
        self.summary.analysed += history.analyse_in_bulk(self.session, older, zone=self.zone)
        for meeting in sorted(latest, key=lambda m: m.start_at):
            number, text = newest[meeting.id or 0]
            analyse_minutes(
                self.session, meeting_id=meeting.id or 0, revision_number=number, text=text
            )
            self.summary.analysed += 1
        return latest

    # Audit --------------------------------------------------------------------------------------

    def _share_public_pages(self, committees: list[DemoCommittee]) -> None:
        """The member's city's committee turns its public pages on (the admin), and its
        liaison reviews each published minutes' names, keeping what the page proposes."""
        admin = load_viewer(self.session, self.users["admin"])
        liaison = load_viewer(self.session, self.users["liaison"])
        target = next(t for t in committees if t.plan.slug == catalogue.MEMBER_CITY)
        public.set_public_pages(self.session, target.committee.id or 0, on=True, by=admin)
        meeting_ids = [meeting.id or 0 for meeting in target.meetings]
        published = self.session.exec(
            select(Minutes.meeting_id)
            .where(col(Minutes.meeting_id).in_(meeting_ids), Minutes.status == "published")
            .order_by(col(Minutes.meeting_id))
        ).all()
        for meeting_id in published:
            view = public.review_view(self.session, meeting_id, viewer=liaison)
            hidden = {name.key for name in view.found if name.hide}
            public.save_review(
                self.session, meeting_id, revision=view.revision, hidden=hidden, added="",
                by=liaison,
            )  # fmt: skip
        self.summary.public_minutes = len(published)

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
                f"{sum(summary.meetings.values())} meetings, {summary.minutes} minutes "
                f"({summary.analysed} analysed), {summary.follow_ups} follow-ups, "
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
                "analysed": summary.analysed,
                "follow_ups": summary.follow_ups,
                "recurring_concerns": summary.recurring,
                "public_minutes": summary.public_minutes,
                "users": [account.email for account in summary.accounts],
            },
        )
