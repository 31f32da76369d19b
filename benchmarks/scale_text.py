"""Names and minutes text for the synthetic state (`benchmarks/scale_data.py`).

Minutes read like the real ones in their shape (heading, who was present, one section per
topic, adjournment), with the topic list's terms in varied sentences, so that evidence offsets
point at real sentences and search has words to find. Filler sentences avoid topic terms.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

_PREFIXES = (
    "Oak", "Maple", "Cedar", "Pine", "Elm", "Birch", "Willow", "Ash", "Spring", "Lake", "River",
    "Stone", "Fair", "Green", "North", "South", "East", "West", "Brook", "Glen", "Mill", "Red",
    "White", "Silver", "Golden", "Clear", "Hill", "Rock", "Sun", "Pleasant",
)  # fmt: skip
_SUFFIXES = (
    "field", "wood", "ville", "ton", "dale", "view", "burg", "port", "haven", "ridge", "mont",
    "ford", "bury", "crest", "land", "side", "water", "by", "vale", "park",
)  # fmt: skip
_VARIANTS = ("", " Heights", " Falls", " Center")
_FIRST = (
    "Amina", "Jorge", "Mai", "Erik", "Maria", "Marcus", "Rosa", "Deng", "Fatima", "Hector",
    "Ingrid", "Kwame", "Lena", "Nadia", "Omar", "Priya", "Quinn", "Samuel", "Tove", "Yusuf",
)  # fmt: skip
_LAST = (
    "Farah", "Castañeda", "Vang", "Lindqvist", "Alvarez", "Okafor", "Rivera", "Nguyen", "Hassan",
    "Johnson", "Larson", "Mensah", "Olson", "Patel", "Schmidt", "Tran", "Warsame", "Yang",
)  # fmt: skip
_STREETS = (
    "Main Street", "Lake Street", "Central Avenue", "Cedar Avenue", "Lyndale Avenue",
    "University Avenue", "County Road 10", "Broadway", "Penn Avenue", "Nicollet Avenue",
    "Highway 55", "Bass Lake Road", "Xerxes Avenue", "Old Shakopee Road", "Rice Street",
)  # fmt: skip
_LANDMARKS = (
    "the library", "the high school", "the community center", "the light rail station",
    "the park and ride", "the shopping center", "the mosque", "the senior center",
    "Lincoln Elementary", "the apartment complex on the east side", "the ice arena",
)  # fmt: skip
_ORGS = (
    "the county attorney's office", "a neighborhood association", "the school district office",
    "a local nonprofit", "the public library", "a faith community", "the chamber of commerce",
)  # fmt: skip
_MENTION = (
    "{speaker} reported on {term} in the neighborhood around {landmark}.",
    "Members discussed {term} and what residents had seen near {street}.",
    "A resident asked what the department is doing about {term}.",
    "{speaker} said that calls about {term} went {updown} by {n} since last month.",
    "The committee reviewed the department's update on {term}.",
    "There was a question about {term} at {landmark}.",
    "{speaker} shared figures on {term} for the {season}.",
    "A guest from {org} spoke about {term} and offered to return next month.",
    "Members asked for more information on {term} before the next meeting.",
    "The chair noted that {term} came up again in conversations with neighbors.",
    "{speaker} explained how the city handles {term} and took questions.",
    "Residents at {landmark} have asked about {term} several times this {season}.",
)
_CONCERN = (
    "Residents are worried about {term} near {street}.",
    "A resident raised a concern about {term} on {street} and asked for more patrols.",
    "Several members said neighbors are concerned about {term} around {landmark}.",
    "A parent said families near {landmark} no longer feel safe because of {term}.",
)
_FILLER = (
    "The chair thanked everyone for coming.",
    "Members agreed to keep the item on next month's agenda.",
    "{speaker} answered questions from members.",
    "The committee will return to this at a later meeting.",
    "Copies of the handout were shared with everyone present.",
    "{n} guests attended and signed in at the door.",
    "A member asked that the slides be sent out with the minutes.",
    "{speaker} will bring an update to the {month} meeting.",
)
# Discussion around the topics, for minutes of realistic length (`--long-minutes`): varied
# words, none of the topic list's but "handout", "subcommittee" and "welcome new".
_DISCUSSION = (
    "{speaker} walked members through the handout and answered questions about the timeline.",
    "A member from the {season} outreach group described what neighbors near {landmark} said.",
    "Members talked about how to reach families who do not read the city newsletter.",
    "{speaker} said the department would check with {org} and report back in {month}.",
    "The chair asked whether the schedule for the {season} still works for everyone.",
    "A guest thanked the committee for holding the meeting at {landmark}.",
    "Members compared notes on what they heard at the block meetings along {street}.",
    "{speaker} clarified which office answers questions from residents about permits.",
    "There was a long exchange about wording before the committee agreed to move on.",
    "A member suggested inviting {org} to a future meeting to present their work.",
    "{n} people had filled in the comment cards, which the liaison will summarize.",
    "Members asked that future presentations include plain-language summaries.",
    "{speaker} described the changes to the front desk hours at the station.",
    "The committee discussed how to welcome new residents who moved in this {season}.",
    "A resident shared a personal story and thanked officers who had helped her family.",
    "Members agreed that the subcommittee notes should be posted with the agenda.",
    "{speaker} noted that the budget process starts in {month} and invited comments.",
    "Several members stressed that follow-through matters more than new plans.",
)
_EMERGING = (
    "Residents asked about {term} problems on {street}.",
    "{speaker} said the city is looking into {term} complaints near {landmark}.",
)
_AGENDA = ("{name}", "{name}: update", "{name} discussion", "Report on {name}")
_SEASONS = ("spring", "summer", "fall", "winter", "quarter", "year so far")


def city_name(index: int) -> str:
    """A unique, made-up city name for each index (up to 2,400)."""
    prefix = _PREFIXES[index % len(_PREFIXES)]
    rest = index // len(_PREFIXES)
    suffix = _SUFFIXES[rest % len(_SUFFIXES)]
    return prefix + suffix + _VARIANTS[rest // len(_SUFFIXES)]


def person_names(rng: random.Random) -> list[tuple[str, str | None]]:
    """A committee's roster: a chair, four members and a police officer (name, title)."""
    names = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(6)]
    return [(name, None) for name in names[:5]] + [(names[5], rng.choice(("Lt.", "Sgt.")))]


def agenda_title(rng: random.Random, topic_name: str) -> str:
    return rng.choice(_AGENDA).format(name=topic_name)


@dataclass(frozen=True)
class Found:
    """A sentence written into the minutes, and where the term is in it (text offsets)."""

    start: int
    end: int
    sentence: str
    term: str
    term_start: int
    term_end: int


class MinutesWriter:
    """Builds one meeting's minutes, keeping track of offsets and of the terms used."""

    def __init__(self, rng: random.Random, committee: str, local_start: dt.datetime) -> None:
        self.rng = rng
        self.parts: list[str] = [f"# {committee}"]
        self.length = len(self.parts[0])
        self.new_paragraph = True
        self.start = local_start
        self.terms: Counter[str] = Counter()

    def _add(self, piece: str) -> None:
        self.parts.append(piece)
        self.length += len(piece)

    def _sentence(self, template: str, term: str = "") -> Found:
        rng = self.rng
        sentence = template.format(
            term=term,
            speaker=rng.choice(("Lt. Okafor", "Chief Alvarez", "Sgt. Tran", "the liaison")),
            street=rng.choice(_STREETS),
            landmark=rng.choice(_LANDMARKS),
            org=rng.choice(_ORGS),
            season=rng.choice(_SEASONS),
            updown=rng.choice(("up", "down")),
            n=rng.randint(2, 40),
            month=(self.start + dt.timedelta(days=31)).strftime("%B"),
        )
        self._add("\n\n" if self.new_paragraph else " ")
        self.new_paragraph = False
        start = self.length
        self._add(sentence)
        at = sentence.find(term) if term else 0
        return Found(start, self.length, sentence, term, start + at, start + at + len(term))

    def heading(self, title: str) -> None:
        self._add(f"\n\n## {title}")
        self.new_paragraph = True

    def opening(self, present: list[str], place: str) -> None:
        day = self.start.strftime("%B %d, %Y")
        self._sentence(f"Minutes of the regular meeting of {day}, held at {place}.")
        self.new_paragraph = True
        self._sentence("Present: " + ", ".join(present) + ".")
        self.heading("Call to order")
        minute = self.rng.randint(30, 39)
        self._sentence(f"The chair called the meeting to order at 6:{minute} p.m.")
        self.heading("Approval of the agenda and minutes")
        self._sentence("The agenda and the minutes of the previous meeting were approved.")

    def mention(self, term: str) -> Found:
        found = self._sentence(self.rng.choice(_MENTION), term)
        self.terms[term.lower()] += 1
        if self.rng.random() < 0.5:
            self._sentence(self.rng.choice(_FILLER))
        return found

    def concern(self, term: str) -> Found:
        self.terms[term.lower()] += 1
        return self._sentence(self.rng.choice(_CONCERN), term)

    def emerging(self, term: str) -> None:
        self.heading("Community concerns")
        self._sentence(self.rng.choice(_EMERGING), term)
        self.terms[term] += 2

    def discussion(self, words: int) -> None:
        """About `words` words of discussion around the topics (see _DISCUSSION)."""
        target = self.length + words * 6
        while self.length < target:
            self._sentence(self.rng.choice(_DISCUSSION))

    def closing(self) -> None:
        self.heading("Adjournment")
        self._sentence(f"The meeting adjourned at 8:{self.rng.randint(0, 15):02d} p.m.")

    def text(self) -> str:
        return "".join(self.parts) + "\n"

    def keywords(self) -> list[tuple[str, float, int]]:
        top = self.terms.most_common(8)
        total = sum(count for _term, count in top) or 1
        return [(term, count / total, count) for term, count in top]
