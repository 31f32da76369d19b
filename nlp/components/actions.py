"""Action-item detection: a commitment or assignment for after the meeting — who will do what.

Triggers are token patterns on lower-case words from the registered, versioned function
`jcpp.action_cues.v1` ("will …", "is working to …", "agreed to", "was asked to", "tabled until",
"to be sent by …", "Liaison to make …"). Each trigger is checked in its clause: a `will` inside a
question or a worry ("asked whether the department will …", "worry that officers will …") is no
commitment, nor are event announcements ("will be held"), invitations ("encouraged to attend"),
wishes ("hopes to"), outside bodies ("the school board will vote"), deferring the minutes, a rule
the body quotes ("a majority shall constitute a quorum"; "shall" with a date is a task) or what
happens "later in the meeting". Triggers match where a hard wrap broke them too. The owner is
the trigger's subject as written (see `owners`), the due date a stated calendar date.

Sets `doc.spans["actions"]` with Span extensions `owner` and `due`, scores in
`doc.spans["actions"].attrs["scores"]`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.components import cues, dates
from nlp.components import owners as own
from nlp.components import units as u
from nlp.components.docfacts import CueMatcher

SPAN_KEY = "actions"
CUES_VERSION = cues.ACTION_CUES

if not Span.has_extension("owner"):
    Span.set_extension("owner", default=None)
if not Span.has_extension("due"):
    Span.set_extension("due", default=None)

NEGATION = frozenset({"not", "n't", "n’t", "never"})
# After "will": the future of an event or a description, not somebody's task.
EVENT_VERBS = u.words(
    """happen occur expire cost include feature last vary depend mean apply affect"""
)
# "Planning will start in March": a thing starts; a person or group can "start" a task.
START_VERBS = u.words("start begin open close end resume take run commence")
PARTICIPLE_IRREGULAR = u.words(
    """sent made put set given brought kept done taken shown built sought run held told paid
    read written spoken met heard found left lost led"""
)
# Pronouns that stand for a person ("they" may be another body), and what "he will be …ing"
# must be doing to be a task ("working nights", "moving to Texas" are not).
PERSONS = frozenset({"he", "she", "i", "we"})
PROGRESSIVE_TASKS = u.words(
    """creating sending making bringing drafting preparing reviewing contacting calling
    checking sharing writing organizing organising scheduling arranging presenting reaching
    following compiling distributing researching updating translating printing posting
    emailing e-mailing submitting reporting meeting talking visiting developing collecting"""
)
# Words in "-ing" after "will be" that say how something is, not what someone does.
STATE_WORDS = u.words(
    """interesting exciting amazing willing missing outstanding ongoing retiring leaving"""
)
# Words after "asked/directed X to" that make it a place, not a task.
PLACE_STARTS = u.words("""the a an this that these those their his her its our my your page""")
EVENT_PASSIVE = frozenset(
    {"held", "hosted", "closed", "located", "cancelled", "canceled", "open", "involved", "tested"}
)
INSTITUTIONS = u.words(
    """department police city chief council county state mac committee commission board school
    officers district"""
)
KEEP_VERBS = u.words("""keep continue remain stay move approve adopt accept support change""")
# "would like", "would need some help": a wish or a need, not a task.
WOULD_NOT_TASKS = u.words("like be have love rather need want prefer")
NOT_OWED = u.words("be blame understand")
# Words written before "to" and a verb at the start of a line that are not someone's name (past,
# -ing and plural words never are: see `_first_name`).
NOT_FIRST_NAMES = u.words(
    """motion request proposal plan reminder need time decision vote agreement effort attempt
    welcome letter recommendation suggestion intent goal purpose idea opportunity ability
    commitment move resolution amendment response introduction update invitation next
    how what when where who why everyone staff all failure permission authority approval
    consensus call edit nothing none remember continue please sorry glad happy deadline duty
    trip"""
)
PAST_WORDS = frozenset({"last", "previous", "past", "prior"})
WHEN_WORDS = frozenset({"meeting", "next", "month", "week", "spring", "summer", "fall", "winter"})
TO = frozenset({"to"})
LATER = frozenset({"later"})
ANY_YEAR = dt.date(2000, 1, 1)
# Bodies that put off their own business elsewhere ("The county deferred action on …").
OTHER_BODIES = u.words("county state school council legislature court city district federal")
# A sentence with more commitment words than this is not a sentence (garbage, run-on text).
MAX_TRIGGERS = 12
# Lower-case words that can name whom a task is given to ("asked the liaison to …").
TARGET_WORDS = own.ROLE_WORDS | frozenset(
    {"the", "all", "each", "every", "two", "three", "her", "and"}
)
# First words of "Next steps:", "Action items", "Follow-up:", "To do:" headings and labels.
STEP_OPENERS = frozenset({"next", "action", "actions", "follow", "follow-up", "to", "todo"})
LIST_DASHES = frozenset({"-", "–", "—", ":"})
STEPS_HEADINGS = ("next steps", "action items", "action item", "follow-up", "follow up", "to do")
TASK_VERBS = u.words(
    """send make bring report check contact call draft share follow ask invite schedule set
    arrange find get prepare review update circulate post translate reach coordinate confirm
    email e-mail look provide research write organize organise plan reserve book collect
    compile distribute present decide discuss connect recruit poll pull order print forward
    submit attend meet talk visit develop create identify return come"""
)
# "- Will meet again on the third Wednesday": the body's schedule, not a task.
NOT_NOTED_TASKS = u.words("meet return come attend")
# What a body requests someone do, said without "to" ("request the Chief provide …").
REQUESTED_TASKS = TASK_VERBS | u.words("provide investigate consider study explore put conduct")


# "… will be discussed later in the meeting": done before the meeting ends, no action item.
THIS_MEETING = re.compile(
    r"\blater\s+(?:in|on)\s+(?:the|this|tonight['’]s|today['’]s)\s+(?:meeting|agenda)\b"
)


def _no_object(doc: Doc, k: int, end: int) -> bool:
    """Whether nothing is acted on after position k: the end, punctuation, "soon", "to …"."""
    k = _word_after(doc, k - 1, end)
    return k >= end or doc[k].is_punct or doc[k].lower_ in ("soon", "to", "in", "on", "at")


def _word_after(doc: Doc, i: int, end: int) -> int:
    """The index of the first token after i that is not white space (a cue phrase may be
    broken by a hard wrap: "agreed\nto keep"), or `end`."""
    k = i + 1
    while k < end and doc[k].is_space:
        k += 1
    return k


def _named_will(doc: Doc, i: int, unit: Span) -> bool:
    """Whether this "Will" stands between two capitalised words: someone's name."""
    return (
        doc[i].text == "Will"
        and unit.start < i < unit.end - 1
        and doc[i - 1].is_title
        and doc[i + 1].is_title
    )


def _next_meeting(words: list[str]) -> bool:
    """Whether the words name a meeting to come, as minutes refer an item to one ("the next
    meeting", "September meeting", "March 29th, 2017 Meeting")."""
    if "meeting" not in words:
        return False
    before = words[: words.index("meeting")]
    last = before[-1] if before else ""
    dated = last.isdigit() and len(last) == 4 and any(w in dates.MONTHS for w in before)
    return last == "next" or last in dates.MONTHS or dated  # "… March 29th, 2017 Meeting"


def _put_off_for_now(doc: Doc, i: int, end: int) -> bool:
    """An item marked "(tabled)", "tabled until work on the matrix is done", "tabled to allow
    more time": put off until something happens, with no date."""
    if doc[i].text == "(":
        return True  # the cue is the whole "( tabled )"
    after = [t.lower_ for t in doc[i + 1 : min(end, i + 3)]]
    return after[:1] == ["until"] or after[:2] == ["to", "allow"]


def _note_of_a_task(unit: Span, i: int, verb: int) -> bool:
    """A note that opens with "Will" and a task ("- Will set agenda with Superintendent"), the
    one who will do it left unsaid; not a question ("Will the chief share the data?")."""
    doc = unit.doc
    return (
        doc[i].text == "Will"
        and u.trim(unit).start == i
        and doc[verb].lower_ in TASK_VERBS - NOT_NOTED_TASKS
        and "?" not in unit.text
    )


def _first_name(subject: Span) -> bool:
    """Whether the words before "to" in an action register's line are someone's name ("Mark to
    send the draft", "Ana Ruiz to call the school"), not a noun that takes "to" ("Motion to
    approve", "Reminder to send")."""
    if not 1 <= len(subject) <= 2 or subject[0].lower_ in NOT_FIRST_NAMES:
        return False
    after = subject.doc[subject.end + 1]
    if after.is_title:
        return False  # a heading in title case ("Items to Discuss", "Forms to Print")
    # "Moved to send …", "Pleased to report …", "Ways to get involved": not names
    return all(
        t.is_title and t.is_alpha and not t.lower_.endswith(("ed", "ing", "s")) for t in subject
    )


def _not_owed(doc: Doc, i: int, unit: Span) -> bool:
    """Whether "we are to" at i owes no task: "We are to be commended", "we are to blame", "as
    we are to understand it"."""
    after = doc[i + 3].lower_ if i + 3 < unit.end else ""
    return after in NOT_OWED or (i > unit.start and doc[i - 1].lower_ in ("as", "if"))


def _within_this_meeting(doc: Doc, start: int, end: int) -> bool:
    """Whether doc[start:end] says "later in the meeting" (looked for only where "later" is)."""
    if not u.facts(doc).positions_in(LATER, start, end):
        return False
    return THIS_MEETING.search(doc[start:end].text.lower()) is not None


def _dated(words: Span) -> bool:
    """Whether the words state when ("shall be distributed on October 26", "… by the next
    meeting"); "may" and "next election" do not."""
    if dates.due_date(words, ANY_YEAR) is not None:  # any reference year: is a date stated?
        return True
    lowers = [t.lower_.rstrip(".") for t in words if not t.is_space]
    if any(w in dates.MONTHS and w != "may" for w in lowers):
        return True  # also where a line break parts "on" from "October 26"
    return any(a == "next" and b == "meeting" for a, b in zip(lowers, lowers[1:], strict=False))


@dataclass
class Trigger:
    head: int  # first token of the trigger
    kind: str
    score: float
    subject: Span | None = None
    owner: str | None = None


class ActionDetector:
    """Finds commitments in units of the text and names their owners and due dates."""

    def __init__(self, nlp: Language, name: str, cues: dict[str, dict[str, Any]], threshold: float):
        self.name = name
        self.threshold = threshold
        self.base = {kind: float(spec["score"]) for kind, spec in cues.items()}
        self.kinds = list(cues)
        self.matcher = CueMatcher(nlp, {k: list(spec["phrases"]) for k, spec in cues.items()})

    def __call__(self, doc: Doc) -> Doc:
        heads = {
            start: min(kinds, key=self.kinds.index)
            for start, kinds in self.matcher.starts(doc).items()
        }
        triggered = sorted(heads)
        known = u.facts(doc)
        openers = known.positions(STEP_OPENERS)
        tos = known.positions(TO)
        reference = dates.meeting_date(doc)
        spans: list[Span] = []
        scores: list[float] = []
        units = u.units(doc)
        in_steps = 0
        for index, (start, end) in enumerate(units.bounds):
            opens = u.any_in(openers, start, start + 1)
            in_steps = self._steps_state(units[index], in_steps) if opens else max(0, in_steps - 1)
            near_start = u.any_in(tos, start + 1, start + 8)
            if not (u.any_in(triggered, start, end) or near_start or in_steps):
                continue  # nothing that could be a commitment (most sentences of minutes)
            unit = units[index]
            previous = self._previous_speaker(units, index)
            for part, trigger in self._unit_actions(unit, heads, previous, in_steps > 0):
                span = Span(doc, part.start, part.end)
                span._.owner = trigger.owner
                span._.due = dates.due_date(part, reference)
                bonus = 0.1 if in_steps or (opens and self._labelled(unit)) else 0.0
                spans.append(span)
                scores.append(round(min(1.0, trigger.score + bonus), 3))
        kept = [(s, sc) for s, sc in zip(spans, scores, strict=True) if sc >= self.threshold]
        doc.spans[SPAN_KEY] = [s for s, _ in kept]
        doc.spans[SPAN_KEY].attrs["scores"] = [sc for _, sc in kept]
        return doc

    @staticmethod
    def _previous_speaker(units: u.Units, index: int) -> str | None:
        """Who spoke last before the unit, by name (a few units back at most)."""
        for k in range(index - 1, max(-1, index - 8), -1):
            label = u.speaker(units[k])
            if label is not None and not own.is_pronoun(label):
                return label.text
        return None

    @staticmethod
    def _labelled(unit: Span) -> bool:
        """Whether the unit carries an `Action:` / `Follow-up:` / `To do:` label."""
        head = u.first_words(unit)
        return any(
            head.startswith(w) for w in ("action", "follow-up", "follow up", "to do", "todo")
        )

    @staticmethod
    def _steps_state(unit: Span, in_steps: int) -> int:
        """How many more units belong to a "Next steps:" list (counting down)."""
        head = u.first_words(unit)
        if any(head.startswith(h) for h in STEPS_HEADINGS) and len(unit) <= 6:
            return 10
        return max(0, in_steps - 1)

    def _unit_actions(
        self, unit: Span, heads: dict[int, str], previous: str | None, listed: bool
    ) -> list[tuple[Span, Trigger]]:
        if u.question_marker(unit) or u.ends_with_question(unit):
            return []
        triggers: list[Trigger] = []
        for i in self._heads_in(heads, unit)[:MAX_TRIGGERS]:
            kind = heads[i]
            trigger = self._check(unit, i, kind, previous)
            if trigger is not None and not self._same_commitment(triggers, trigger):
                triggers.append(trigger)
        extra = self._telegraphic(unit) or (self._list_item(unit) if listed else None)
        if not triggers and extra is not None:
            triggers.append(extra)
        if not triggers:
            return []
        return self._split(unit, triggers)

    @staticmethod
    def _heads_in(heads: dict[int, str], unit: Span) -> list[int]:
        """Trigger positions inside the unit, in order."""
        if len(unit) < len(heads):
            return [i for i in range(unit.start, unit.end) if i in heads]
        return sorted(i for i in heads if unit.start <= i < unit.end)

    @staticmethod
    def _same_commitment(found: list[Trigger], new: Trigger) -> bool:
        """A second trigger of the same subject ("will draft it and will send it") adds no item."""
        if not found:
            return False
        last = found[-1]
        return new.subject is None or (
            last.subject is not None and new.subject.start == last.subject.start
        )

    def _split(self, unit: Span, triggers: list[Trigger]) -> list[tuple[Span, Trigger]]:
        """One span per commitment with its own named owner ("…; Mai will arrange dates"), else
        the sentence with its first commitment."""
        named = [t for t in triggers if t.owner is not None and t.subject is not None]
        if len(named) < 2 or len(named) < len(triggers):
            return [(unit, triggers[0])]
        cuts = [t.subject.start for t in named[1:] if t.subject is not None]
        return list(zip(u.token_spans(unit, cuts), named, strict=False))

    def _clause_floor(self, unit: Span, i: int) -> int:
        """Start of the clause holding token i: after the last `;` or speaker label before it."""
        label = u.speaker_label(unit)
        floor = unit.start if label is None else min(label.end + 1, i)
        floor = max(floor, i - own.LOOKBACK)
        for k in range(i - 1, floor - 1, -1):
            if unit.doc[k].text == ";":
                return k + 1
        return floor

    def _check(self, unit: Span, i: int, kind: str, previous: str | None) -> Trigger | None:
        doc = unit.doc
        if i > unit.start and doc[i - 1].lower_ in NEGATION:
            return None
        if _named_will(doc, i, unit):
            return None  # "Committee Member Will Franzell": a name
        if _within_this_meeting(doc, i, min(unit.end, i + 18)):
            return None  # done before the meeting ends
        verb = _word_after(doc, i, unit.end)
        if kind in ("future", "would"):
            while verb < unit.end - 1 and doc[verb].lower_ in own.ADVERBS:
                verb += 1
            if verb >= unit.end or doc[verb].lower_ in NEGATION or doc[verb].is_punct:
                return None
            if kind == "would" and doc[verb].lower_ in WOULD_NOT_TASKS:
                return None
        floor = self._clause_floor(unit, i)
        subject = own.subject_span(doc, i, floor)
        start = subject.start if subject is not None else i
        if kind != "asks_x_to" and own.doubtful(doc, floor, start):
            return None
        if subject is not None and any(t.lower_ == "minutes" for t in subject):
            return None
        if kind == "would" and not any(t.lower_ in u.SAY_VERBS for t in doc[floor:i]):
            return None
        score = self.base[kind]
        if kind in ("future", "would"):
            return self._future(unit, i, verb, subject, score, previous)
        if kind == "asks_x_to":
            return self._asks_x_to(unit, i, score)
        if kind == "tabled":
            if subject is not None and {t.lower_ for t in subject} & OTHER_BODIES:
                return None  # "The county deferred action on the jail contract …"
            return self._tabled(unit, i, floor, score)
        if kind == "should":
            if doc[i].lower_ == "please":
                return Trigger(i, kind, score, None, None)
            if doc[i].lower_ == "we" and _not_owed(doc, i, unit):
                return None
            group = doc[start : i + 1]  # "Members should …", "All members should …"
            return Trigger(i, kind, score, group, group.text)
        if kind == "to_be":
            agent = own.by_agent(doc, i + 2, unit.end)
            return Trigger(i, kind, score, subject, agent.text if agent else None)
        if kind == "agree" and not self._agreed_task(unit, i):
            return None
        if subject is not None and not own.is_agent(subject):
            return None
        return Trigger(i, kind, score, subject, self._owner(unit, subject, previous, i))

    @staticmethod
    def _agreed_task(unit: Span, i: int) -> bool:
        """Whether what someone agreed, was designated or was going to do is a task: not
        "agreed to keep the schedule", "was going to the conference", "was going to attend but
        was ill", "is designated to residents only"."""
        doc = unit.doc
        to = next((k for k in range(i, min(unit.end, i + 5)) if doc[k].lower_ == "to"), None)
        if to is None:
            return True  # "volunteered.", "proposed that …"
        after = _word_after(doc, to, unit.end)
        while after < unit.end - 1 and doc[after].lower_.endswith("ly"):
            after += 1  # "DESIGNATED to consistently access …"
        word = doc[after].text if after < unit.end else ""
        if word.lower() in KEEP_VERBS:
            return False
        if doc[i].lower_ in ("designated", "was", "were"):
            # a verb: lower case, not "the conference", not "residents"
            verb_like = word.islower() and word not in PLACE_STARTS
            verb_like = verb_like and not (word.endswith("s") and not word.endswith("ss"))
            later = [t.lower_ for t in doc[after + 1 : min(unit.end, after + 5)]]
            return verb_like and "but" not in later
        return True

    def _tabled(self, unit: Span, i: int, floor: int, score: float) -> Trigger | None:
        """A vote or item put off to a stated meeting or month; never the minutes' approval."""
        doc = unit.doc
        if any(t.lower_ in ("minutes", "approval") for t in doc[floor : min(unit.end, i + 6)]):
            return None
        if doc[i].lower_ in ("tabled", "(") and _put_off_for_now(doc, i, unit.end):
            return Trigger(i, "tabled", score, None, None)
        first = i + 1
        for k in range(i, min(unit.end, i + 4)):
            if doc[k].lower_ == "table":
                first = k + 1
                break
        # "referred/moved to" an item only to a meeting to come (not "moved to approve …")
        to_a_meeting = doc[i].lower_ in ("referred", "moved")
        for k in range(first, unit.end - 1):
            if doc[k].lower_ in ("until", "to", "till", "for"):
                window = doc[k + 1 : min(unit.end, k + 6)]
                words = [t.lower_.rstrip(".") for t in window]
                if to_a_meeting and not _next_meeting(words):
                    continue  # "referred to the May shooting", "… to the March 3 meeting"
                if words[:1] and words[0] in PAST_WORDS and "meeting" in words[:4]:
                    continue  # "postponed to last month's meeting"
                if any(w in WHEN_WORDS or w in dates.MONTHS for w in words):
                    return Trigger(i, "tabled", score, None, None)
        return None

    def _future(
        self,
        unit: Span,
        i: int,
        verb: int,
        subject: Span | None,
        score: float,
        previous: str | None,
    ) -> Trigger | None:
        doc = unit.doc
        word = doc[verb].lower_
        if doc[i].lower_ == "shall" and not _dated(doc[verb : unit.end]):
            return None  # a rule the body quotes ("a majority shall constitute a quorum")
        if word == "be":
            participle = doc[verb + 1].lower_ if verb + 1 < unit.end else ""
            if participle in ("opening", "closing") and _no_object(doc, verb + 2, unit.end):
                return None  # "The center will be opening soon": a place opens
            if (
                participle.endswith("ing")
                and participle not in STATE_WORDS
                and subject is not None
                and own.names_someone(subject)
                and own.is_agent(subject)
                and not own.outside_body(subject)
            ):
                # "Ron will be contacting the commander": someone's task, told as under way;
                # "he will be creating a form" too, when it is not known who he is
                owner = self._owner(unit, subject, previous, i)
                if owner:
                    return Trigger(i, "future", score, subject, owner)
                if subject[0].lower_ in PERSONS and participle in PROGRESSIVE_TASKS:
                    return Trigger(i, "future", score - 0.15, subject, None)
                return None
            if participle == "assigned" and verb + 2 < unit.end and doc[verb + 2].lower_ == "as":
                return None  # "… will be assigned as Sergeant of Detectives": a posting
            if participle in EVENT_PASSIVE or not (
                participle.endswith("ed") or participle in PARTICIPLE_IRREGULAR
            ):
                return None
            agent = own.by_agent(doc, verb + 1, unit.end)
            return Trigger(i, "passive", score - 0.2, subject, agent.text if agent else None)
        if word in EVENT_VERBS:
            return None
        if word in START_VERBS and not (subject is not None and own.names_someone(subject)):
            return None
        if subject is not None and own.outside_body(subject):
            return None
        if subject is not None and not own.is_agent(subject):
            return None
        owner = self._owner(unit, subject, previous, i)
        if owner is None:
            if subject is None and _note_of_a_task(unit, i, verb):
                return Trigger(i, "future", score - 0.15, None, None)
            if subject is None or word in ("will", "would"):
                return None  # "… will." with nobody before it and nobody speaking
            score -= 0.15
        return Trigger(i, "future", score, subject, owner)

    def _asks_x_to(self, unit: Span, i: int, score: float) -> Trigger | None:
        doc = unit.doc
        end = next((k for k in range(i + 1, min(unit.end, i + 7)) if doc[k].lower_ == "to"), None)
        if end is None and doc[i].lower_.startswith("request"):
            return self._request_x_do(unit, i, score)
        if end is None or end == i + 1:
            return None
        after = doc[end + 1] if end + 1 < unit.end else None
        if after is None or not after.is_lower or after.lower_ in PLACE_STARTS:
            return None  # "directed officers to the area", "to page 4": a place, not a task
        if after.lower_ in ("approve", "adopt", "accept", "amend") and any(
            t.lower_ in ("minutes", "agenda") for t in doc[end + 1 : min(unit.end, end + 5)]
        ):
            return None  # "asked the Board to approve the minutes": procedure
        target = doc[i + 1 : end]
        asker = u.reporting_subject(unit) or u.speaker_label(unit)
        institutional = target[0].lower_ in ("the", "a") and any(
            t.lower_ in INSTITUTIONS for t in target
        )
        if (
            institutional
            and not u.is_staff(asker)
            and (asker is None or "chair" not in asker.text.lower())
        ):
            return None
        if any(t.lower_ in own.DOUBT_WORDS or t.lower_ in ("about", "for", "that") for t in target):
            return None
        if any(t.is_lower and t.lower_ not in TARGET_WORDS for t in target):
            return None  # "asked anyone with information to …" is an appeal, not a task
        owner = None if target[0].lower_ in ("her", "him", "them", "us", "me") else target.text
        return Trigger(i, "asks_x_to", score, target, owner)

    @staticmethod
    def _request_x_do(unit: Span, i: int, score: float) -> Trigger | None:
        """A task asked for without "to" ("request the Acting Police Chief provide …"), given to
        someone named by capitalised words and a role (not a council or other body)."""
        doc = unit.doc
        first = i + 2 if i + 1 < unit.end and doc[i + 1].lower_ == "that" else i + 1
        for k in range(first + 1, min(unit.end, first + 6)):
            word = doc[k]
            if word.lower_ in REQUESTED_TASKS:
                target = doc[first:k]
                named = all(t.text[:1].isupper() or t.lower_ in TARGET_WORDS for t in target)
                outside = own.outside_body(target) or any(t.lower_ == "council" for t in target)
                if (
                    named
                    and not outside
                    and any(t.lower_.rstrip(".") in own.ROLE_WORDS for t in target)
                ):
                    return Trigger(i, "asks_x_to", score, target, target.text)
                return None
            if word.is_lower and word.lower_ not in TARGET_WORDS:
                return None
        return None

    def _telegraphic(self, unit: Span) -> Trigger | None:
        """`Liaison to make flyer`, `Chief to report …`, `Members to decide in May.`"""
        doc = unit.doc
        begin = unit.start
        for k in range(unit.start, min(unit.end, unit.start + 5)):
            if doc[k].text in (":", "):"):
                begin = k + 1
                break
        if not u.facts(doc).positions_in(TO, begin + 1, min(unit.end - 1, begin + 6)):
            return None
        for k in range(begin + 1, min(unit.end - 1, begin + 6)):
            if doc[k].lower_ != "to":
                if doc[k].is_lower and doc[k].lower_ not in own.ROLE_WORDS | {"and", "+", "&"}:
                    return None
                continue
            subject = doc[begin:k]
            if doc[k + 1].lower_ not in TASK_VERBS:
                return None
            role = any(t.lower_.rstrip(".") in own.ROLE_WORDS for t in subject)
            if not role and not (
                begin == unit.start and u.starts_on_new_line(unit) and _first_name(subject)
            ):
                return None
            return Trigger(k, "telegraphic", 0.6, subject, subject.text)
        return None

    @staticmethod
    def _list_item(unit: Span) -> Trigger | None:
        """An item of a "Follow-up items:" list written as `Lt. Moua – draft a proposal …`."""
        doc = unit.doc
        end = unit.start
        while end < unit.end and own.in_noun_phrase(doc[end]):
            end += 1
        if end == unit.start or end >= unit.end - 1 or doc[end].text not in LIST_DASHES:
            return None
        owner = doc[unit.start : end]
        task = [t for t in doc[end + 1 : unit.end] if t.is_alpha]
        titled = any(t.lower_.rstrip(".") in own.ROLE_WORDS for t in owner)
        if not task or not task[0].is_lower or not (titled or len(owner) > 1):
            return None
        if not own.is_agent(owner) or not own.names_someone(owner):
            return None
        return Trigger(unit.start, "listed", 0.55, owner, owner.text)

    def _owner(
        self, unit: Span, subject: Span | None, previous: str | None, head: int
    ) -> str | None:
        """The owner as written. A missing subject ("… and will offer …") is the one the clause
        opens with; a pronoun takes the speaker (the reporting subject or the label), else the
        one who spoke last."""
        if subject is not None and not own.is_pronoun(subject):
            return subject.text
        if subject is None:
            opening = own.clause_opening(unit, head)
            if opening is not None:
                return opening.text
        speaker = u.reporting_subject(unit)
        before = speaker is not None and (subject is None or speaker.end <= subject.start)
        if speaker is not None and before and not own.is_pronoun(speaker):
            return speaker.text
        label = u.speaker_label(unit)
        if label is not None and not own.is_pronoun(label):
            return label.text
        return previous


@Language.factory(
    "jcpp_actions",
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
    default_config={"cues": {"@misc": CUES_VERSION}, "threshold": 0.5},
)
def make_actions(
    nlp: Language, name: str, cues: dict[str, dict[str, Any]], threshold: float
) -> ActionDetector:
    return ActionDetector(nlp, name, cues, threshold)
