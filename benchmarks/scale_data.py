"""Synthetic state-scale data for `benchmarks/scale.py`, as plain rows table by table.

About 850 cities (times `--scale`), one committee each, a meeting a month for ten years up to
last month, minutes of a few hundred words per meeting built from the topic list's own terms (so
that search finds them), about ten evidence sentences per meeting over two to five topics, the
meeting's topics, some concerns, agenda items, attendance and follow-ups.

Each city has its own mix of topics; about a third of the cities get one topic that rises (four
times its weight from a month on), and two topics spread: absent everywhere until, city after
city, they start being raised in the last two years. A few keywords that match no topic grow
county-wide in the last year ("new terms"). Everything is drawn from `random.Random` seeded per
city, so the same parameters give the same rows, and ids are given here (the tables start empty).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.scale_text import MinutesWriter, agenda_title, city_name, person_names

GENERATOR_VERSION = 1
STATE_CITIES = 850
MONTHS = 120
PIPELINE_VERSION = "scale-bench-1"
SPREADING_TOPICS = ("human-trafficking", "surveillance-tech")
EMERGING_TERMS = ("e-scooter", "short-term rental", "catalytic converter", "delivery robot")

Row = tuple[Any, ...]

TABLES: dict[str, tuple[str, ...]] = {
    "city": ("id", "name", "slug", "is_demo", "created_at"),
    "committee": (
        "id", "city_id", "name", "slug", "kind", "meeting_rule", "meeting_minutes",
        "default_place", "active", "created_at",
    ),
    "person": ("id", "name", "title", "created_at"),
    "membership": ("id", "committee_id", "person_id", "role", "start_date", "end_date"),
    "meeting": (
        "id", "committee_id", "start_at", "end_at", "place", "status", "from_rule",
        "guest_count", "version", "created_at", "updated_at",
    ),
    "minutes": ("id", "meeting_id", "status", "current_revision", "approved_revision"),
    "minutes_revision": ("id", "meeting_id", "number", "text", "created_at"),
    "minutes_analysis": (
        "id", "meeting_id", "revision_number", "pipeline_version", "topic_list_version",
        "keywords", "people", "warnings", "analysed_at",
    ),
    "agenda_item": ("id", "meeting_id", "position", "title", "presenter"),
    "attendance": ("id", "meeting_id", "person_id", "status"),
    "meeting_topic": (
        "id", "meeting_id", "topic_id", "state", "origin", "score", "matched",
        "pipeline_version", "reviewed_at", "created_at",
    ),
    "topic_mention": (
        "id", "meeting_id", "revision_number", "topic_id", "start", "end", "text",
        "sentence_start", "sentence_end", "sentence", "score", "matched", "source",
        "pipeline_version",
    ),
    "concern": (
        "id", "meeting_id", "revision_number", "start", "end", "text", "state", "origin",
        "score", "reviewed_at", "created_at",
    ),
    "concern_topic": ("concern_id", "topic_id"),
    "follow_up": (
        "id", "meeting_id", "title", "description", "owner_text", "due_date", "status",
        "version", "created_at", "updated_at", "closed_at",
    ),
    "follow_up_topic": ("follow_up_id", "topic_id"),
}  # fmt: skip
FOLLOW_UP_STATUSES = ("open", "acknowledged", "in_progress", "reported_done", "verified_done")


@dataclass(frozen=True)
class Params:
    scale: float
    seed: int
    last_month: dt.date  # first day of the newest month with meetings
    topic_list: str = ""  # version of the shipped topic list, whose terms the minutes use
    # Minutes of the lengths real ones have (a few hundred to about 1,500 words, `domain.md`),
    # not about 300 words: the same topics, with discussion around them.
    long_minutes: bool = False

    @property
    def cities(self) -> int:
        return max(2, round(STATE_CITIES * self.scale))

    @property
    def first_month(self) -> dt.date:
        return add_months(self.last_month, -(MONTHS - 1))

    def key(self) -> str:
        """Names the generated database: any change of parameters, generator or topic list
        is a new one."""
        month = f"{self.last_month:%Y%m}"
        long = "-long" if self.long_minutes else ""
        return f"v{GENERATOR_VERSION}-x{self.scale:g}-s{self.seed}-{month}-t{self.topic_list}{long}"


@dataclass(frozen=True)
class TopicInfo:
    id: int
    slug: str
    name: str
    terms: tuple[str, ...]  # strong terms only (no "|weight"), as people write them


@dataclass
class Ids:
    """The next id of each table."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        value = self.next.get(table, 1)
        self.next[table] = value + 1
        return value


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def third_wednesday(month: dt.date) -> dt.date:
    first_wednesday = 1 + (2 - month.weekday()) % 7
    return month.replace(day=first_wednesday + 14)


@dataclass(frozen=True)
class CityProfile:
    weights: list[float]  # per topic, before rises and spreads
    rising: tuple[int, int] | None  # (topic index, first month index) or None
    spread_start: dict[int, int]  # topic index -> first month index it is raised


class StateGenerator:
    """Yields the rows of a batch of cities at a time (`batches`)."""

    def __init__(self, params: Params, topics: list[TopicInfo], zone: ZoneInfo) -> None:
        self.params = params
        self.topics = topics
        self.zone = zone
        self.ids = Ids()
        self.now = dt.datetime.combine(
            add_months(params.last_month, 1), dt.time(), tzinfo=zone
        ).astimezone(dt.UTC)
        self.spreading = [i for i, t in enumerate(topics) if t.slug in SPREADING_TOPICS]
        self.meeting_count = 0

    def batches(self, size: int = 20) -> Iterator[dict[str, list[Row]]]:
        for first in range(0, self.params.cities, size):
            rows: dict[str, list[Row]] = {table: [] for table in TABLES}
            for index in range(first, min(first + size, self.params.cities)):
                self._city(rows, index)
            yield rows

    def _profile(self, rng: random.Random) -> CityProfile:
        weights = [rng.gammavariate(0.7, 1.0) for _ in self.topics]
        for index in self.spreading:
            weights[index] = max(weights[index], 0.8)
        rising = None
        if rng.random() < 0.35:
            rising = (rng.randrange(len(self.topics)), rng.randrange(36, MONTHS - 6))
        spread_start = {}
        for index in self.spreading:
            adopts = rng.random() < 0.45
            spread_start[index] = rng.randrange(MONTHS - 24, MONTHS) if adopts else MONTHS
        return CityProfile(weights, rising, spread_start)

    def _weights(self, profile: CityProfile, month_index: int) -> list[float]:
        weights = list(profile.weights)
        for index, start in profile.spread_start.items():
            if month_index < start:
                weights[index] = 0.0
        if profile.rising is not None and month_index >= profile.rising[1]:
            weights[profile.rising[0]] *= 4.0
        return weights

    def _city(self, rows: dict[str, list[Row]], index: int) -> None:
        rng = random.Random(f"{self.params.seed}-city-{index}")
        name = city_name(index)
        slug = name.lower().replace(" ", "-")
        created = self.now - dt.timedelta(days=3700)
        city_id = self.ids.take("city")
        rows["city"].append((city_id, name, slug, False, created))
        committee_id = self.ids.take("committee")
        committee = f"{name} Multicultural Advisory Committee"
        rule = "FREQ=MONTHLY;BYDAY=WE;BYSETPOS=3;BYHOUR=18;BYMINUTE=30"
        place = f"{name} City Hall, Council Chambers"
        rows["committee"].append(
            (committee_id, city_id, committee, f"{slug}-mac", "mac", rule, 90, place, True, created)
        )
        roster = self._roster(rows, rng, committee_id, created)
        profile = self._profile(rng)
        for month_index in range(MONTHS):
            month = add_months(self.params.first_month, month_index)
            if rng.random() < 0.03:
                self._meeting_row(rows, committee_id, month, place, "cancelled")
                continue
            meeting_id, start = self._meeting_row(rows, committee_id, month, place, "held")
            context = _MeetingContext(meeting_id, start, month_index, name, committee, place)
            self._minutes(rows, rng, context, roster, self._weights(profile, month_index))

    def _roster(
        self, rows: dict[str, list[Row]], rng: random.Random, committee_id: int, at: dt.datetime
    ) -> list[tuple[int, str]]:
        roster = []
        for position, (person, title) in enumerate(person_names(rng)):
            person_id = self.ids.take("person")
            rows["person"].append((person_id, person, title, at))
            role = "chair" if position == 0 else "police" if title else "member"
            start = self.params.first_month
            rows["membership"].append(
                (self.ids.take("membership"), committee_id, person_id, role, start, None)
            )
            roster.append((person_id, f"{title} {person}" if title else person))
        return roster

    def _meeting_row(
        self, rows: dict[str, list[Row]], committee_id: int, month: dt.date, place: str, status: str
    ) -> tuple[int, dt.datetime]:
        day = third_wednesday(month)
        start = dt.datetime.combine(day, dt.time(18, 30), tzinfo=self.zone).astimezone(dt.UTC)
        end = start + dt.timedelta(minutes=90)
        meeting_id = self.ids.take("meeting")
        created = start - dt.timedelta(days=30)
        rows["meeting"].append(
            (meeting_id, committee_id, start, end, place, status, True, 0, 1, created, start)
        )
        self.meeting_count += 1
        return meeting_id, start

    def _minutes(
        self,
        rows: dict[str, list[Row]],
        rng: random.Random,
        meeting: _MeetingContext,
        roster: list[tuple[int, str]],
        weights: list[float],
    ) -> None:
        meeting_id, saved = meeting.id, meeting.start + dt.timedelta(days=2)
        present = [entry for entry in roster if rng.random() > 0.15] or roster[:1]
        for person_id, _name in roster:
            status = "present" if (person_id, _name) in present else "absent"
            rows["attendance"].append((self.ids.take("attendance"), meeting_id, person_id, status))
        chosen = self._choose_topics(rng, weights)
        writer = MinutesWriter(rng, meeting.committee, meeting.start.astimezone(self.zone))
        writer.opening([name for _id, name in present], meeting.place)
        reviewed = meeting.month_index < MONTHS - 3
        mention_counts = self._spread_mentions(rng, len(chosen))
        discussion = 0  # words around the topics
        if self.params.long_minutes:
            # About 300 words of topics and procedure; in all 300-1,500 words (median 658 counted).
            discussion = min(1500, max(300, round(rng.lognormvariate(6.55, 0.45)))) - 300
        agenda = ["Call to order", "Approval of the agenda and minutes"]
        for topic_index, count in zip(chosen, mention_counts, strict=True):
            topic = self.topics[topic_index]
            agenda.append(agenda_title(rng, topic.name))
            self._topic_section(rows, rng, writer, meeting, topic, count, reviewed, saved)
            writer.discussion(discussion // len(chosen))
        if meeting.month_index >= MONTHS - 12 and rng.random() < 0.3 + meeting.month_index / 400:
            writer.emerging(rng.choice(EMERGING_TERMS))
        writer.closing()
        agenda.append("Adjournment")
        for position, title in enumerate(agenda, start=1):
            presenter = rng.choice(roster)[1] if position > 2 else None
            rows["agenda_item"].append(
                (self.ids.take("agenda_item"), meeting_id, position, title, presenter)
            )
        text = writer.text()
        rows["minutes"].append((self.ids.take("minutes"), meeting_id, "published", 1, 1))
        rows["minutes_revision"].append(
            (self.ids.take("minutes_revision"), meeting_id, 1, text, saved)
        )
        keywords = [
            {"term": term, "score": round(score, 3), "count": count}
            for term, score, count in writer.keywords()
        ]
        rows["minutes_analysis"].append(
            (
                self.ids.take("minutes_analysis"), meeting_id, 1, PIPELINE_VERSION, "scale",
                keywords, [], [], saved,
            )
        )  # fmt: skip

    def _choose_topics(self, rng: random.Random, weights: list[float]) -> list[int]:
        wanted = rng.randint(2, 5)
        chosen: list[int] = []
        candidates = [i for i, w in enumerate(weights) if w > 0]
        while len(chosen) < wanted and candidates:
            pick = rng.choices(candidates, weights=[weights[i] for i in candidates])[0]
            chosen.append(pick)
            candidates.remove(pick)
        return chosen

    def _spread_mentions(self, rng: random.Random, topics: int) -> list[int]:
        total = max(topics, rng.randint(7, 13))
        counts = [1] * topics
        for _ in range(total - topics):
            counts[rng.randrange(topics)] += 1
        return counts

    def _topic_section(
        self,
        rows: dict[str, list[Row]],
        rng: random.Random,
        writer: MinutesWriter,
        meeting: _MeetingContext,
        topic: TopicInfo,
        count: int,
        reviewed: bool,
        saved: dt.datetime,
    ) -> None:
        state = _review_state(rng) if reviewed else "proposed"
        reviewed_at = saved + dt.timedelta(days=5) if state != "proposed" else None
        writer.heading(topic.name)
        matched: list[str] = []
        for _ in range(count):
            term = rng.choice(topic.terms)
            concern = rng.random() < 0.1
            found = writer.concern(term) if concern else writer.mention(term)
            matched.append(term)
            rows["topic_mention"].append(
                (
                    self.ids.take("topic_mention"), meeting.id, 1, topic.id, found.term_start,
                    found.term_end, term, found.start, found.end, found.sentence, 1.0, term,
                    "rules", PIPELINE_VERSION,
                )
            )  # fmt: skip
            if concern:
                self._concern(rows, rng, meeting, topic, found, reviewed, saved)
        rows["meeting_topic"].append(
            (
                self.ids.take("meeting_topic"), meeting.id, topic.id, state, "nlp",
                round(min(1.0, 0.4 + 0.1 * count), 2), sorted(set(matched)), PIPELINE_VERSION,
                reviewed_at, saved,
            )
        )  # fmt: skip

    def _concern(
        self,
        rows: dict[str, list[Row]],
        rng: random.Random,
        meeting: _MeetingContext,
        topic: TopicInfo,
        found: Any,
        reviewed: bool,
        saved: dt.datetime,
    ) -> None:
        state = _review_state(rng) if reviewed else "proposed"
        reviewed_at = saved + dt.timedelta(days=5) if state != "proposed" else None
        concern_id = self.ids.take("concern")
        rows["concern"].append(
            (
                concern_id, meeting.id, 1, found.start, found.end, found.sentence, state, "nlp",
                0.8, reviewed_at, saved,
            )
        )  # fmt: skip
        rows["concern_topic"].append((concern_id, topic.id))
        if rng.random() < 0.3:
            self._follow_up(rows, rng, meeting, topic, found.term, saved)

    def _follow_up(
        self,
        rows: dict[str, list[Row]],
        rng: random.Random,
        meeting: _MeetingContext,
        topic: TopicInfo,
        term: str,
        saved: dt.datetime,
    ) -> None:
        follow_up_id = self.ids.take("follow_up")
        status = rng.choice(FOLLOW_UP_STATUSES)
        closed = saved + dt.timedelta(days=40) if status == "verified_done" else None
        due = (meeting.start + dt.timedelta(days=28)).date()
        title = f"Report back on {term} ({topic.name.lower()})"
        description = f"Raised at the {meeting.city} meeting: residents asked about {term}."
        owner = rng.choice(("Police Department", "Public Works", "City staff", "Lt. Okafor"))
        rows["follow_up"].append(
            (
                follow_up_id, meeting.id, title, description, owner, due, status, 1, saved,
                closed or saved, closed,
            )
        )  # fmt: skip
        rows["follow_up_topic"].append((follow_up_id, topic.id))


@dataclass(frozen=True)
class _MeetingContext:
    id: int
    start: dt.datetime
    month_index: int
    city: str
    committee: str
    place: str


def _review_state(rng: random.Random) -> str:
    draw = rng.random()
    return "confirmed" if draw < 0.55 else "rejected" if draw < 0.6 else "proposed"
