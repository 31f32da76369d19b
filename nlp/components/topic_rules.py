"""Context rules of topic matching: names and titles, procedure, attendance, context, scoring.

The word lists are data, returned by the registered, versioned `jcpp.topic_patterns.v1`
(`default_rules`); a change to them or to these rules bumps `nlp.PIPELINE_VERSION`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.tokens import Doc, Span, Token

from nlp.components import tokentable, words
from nlp.components.topic_combinations import default_combinations

OFFICER_WORDS = words(
    """officer officers police department dept sworn patrol deputy deputies sergeant
    sergeants sgt lieutenant lt recruit recruits cadet cadets squad cop cops enforcement chief
    pd investigator investigators detective detectives k9 dispatcher dispatchers trooper troopers
    mpd sheriff"""
)
MEMBER_WORDS = words(
    """member members committee commission commissioner commissioners mac board
    chair chairperson chairman chairwoman"""
)
# Words of a sentence that make graffiti or harassment a bias incident (one token each: the
# tokenizer splits "anti-Muslim" into "anti", "-", "muslim").
BIAS_WORDS = words(
    """hate hateful bias biased racist racism racial slur slurs swastika antisemitic
    antisemitism semitic islamophobic islamophobia homophobic transphobic xenophobic lgbtq lgbt
    muslim muslims jewish somali black asian latino immigrant immigrants targeted"""
)
PROTEST_WORDS = words(
    """protest protester protestor demonstration demonstrator unrest riot loot
    trial verdict emergency guard rally march marcher vigil crowd"""
)
TRAFFIC_WORDS = words(
    """car cars driver drivers drive driving vehicle vehicles street streets road
    traffic speed pedestrian intersection crosswalk bike bicycle bus lane highway hwy avenue ave
    st blvd boulevard parking park"""
)
STOP_WORDS = words(
    """driver drivers drive driving car cars vehicle vehicles traffic squad pull stop
    license registration taillight search"""
)
TRAINING_EVENT_WORDS = words("""attend complete take receive give get offer hold provide""")


# A weekday with its date and year, as the opening line of minutes gives it ("Tuesday,
# December 15, 2009"); a meeting still to come is seldom written with its year.
DATED_DAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\W+"
    r"(?:[a-z]+\.?\s+\d{1,2}|\d{1,2}/\d{1,2})\W+(?:19|20)\d\d\b"
)


def default_rules() -> dict[str, Any]:
    """Word lists (lower-case lemmas) the context rules use; versioned as jcpp.topic_patterns.v1."""
    return {
        # Last words of names of bodies, places, events and titles: a term inside such a
        # capitalised name ("Traffic Safety Committee", "Training Room") is not a mention.
        "name_heads": words(
            """committee commission board council chair chairperson co-chair room hall outing
            golf gala foundation association coalition award awards fund office unit division
            bureau department task force league club center centre institute network alliance
            society church mosque temple clinic university college street avenue road
            boulevard park plaza building stoppers coordinator coordinators director manager
            workgroup bank partnership authority agency panel"""
        ),
        # Last words of job titles: a term right before one names the job ("Crime Prevention
        # Officer"), not one after it ("Police Officer Body Cameras").
        "title_heads": words("officer"),
        # A body's name goes on through one of these ("Advisory Committee on Police Community
        # Relations", "Task Force on 21st Century Policing").
        "name_links": words("on of for"),
        # A term right before one of these names a day ("New Americans Day picnic"), not its
        # topic (except community events' own terms, "Juneteenth Day").
        "event_heads": words("day"),
        # A line starting with one of these and a colon lists who attended, or where and
        # when the meeting was ("Location: Fairhaven Youth Center").
        "attendance_labels": words(
            """present absent staff police pd attendance attending guest guests visitor visitors
            county jcpp liaison members commissioners excused also others city location venue
            place where facilitator moderator recorder presiding interpreter roll"""
        ),
        "attendance_words": words("present absent attend represent excuse guest"),
        "approval_words": words("approve approval adopt amend accept defer correction correct"),
        "procedure_patterns": [
            # A roll call item or vote; not "training at roll call" (a police briefing).
            r"^\W*(?:\w{1,4}\W+)?roll call\b",
            r"\broll call (?:vote|be take|take)\b",
            r"\bcall (?:the meeting )?to order\b",
            r"\bcall by the (?:chair|president|mayor)\b",
            r"\badjourn",
            r"\bquorum\b",
            r"\brecord by\b",
            r"\brespectfully submit",
            # "The meeting … was convened at 7:45 P.M. by Alderman Romain at the Civic Center"
            r"\bbe convene (?:at|by|on)\b",
            # reciting the pledge or the body's mission statement
            r"\brecite the (?:pledge|mission|vision|oath)\b",
            # the opening line of minutes: when (a day with its year) and where the body met
            rf"\bmeet on {DATED_DAY}",
            rf"^\W*(?:\w+\W+)?meeting\b(?:\W+\w+){{0,16}}?\W+be hold (?:on )?{DATED_DAY}",
            rf"\bhold (?:a|its|their) (?:\w+\W+){{0,3}}meeting\b.{{0,120}}?\bon {DATED_DAY}",
        ],
        # Weak terms of these topics count fully only with one of the words in their sentence
        # or its section heading; otherwise their weight is multiplied by the factor.
        "needs_context": {
            "training": {"words": OFFICER_WORDS, "factor": 0.3},
            # (an appeal or a finding is oversight's own word: "Status of Complaints and Appeals")
            "complaints-oversight": {
                "words": OFFICER_WORDS
                + words("appeal appeals allegation allegations misconduct sustained unfounded"),
                "factor": 0.5,
            },
            "recruitment-staffing": {"words": OFFICER_WORDS + ["staffing", "csos"], "factor": 0.4},
            "use-of-force": {"words": OFFICER_WORDS, "factor": 0.6},
            "committee-business": {"words": MEMBER_WORDS + ["bylaw", "seat"], "factor": 0.4},
            "protests-public-order": {"words": PROTEST_WORDS, "factor": 0.25},
            "traffic-safety": {"words": TRAFFIC_WORDS, "factor": 0.4},
            "traffic-stops": {"words": STOP_WORDS, "factor": 0.4},
            # graffiti, harassment, a vandalized mosque: a hate or bias incident when the
            # sentence says so, else mostly vandalism or a dispute
            "hate-bias-incidents": {"words": BIAS_WORDS, "factor": 0.5},
        },
        # A term ending in one of these, after another capitalised word, ends the name of a
        # place ("Fairhaven Youth Center", "Eastside Teen Center").
        "place_heads": words("center centre room hall building plaza library clinic"),
        # Words right after a term that make it part of the name of a body or place
        # ("violent crime task force", "training room").
        "compound_heads": words(
            "task force room rm center centre facility bureau office newsletter"
        ),
        # A sentence naming three or more kinds of crime is a crime report ("part 1 crimes
        # (homicide, sex assault, robbery …)"): one kind in it is not its own topic.
        "crime_list": {
            "words": words(
                """homicide murder robbery burglary larceny theft assault rape shooting arson
                vandalism prostitution gambling gamble carjacking stabbing stalking stalk
                harassment trespass fraud"""
            ),
            "least": 3,
            "topics": [
                "gun-violence",
                "domestic-sexual-violence",
                "human-trafficking",
                "drugs-alcohol",
            ],
            "factor": 0.4,
        },
        # Training given to the committee's own members is the committee's business.
        "member_training": {
            "from": "training",
            "to": "committee-business",
            "weight": 0.6,
            "verbs": TRAINING_EVENT_WORDS,
        },
        # Two or more languages named in one sentence, with English or a word about speaking
        # or materials, are about language access ("a flyer in English, Spanish and Somali").
        "language_list": {
            "slug": "language-access",
            "weight": 0.6,
            "languages": words(
                """english spanish somali hmong oromo karen amharic tigrinya arabic vietnamese
                chinese mandarin cantonese russian ukrainian lao khmer swahili french
                portuguese haitian creole nepali burmese korean tagalog hindi urdu bengali
                farsi dari pashto"""
            ),
            "cues": words(
                """english speaker speak speaking language version flyer translate translation
                handout material brochure interpreter form sign"""
            ),
        },
        # Topics described without their terms: a word of every list in one sentence.
        "combinations": default_combinations(),
        "officer_words": OFFICER_WORDS,
        "member_words": MEMBER_WORDS,
        "heading_factor": 1.6,
        # A term right after "no" ("no firearms were discharged", "no curfew is planned")
        # counts this much: what did not happen is seldom what was discussed.
        "negated_factor": 0.5,
        # A term's second, third … mention counts this much less each time.
        "repeat_decay": 0.6,
    }


# Lower-case words a capitalised name may hold ("Use of Force Workgroup").
NAME_JOINERS = frozenset(words("of and for on the in"))
PROCEDURE_TRIGGERS = frozenset(
    words("roll call adjourn adjournment quorum record respectfully recite meet hold convene")
)
# Words of a title line that names the meeting itself, and how many lines a title may have.
MEETING_WORDS = frozenset(words("minute meeting session"))
TITLE_LINES = 4
EVENTS = "community-events"
NUMBERED_LINE = re.compile(r"\s*\(?(?:\d{1,3}|[A-Za-z]|[IVXLC]{1,6})[.):]\s")


# Lemma strings by hash, shared by all documents (a string's hash does not depend on the store,
# and a look-up here is much cheaper than one in a StringStore); emptied when it grows too large.
_LEMMA_STRINGS: dict[int, str] = {}
MAX_LEMMA_STRINGS = 500_000


@dataclass
class DocArrays:
    """Per-document arrays the rules read instead of token objects, and a sentence cache."""

    lemmas: numpy.ndarray
    titles: numpy.ndarray
    spaces: numpy.ndarray
    puncts: numpy.ndarray
    uppers: numpy.ndarray
    alphas: numpy.ndarray
    sent_starts: numpy.ndarray
    cache: dict[int, SentenceInfo]
    # Per token, its sentence's number, and the sentences' edges (made on first use): a list
    # look-up is much cheaper than a `searchsorted` call per mention.
    owners: list[int] | None = None
    edges: list[int] | None = None
    words: list[str] | None = None  # per token, its lemma (made on first use)
    # Running counts (entry k: among the first k tokens), so that a count over a sentence is
    # two list look-ups instead of a numpy reduction (made on first use, see `counts`).
    title_sums: list[int] | None = None
    word_sums: list[int] | None = None  # tokens neither white space nor punctuation
    # Per token, the last token up to it that is not white space (-1: none).
    last_solid: list[int] | None = None
    # Per token, whether it is alphabetic, and whether title-case or upper-case (lists).
    alpha_list: list[bool] | None = None
    capital_list: list[bool] | None = None
    # Per sentence (by its first token), whether all its alphabetic tokens are upper case.
    all_caps: dict[int, bool] | None = None
    # Where the lines of the document's title end (the headings it opens with).
    title_end: int | None = None

    def word_of(self, doc: Doc) -> list[str]:
        """The lemma of every token (one string look-up per lemma not seen before)."""
        if self.words is None:
            hashes = self.lemmas.tolist()
            known = _LEMMA_STRINGS
            missing = set(hashes).difference(known)
            if missing:
                if len(known) + len(missing) > MAX_LEMMA_STRINGS:
                    known.clear()
                    missing = set(hashes)
                strings = doc.vocab.strings
                known.update({h: strings[h] for h in missing})
            self.words = list(map(known.__getitem__, hashes))
        return self.words

    def counts(self) -> tuple[list[int], list[int], list[int]]:
        """(title_sums, word_sums, last_solid), made on first use."""
        if self.title_sums is None or self.word_sums is None or self.last_solid is None:
            zero = numpy.zeros(1, dtype=numpy.int64)
            self.title_sums = numpy.concatenate((zero, numpy.cumsum(self.titles))).tolist()
            solid = ~self.spaces
            words_ = solid & ~self.puncts
            self.word_sums = numpy.concatenate((zero, numpy.cumsum(words_))).tolist()
            index = numpy.where(solid, numpy.arange(len(solid)), -1)
            self.last_solid = numpy.maximum.accumulate(index).tolist() if len(index) else []
        return self.title_sums, self.word_sums, self.last_solid

    def capitals(self) -> tuple[list[bool], list[bool]]:
        """(alpha_list, capital_list), made on first use."""
        if self.alpha_list is None or self.capital_list is None:
            self.alpha_list = self.alphas.tolist()
            self.capital_list = (self.titles | self.uppers).tolist()
        return self.alpha_list, self.capital_list

    def sentence_all_caps(self, start: int, end: int) -> bool:
        """Whether the sentence [start, end) has alphabetic tokens, all in upper case."""
        if self.all_caps is None:
            self.all_caps = {}
        found = self.all_caps.get(start)
        if found is None:
            alphas = self.alphas[start:end]
            found = self.all_caps[start] = bool(
                alphas.any() and bool(self.uppers[start:end][alphas].all())
            )
        return found

    @classmethod
    def of(cls, doc: Doc, *, share: bool = False) -> DocArrays:
        """The doc's arrays; with `share`, read as part of the table the later steps take
        their columns from (see `tokentable`)."""
        names: list[int | str] = [
            "IS_TITLE",
            "IS_SPACE",
            "IS_PUNCT",
            "IS_UPPER",
            "IS_ALPHA",
            "SENT_START",
        ]
        if share:
            table = tokentable.share(doc)
            flags = table[:, [tokentable.COLUMNS.index(name) for name in names]]
            lemmas = table[:, tokentable.COLUMNS.index("LEMMA")].copy()
        else:
            flags = doc.to_array(names)
            lemmas = doc.to_array(["LEMMA"]).ravel()
        flags = flags.astype(numpy.int64)
        starts = numpy.flatnonzero(flags[:, 5] == 1)
        if len(doc) and (len(starts) == 0 or starts[0] != 0):
            starts = numpy.concatenate(([0], starts))
        title, space, punct, upper, alpha = (flags[:, k] == 1 for k in range(5))
        return cls(lemmas, title, space, punct, upper, alpha, starts, {})

    def bounds(self, i: int) -> tuple[int, int]:
        """The token range of the sentence that holds token i."""
        if self.owners is None or self.edges is None:
            self.owners, self.edges = sentence_owners(self.sent_starts, len(self.lemmas))
        k = self.owners[min(i, len(self.owners) - 1)]
        return self.edges[k], self.edges[k + 1]


def sentence_owners(starts: numpy.ndarray, size: int) -> tuple[list[int], list[int]]:
    """Per token, the number of its sentence; and the sentences' starts with the end after."""
    owners = numpy.searchsorted(starts, numpy.arange(size), side="right") - 1
    return owners.tolist(), [*starts.tolist(), size]


@dataclass
class SentenceInfo:
    # "procedure", "attendance", "title" (a heading among the opening lines), "heading", "body"
    kind: str
    lemmas: frozenset[str]


class ContextRules:
    """Weighs one match in its context; 0 drops it."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self.rules = rules
        self.name_heads = frozenset(rules["name_heads"])
        self.title_heads = frozenset(rules["title_heads"])
        self.name_links = frozenset(rules["name_links"])
        self.event_heads = frozenset(rules["event_heads"])
        self.place_heads = frozenset(rules["place_heads"])
        self.attendance_labels = frozenset(rules["attendance_labels"])
        self.attendance_words = frozenset(rules["attendance_words"])
        self.approval_words = frozenset(rules["approval_words"])
        self.procedure = re.compile("|".join(rules["procedure_patterns"]))
        self.needs = {
            slug: (frozenset(spec["words"]), float(spec["factor"]))
            for slug, spec in rules["needs_context"].items()
        }
        self.officer_words = frozenset(rules["officer_words"])
        self.member_words = frozenset(rules["member_words"])
        self.training_verbs = frozenset(rules["member_training"]["verbs"])
        self.compound_heads = frozenset(rules["compound_heads"])
        self.heading_factor = float(rules["heading_factor"])
        self.negated_factor = float(rules["negated_factor"])
        crimes = rules["crime_list"]
        self.crime_words = frozenset(crimes["words"])
        self.crime_least = int(crimes["least"])
        self.crime_topics = frozenset(crimes["topics"])
        self.crime_factor = float(crimes["factor"])

    def sentence(self, doc: Doc, bounds: tuple[int, int], arrays: DocArrays) -> SentenceInfo:
        info = arrays.cache.get(bounds[0])
        if info is None:
            info = arrays.cache[bounds[0]] = self._sentence_info(doc, bounds, arrays)
        return info

    def _sentence_info(self, doc: Doc, bounds: tuple[int, int], arrays: DocArrays) -> SentenceInfo:
        start, end = bounds
        sentence = arrays.word_of(doc)[start:end]
        lemma_set = frozenset(sentence)
        if lemma_set & PROCEDURE_TRIGGERS:
            text = " ".join(w for w in sentence[:80] if not w.isspace())
            if self.procedure.search(text):
                return SentenceInfo("procedure", lemma_set)
        head = [w for w in sentence[:8] if not w.isspace()][:6]
        if self._is_approval(lemma_set, head, len(sentence)):
            return SentenceInfo("procedure", lemma_set)
        title_sums = arrays.counts()[0]
        titles = title_sums[end] - title_sums[start]
        if self._is_attendance(head, lemma_set, titles, doc[start:end]):
            return SentenceInfo("attendance", lemma_set)
        if is_heading(doc, bounds, arrays):
            title = start < _title_end(doc, arrays)
            return SentenceInfo("title" if title else "heading", lemma_set)
        return SentenceInfo("body", lemma_set)

    def _is_approval(self, lemmas: frozenset[str], head: list[str], size: int) -> bool:
        if ("minute" in lemmas or "agenda" in lemmas) and lemmas & self.approval_words:
            return True
        # "The next meeting is June 5 at …", not "Lt. Moua will bring stop data to the next
        # meeting" (what someone brings to it is no procedure).
        return "next" in head[:3] and "meeting" in head[:4] and size <= 16

    def _is_attendance(
        self, head: list[str], lemma_set: frozenset[str], titles: int, sentence: Span
    ) -> bool:
        if ":" in head and any(w in self.attendance_labels for w in head[: head.index(":")]):
            return True
        found = lemma_set & self.attendance_words
        if titles < 6 or not found:
            return False
        # "Bylaws would be presented on October 9th" says nothing of who was there.
        return found != {"present"} or any(t.lower_ == "present" for t in sentence)

    def weight(
        self,
        span: Span,
        strength: float,
        info: SentenceInfo,
        sections: SectionIndex,
        arrays: DocArrays,
    ) -> float:
        """How much one match counts, 0..1, from its term's strength and its context (the
        sentence, and the heading of the section around it)."""
        if (
            info.kind in ("procedure", "attendance")
            or self.in_compound(span, arrays)
            or self.in_name(span, arrays)
        ):
            return 0.0
        weight = strength
        if strength < 1.0:
            need = self.needs.get(span.label_)
            if need is not None and not info.lemmas & need[0]:
                heading = sections.heading(span.start_char)
                if need[0].isdisjoint(heading.lower().split()):
                    weight *= need[1]
        if (
            span.label_ in self.crime_topics
            and len(info.lemmas & self.crime_words) >= self.crime_least
        ):
            weight *= self.crime_factor
        if span.start and arrays.word_of(span.doc)[span.start - 1] == "no":
            weight *= self.negated_factor
        if info.kind == "title":
            named = arrays.word_of(span.doc)[span.start : span.end + 1]
            if MEETING_WORDS.intersection(named) or (span.label_ == EVENTS and "forum" in named):
                # The title names this meeting ("Community Listening Session – Minutes", "Town
                # Hall Meeting: …", "Public Forum": no event of its own); what else it names
                # counts as a heading ("Police Accountability Forum" is about accountability).
                return 0.0
        if info.kind in ("heading", "title"):
            weight = min(1.0, weight * self.heading_factor)
        return round(weight, 4)

    def is_member_training(self, info: SentenceInfo) -> bool:
        """Training the committee's members attend, receive, are given … (no officers in it)."""
        lemmas = info.lemmas
        if lemmas & self.officer_words or not lemmas & self.training_verbs:
            return False
        return bool(lemmas & self.member_words) and "family" not in lemmas

    def in_compound(self, span: Span, arrays: DocArrays | None = None) -> bool:
        """Whether the words after the match make it part of a name ("… task force")."""
        doc = span.doc
        if arrays is not None:
            lemmas = arrays.word_of(doc)
            return span.end < len(lemmas) and lemmas[span.end] in self.compound_heads
        return span.end < len(doc) and doc[span.end].lemma_ in self.compound_heads

    def in_name(self, span: Span, arrays: DocArrays) -> bool:
        """Whether the match is part of a longer capitalised name: one with a name head in it
        ("Traffic Safety Committee Chair"), which may run on through "/", "&" or a hyphen
        ("Sub-Committee") and hold "of",
        "in" or "and" ("Use of Force Workgroup", "Racial Equity in Policing Commission"); a job
        title ending right after the term or at the name's end ("Crime Prevention Officer"); or a
        body's name going on through "on", "of" or "for" ("Multicultural Advisory Committee on
        Police Community Relations")."""
        alphas, capitals = arrays.capitals()
        first, last = span.start, span.end
        for i in range(first, last):
            if alphas[i] and not capitals[i] and span.doc[i].lower_ not in NAME_JOINERS:
                return False
        doc = span.doc
        sent_start, sent_end = arrays.bounds(first)
        if arrays.sentence_all_caps(sent_start, sent_end):
            return False  # a heading in capitals is not a name
        end = last
        while end < sent_end and end - last < 6:
            if _capitalised(doc[end]):
                end += 1
            elif (
                (doc[end].text in ("/", "&") or _hyphen(doc, end))
                and end + 1 < sent_end
                and _capitalised(doc[end + 1])
            ):
                # "Community Relations/Crime Prevention Officer", "Charter & Policy …",
                # "Crisis Prevention & Preparedness Sub-Committee"
                end += 1
            else:
                break
        start = first
        while start > sent_start + 1 and first - start < 4 and _capitalised(doc[start - 1]):
            start -= 1
        lemmas = arrays.word_of(doc)
        if span.label_ != EVENTS and last < sent_end and lemmas[last] in self.event_heads:
            return True  # the term names a day, an event ("New Americans Day picnic")
        if self._place_name(doc, first, last, start, sent_start, sent_end, lemmas):
            return True
        # "Advisory Committee on …", not "the Commission on Body Cameras"
        linked = start - 3 >= sent_start and lemmas[start - 1] in self.name_links
        if linked and lemmas[start - 2] in self.name_heads and _capitalised(doc[start - 3]):
            return _capitalised(doc[start - 2])
        heads = self.name_heads
        if end > last and self.title_heads & {lemmas[last], lemmas[end - 1]}:
            return True
        return any(lemmas[i] in heads for i in (*range(start, first), *range(last, end)))

    def _place_name(
        self, doc: Doc, first: int, last: int, start: int, sent_start: int, sent_end: int,
        lemmas: list[str],
    ) -> bool:  # fmt: skip
        """Whether the term ends the name of a place ("Fairhaven Youth Center"), or begins one
        that goes on through "&" ("Ashbury Falls Youth & Family Center"); a name opening its
        sentence counts when it stands alone, as a place line does ("Larkfield Youth Center,
        Room B"), not when the sentence goes on ("New Teen Center hours were requested")."""
        if not 1 <= last - first <= 3:
            return False
        end = last
        if end + 1 < sent_end and doc[end].text == "&":
            end += 1
            while end < sent_end and end - last < 4 and _capitalised(doc[end]):
                end += 1
        if lemmas[end - 1] not in self.place_heads or end - first < 2:
            return False
        if start < first:
            return True
        alone = end == sent_end or doc[end].text in (",", ":", ";") or doc[end].is_space
        return first > sent_start and alone and _proper(doc[first - 1])


def _hyphen(doc: Doc, i: int) -> bool:
    """A hyphen inside a word ("Sub-Committee"), not a dash between spaces ("Cameras - Police")."""
    return doc[i].text == "-" and i > 0 and not doc[i - 1].whitespace_ and not doc[i].whitespace_


def _capitalised(token: Token) -> bool:
    return bool(token.is_title or (token.is_upper and len(token) > 1))


def _proper(token: Token) -> bool:
    """A capitalised word that is not a function word ("Larkfield", not "The")."""
    return _capitalised(token) and not token.is_stop


def _title_end(doc: Doc, arrays: DocArrays) -> int:
    """The first token after the title: the heading lines the document opens with, up to its
    first numbered line ("1. Call to order")."""
    if arrays.title_end is None:
        end, lines = 0, 0
        word_sums = arrays.counts()[1]
        while end < len(doc) and lines < TITLE_LINES:
            bounds = arrays.bounds(end)
            if word_sums[bounds[1]] == word_sums[bounds[0]]:
                end = bounds[1]  # blank lines before the title
                continue
            line = doc[bounds[0] : bounds[1]].text
            if not is_heading(doc, bounds, arrays) or NUMBERED_LINE.match(line):
                break
            end, lines = bounds[1], lines + 1
        arrays.title_end = end
    return arrays.title_end


def is_heading(doc: Doc, bounds: tuple[int, int], arrays: DocArrays) -> bool:
    """A short line of its own that does not read as a sentence (an agenda item or heading)."""
    start, end = bounds
    _, word_sums, last_solid = arrays.counts()
    words_ = word_sums[end] - word_sums[start]
    if words_ == 0 or words_ > 12:
        return False  # (a word is a token that is not white space: one is there)
    last = doc[last_solid[end - 1]]
    if last.text in (".", "?", "!"):
        return False
    if "\n" in last.whitespace_ or end == len(doc):
        return True
    return "\n" in doc[end - 1].text if doc[end - 1].is_space else False


def drop_nested(mentions: list[tuple[Span, str, float]]) -> list[tuple[Span, str, float]]:
    """One match per topic and place (the strongest); none inside a longer match, nor sharing
    words with a longer match of another topic."""
    best: dict[tuple[int, int, int], tuple[Span, str, float]] = {}
    for mention in mentions:
        span = mention[0]
        key = (span.label, span.start, span.end)
        found = best.get(key)
        if found is None or found[2] < mention[2]:
            best[key] = mention
    places = list(best)
    covering: dict[int, list[int]] = {}
    for k, (_, start, end) in enumerate(places):
        for i in range(start, end):
            covering.setdefault(i, []).append(k)
    kept = []
    for (label, start, end), mention in zip(places, best.values(), strict=True):
        length = end - start
        for i in range(start, end):
            if any(
                _contains_longer(places[j], label, start, end)
                for j in covering[i]
                if places[j][2] - places[j][1] > length
            ):
                break
        else:
            kept.append(mention)
    return kept


def _contains_longer(other: tuple[int, int, int], label: int, start: int, end: int) -> bool:
    """Whether `other` (label, start, end), longer than [start, end) and sharing a word with it,
    holds its words, or, for another topic, some of them ("camera program" against "body worn
    camera program": a word belongs to one term)."""
    if other[0] != label:
        return True
    return other[1] <= start and other[2] >= end


class SectionIndex:
    """Finds the innermost section around a character offset (sections sorted by start)."""

    def __init__(self, sections: Sequence[Span]) -> None:
        self.sections = sorted(sections, key=lambda s: s.start_char)
        self.starts = [s.start_char for s in self.sections]
        self.ends = [s.end_char for s in self.sections]
        self.headings: dict[int, str] = {}  # by section number, made on first use

    def heading(self, char: int) -> str:
        k = bisect.bisect_right(self.starts, char) - 1
        starts, ends = self.starts, self.ends
        for j in range(k, max(0, k - 5) - 1, -1):
            if starts[j] <= char < ends[j]:
                found = self.headings.get(j)
                if found is None:
                    found = self.headings[j] = str(self.sections[j]._.heading)
                return found
        return ""


def score_topics(
    mentions: Sequence[Span], weights: Sequence[float], rules: dict[str, Any]
) -> dict[str, float]:
    """Per topic, 1 − Π(1 − weight): a noisy-or over its mentions, strongest first, where the
    k-th mention counts `repeat_decay`**k as much (many weak mentions add up, but slowly)."""
    decay = float(rules["repeat_decay"])
    rank: dict[str, int] = {}
    remaining: dict[str, float] = {}
    for span, weight in sorted(zip(mentions, weights, strict=True), key=lambda m: -m[1]):
        k = rank.get(span.label_, 0)
        rank[span.label_] = k + 1
        remaining[span.label_] = remaining.get(span.label_, 1.0) * (1.0 - weight * decay**k)
    return {slug: round(1.0 - rest, 4) for slug, rest in remaining.items()}
