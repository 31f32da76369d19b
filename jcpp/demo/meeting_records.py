"""What happened at each demo meeting: attendance, agenda, and minutes revised and approved."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlmodel import Session

from jcpp.demo import catalogue
from jcpp.demo.minutes_text import SHAPES, RosterEntry, write_minutes
from jcpp.demo.trend_story import TrendStory
from jcpp.models import (
    AgendaItem,
    Attendance,
    City,
    Committee,
    Meeting,
    Membership,
    Minutes,
    MinutesRevision,
    Person,
)


@dataclass
class Seat:
    """One person's term on a committee's roster."""

    person: Person
    membership: Membership
    role: str
    title: str | None = None

    @property
    def label(self) -> str:
        return f"{self.title} {self.person.name}" if self.title else self.person.name


@dataclass
class DemoCommittee:
    """A demo city's committee with its roster and meetings, while they are being made."""

    plan: catalogue.CityPlan
    city: City
    committee: Committee
    seats: list[Seat] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)


@dataclass(frozen=True)
class Editors:
    """The users who write and approve minutes: the liaison (her cities) and the admin."""

    liaison_id: int | None
    admin_id: int | None


class MeetingRecorder:
    """Adds the records of a committee's meetings; counts the minutes it wrote, by shape."""

    def __init__(
        self,
        session: Session,
        *,
        rng: random.Random,
        zone: ZoneInfo,
        now: dt.datetime,
        seed: int,
        editors: Editors,
        story: TrendStory | None = None,
    ) -> None:
        self.session = session
        self.story = story
        self.rng = rng
        self.zone = zone
        self.now = now  # everything recorded happened before this moment
        self.seed = seed
        self.editors = editors
        self.minutes = 0
        self.revisions = 0
        self.shapes: Counter[str] = Counter()
        # Shapes are taken in turn, so that every one of them appears.
        self.shape_cycle = list(SHAPES)
        rng.shuffle(self.shape_cycle)

    def record(self, target: DemoCommittee, *, without_minutes: int) -> None:
        """Attendance and agenda of every held meeting, minutes of all but the latest
        `without_minutes`, and a first agenda for the next scheduled meeting."""
        held = [m for m in target.meetings if m.status == "held"]
        with_minutes = len(held) - without_minutes
        for index, meeting in enumerate(held):
            seats = self._seats_on(target, meeting)
            present = self._attendance(meeting, seats)
            self._agenda(meeting, seats)
            if index < with_minutes:
                following = held[index + 1] if index + 1 < len(held) else None
                self._minutes(
                    target, meeting, seats, present, approved_at=following,
                    from_latest=with_minutes - 1 - index,
                )  # fmt: skip
        upcoming = [m for m in target.meetings if m.status == "scheduled"]
        if upcoming:  # the liaison has started the next agenda
            self._agenda(upcoming[0], self._seats_on(target, upcoming[0]), draft=True)

    def _seats_on(self, target: DemoCommittee, meeting: Meeting) -> list[Seat]:
        day = meeting.start_at.astimezone(self.zone).date()
        return [seat for seat in target.seats if seat.membership.active_on(day)]

    def _attendance(self, meeting: Meeting, seats: list[Seat]) -> list[Seat]:
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

    def _agenda(self, meeting: Meeting, seats: list[Seat], *, draft: bool = False) -> None:
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

    def _presenter(self, seats: list[Seat], role: str) -> str | None:
        if role == "chief":
            matching = [seat for seat in seats if seat.title == "Chief"]
        elif role == "police":
            matching = [seat for seat in seats if seat.role == "police" and seat.title != "Chief"]
        else:
            matching = [seat for seat in seats if seat.role == role]
        return self.rng.choice(matching).label if matching else None

    def _minutes(
        self,
        target: DemoCommittee,
        meeting: Meeting,
        seats: list[Seat],
        present: list[Seat],
        *,
        approved_at: Meeting | None,
        from_latest: int,
    ) -> None:
        """Minutes in a shape taken in turn, revised 1–3 times; approved at the next meeting."""
        local_start = meeting.start_at.astimezone(self.zone)
        day = local_start.date()
        include, exclude = (
            self.story.steer(target.plan.slug, day.replace(day=1), from_latest=from_latest)
            if self.story is not None
            else ((), frozenset())
        )
        shape = self.shape_cycle[self.minutes % len(self.shape_cycle)]
        # A generator of its own per meeting: its text does not shift when other data changes.
        own_rng = random.Random(f"{self.seed}:{target.plan.slug}:{day.isoformat()}")  # noqa: S311
        text = write_minutes(
            own_rng,
            city=target.city.name,
            committee=target.committee.name,
            meeting_date=day,
            roster=[RosterEntry(seat.person.name, seat.role, seat.title) for seat in seats],
            present=[seat.person.name for seat in present],
            shape=shape,
            include=include,
            exclude=exclude,
            start=local_start.time(),
            place=meeting.place,
        )
        self.minutes += 1
        self.shapes[shape] += 1
        approval = approved_at.start_at + dt.timedelta(minutes=20) if approved_at else None
        revisions = self._revisions(target, meeting, text, deadline=approval or self.now)
        minutes = Minutes(meeting_id=meeting.id or 0, current_revision=len(revisions))
        if approval is not None:
            self._approve(target, minutes, approval)
        self.session.add(minutes)

    def _revisions(
        self, target: DemoCommittee, meeting: Meeting, text: str, *, deadline: dt.datetime
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
        self.revisions += count
        return revisions

    def _authors(self, target: DemoCommittee) -> list[int | None]:
        """Who writes revisions 1, 2, 3: each a different person from the one before.

        The liaison's cities' minutes are hers, corrected by the admin; other cities' minutes
        were imported from their Word files (no author), then corrected once by the admin.
        """
        admin = self.editors.admin_id
        if target.plan.slug in catalogue.LIAISON_CITIES:
            return [self.editors.liaison_id, admin, self.editors.liaison_id]
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

    def _approve(self, target: DemoCommittee, minutes: Minutes, approval: dt.datetime) -> None:
        in_liaison_city = target.plan.slug in catalogue.LIAISON_CITIES
        approver = self.editors.liaison_id if in_liaison_city else self.editors.admin_id
        minutes.status = "approved"
        minutes.approved_revision = minutes.current_revision
        minutes.approved_by_id = approver
        minutes.approved_at = approval
        if self.now - approval > dt.timedelta(days=60) and self.rng.random() < 0.85:
            minutes.status = "published"
            minutes.published_by_id = approver
            minutes.published_at = approval + dt.timedelta(days=self.rng.randint(1, 7))
