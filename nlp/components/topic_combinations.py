"""Topics said without their terms: a sentence holding words of each of several word lists.

People at a meeting often describe a topic instead of naming it. "Latino students said they
felt targeted when the SRO was there" holds no term of bias-policing, but a group of people and
an act of enforcement together say it; "Lt. Okafor explained the Good Samaritan law" is
community education without its words. A combination is a topic, a weight and two or more word
lists (lemmas, lower case): a sentence holding a word of every list, and none of its `unless`
words, is a mention of the topic, on the first word of the first list, weighed like a term of
that strength (procedure, attendance, names and headings as for terms, see `topic_rules`).

The lists are data, part of the versioned `jcpp.topic_patterns.v1` rules, and they follow the
label definitions (`shared/design/labels.md`), not the wording of any one set of minutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.tokens import Doc, Span

from nlp.components import words

# Groups of people by race, ethnicity or origin, as minutes name them.
GROUP_WORDS = words(
    """black blacks latino latinos latina latinas latinx hispanic hispanics somali somalis
    hmong oromo karen african asian asians native indigenous arab arabs colour color racial
    racially ethnic minority minorities muslim muslims hijab headscarf turban"""
)
# Acts of enforcement that are about someone being singled out, whoever does them.
SINGLING_OUT_WORDS = words(
    """target targeted profile profiled profiling suspicious harass harassed harassment frisk
    frisked scrutiny singled"""
)
# Acts of enforcement that need the police in the sentence ("stopped", "searched" …).
ENFORCEMENT_WORDS = words(
    """stop stopped stops search searched arrest arrested ticket ticketed cite cited citation
    citations detain detained question questioned follow followed watch watched pull pulled
    referral referrals suspect suspects assume assumed"""
)
POLICE_WORDS = words(
    """police officer officers cop cops sro sros squad deputy deputies patrol enforcement
    sergeant lieutenant traffic driver drivers"""
)
# Explaining to people what the law or a police procedure is.
EXPLAINING_WORDS = words(
    """explain explained explaining explanation clarify clarified teach taught educate
    educated overview walked"""
)
LAW_WORDS = words(
    """law laws statute statutes ordinance ordinances legal illegal legally procedure
    procedures allowed permitted warrant consent"""
)
# The committee itself, and what it does about its own membership and officers.
BODY_WORDS = words(
    """member members committee commission commissioner commissioners mac board chair
    chairperson chairman chairwoman panel"""
)
MEMBERSHIP_WORDS = words(
    """vacancy vacancies appoint appointed appointment appointments applicant applicants elect
    elected election elections nominate nominated nomination resign resigned resignation
    reappoint reappointed roster onboarding"""
)
# How the body meets: its time, place and form.
MEETING_WORDS = words("meet meeting meetings")
# (Not "virtual" or "Zoom": the heading of minutes says so of every online meeting.)
MEETING_FORM_WORDS = words("venue venues schedule calendar format room library rotate")


# Police–community trust as such: how people and the police relate. (Not fear alone: people
# worry about many particular things, each its own topic.)
RELATION_WORDS = words(
    """relationship relationships relation relations rapport trust distrust mistrust bridge
    bridges perception perceptions image confidence legitimacy"""
)
POLICE_ONLY_WORDS = words("police officer officers cop cops department uniform uniforms squad")
PEOPLE_WORDS = words(
    """community communities resident residents neighborhood neighborhoods neighbourhood
    people public family families youth immigrant immigrants"""
)
# "… explained how the complaint process works", "… how to file a report".
WORKING_WORDS = words("work works process report file")
# Building, mending or harming a relationship or trust.
REPAIR_WORDS = words(
    """build building rebuild rebuilding repair repairing restore restoring improve improving
    strengthen strengthening heal healing damage damaged harm harmed strain strained regain
    earn earning"""
)
BOND_WORDS = words("relationship relationships relations trust confidence rapport ties")
# Vehicles and how they are driven.
VEHICLE_WORDS = words("car cars vehicle vehicles truck trucks driver drivers motorist motorists")
# (Not "park" or "race": a word is matched on its lemma too, and "parked" is "park", a place,
# "racing" is "race", a group of people.)
DRIVING_WORDS = words("speed speeding crash crashed crashes reckless recklessly swerve swerving")
# Crimes against vehicles are crime, not traffic.
VEHICLE_CRIME_WORDS = words(
    """theft thefts steal stole stolen thief thieves break-in break-ins broke broken
    catalytic converter converters tampering"""
)

# Violence at home: a spouse beaten or abused ("her neighbour beats his wife"). Only words
# that say violence in every sense: not "hit" or "hurt" (a bus, a budget), nor "partner" (an
# agency, an officer's partner).
SPOUSE_WORDS = words("wife wives husband husbands spouse spouses girlfriend boyfriend")
BEATING_WORDS = words(
    """beat beats beating abuse abused abuses abusing slap slapped slapping strangle strangled
    strangling"""
)


def default_combinations() -> list[dict[str, Any]]:
    """The shipped combinations (see the module's docstring)."""
    return [
        {
            "slug": "bias-policing",
            "name": "group singled out",
            "weight": 0.6,
            "lists": [GROUP_WORDS, SINGLING_OUT_WORDS],
        },
        {
            "slug": "bias-policing",
            "name": "group and police enforcement",
            "weight": 0.6,
            "lists": [GROUP_WORDS, ENFORCEMENT_WORDS, POLICE_WORDS],
        },
        {
            "slug": "community-trust",
            "name": "police and community relations",
            "weight": 0.6,
            "lists": [RELATION_WORDS, POLICE_ONLY_WORDS, PEOPLE_WORDS],
        },
        {
            "slug": "community-education",
            "name": "law explained",
            "weight": 0.6,
            "lists": [EXPLAINING_WORDS, LAW_WORDS],
            # The department explaining its own policy changes is policy reform.
            "unless": words("policy policies rewrite rewriting revise revising draft"),
        },
        {
            "slug": "community-education",
            "name": "how something works explained",
            "weight": 0.6,
            "lists": [EXPLAINING_WORDS, words("how"), WORKING_WORDS],
        },
        {
            "slug": "community-trust",
            "name": "relationship built or harmed",
            "weight": 0.45,
            "lists": [BOND_WORDS, REPAIR_WORDS],
        },
        {
            "slug": "traffic-safety",
            "name": "vehicles driven badly",
            "weight": 0.6,
            "lists": [VEHICLE_WORDS, DRIVING_WORDS],
            "unless": VEHICLE_CRIME_WORDS,
        },
        {
            "slug": "domestic-sexual-violence",
            "name": "spouse beaten",
            "weight": 0.6,
            "lists": [BEATING_WORDS, SPOUSE_WORDS],
            # Beaten in a robbery, or by a stranger; abuse of drugs or of the 911 line.
            "unless": words(
                """rob robbed robbery robberies mug mugged stranger strangers substance drug drugs
                alcohol 911 system"""
            ),
        },
        {
            "slug": "committee-business",
            "name": "membership of the body",
            "weight": 0.6,
            "lists": [MEMBERSHIP_WORDS, BODY_WORDS],
        },
        {
            "slug": "committee-business",
            "name": "how the body meets",
            "weight": 0.6,
            "lists": [MEETING_FORM_WORDS, MEETING_WORDS, BODY_WORDS],
        },
    ]


@dataclass(frozen=True)
class Combination:
    slug: str
    name: str
    weight: float
    required: int  # the bits of its word lists (see CombinationFinder)
    first: int  # the bit of its first list
    unless: int  # the bit of its `unless` words (0: none)


class CombinationFinder:
    """Finds the sentences of a document that hold a word of every list of a combination.

    Every word list gets a bit; one look-up per token in the sorted hashes of all listed words
    gives the bits of each token, one `bitwise_or.reduceat` those of each sentence, and a
    combination holds in a sentence whose bits include all of its lists' and none of its
    `unless` words'."""

    def __init__(
        self, specs: Iterable[dict[str, Any]], lemma_hashes: Callable[[str], Iterable[int]]
    ) -> None:
        bits: dict[int, int] = {}  # word hash → bits of the lists that hold it
        lists_seen = 0
        combinations = []

        def add(words_: Iterable[str]) -> int:
            nonlocal lists_seen
            bit = 1 << lists_seen
            lists_seen += 1
            for word in words_:
                for key in lemma_hashes(word):
                    bits[key] = bits.get(key, 0) | bit
            return bit

        for spec in specs:
            lists = [add(words_) for words_ in spec["lists"]]
            unless = add(spec["unless"]) if spec.get("unless") else 0
            combinations.append(
                Combination(
                    slug=str(spec["slug"]),
                    name=str(spec["name"]),
                    weight=float(spec["weight"]),
                    required=sum(lists),
                    first=lists[0],
                    unless=unless,
                )
            )
        if lists_seen > 64:
            raise ValueError("at most 64 word lists in all combinations")
        self.combinations = tuple(combinations)
        keys = sorted(bits)
        self.keys = numpy.array(keys, dtype=numpy.uint64)
        self.bits = numpy.array([bits[k] for k in keys], dtype=numpy.uint64)

    def find(
        self, doc: Doc, lemmas: numpy.ndarray, sent_starts: numpy.ndarray, slugs: frozenset[str]
    ) -> list[tuple[Span, str, float]]:
        """(span, name, weight) per sentence and combination of one of the slugs."""
        chosen = [c for c in self.combinations if c.slug in slugs]
        if not chosen or not len(lemmas) or not len(self.keys):
            return []
        at = numpy.minimum(numpy.searchsorted(self.keys, lemmas), len(self.keys) - 1)
        token_bits = numpy.where(self.keys[at] == lemmas, self.bits[at], numpy.uint64(0))
        if not token_bits.any():
            return []
        sentence_bits = numpy.bitwise_or.reduceat(token_bits, sent_starts)
        ends = numpy.append(sent_starts[1:], len(lemmas))
        found = []
        for combination in chosen:
            required = numpy.uint64(combination.required)
            held = (sentence_bits & required) == required
            if combination.unless:
                held &= (sentence_bits & numpy.uint64(combination.unless)) == 0
            first = numpy.uint64(combination.first)
            for k in numpy.flatnonzero(held).tolist():
                start, end = int(sent_starts[k]), int(ends[k])
                # The first word of the first list in the sentence.
                position = start + int(numpy.argmax((token_bits[start:end] & first) != 0))
                span = Span(doc, position, position + 1, label=combination.slug)
                found.append((span, combination.name, combination.weight))
        return found
