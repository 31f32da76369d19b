"""Concern detection: where someone raises a problem, a worry, a complaint, a question that implies
a problem, or asks for a change (see shared/design/labels.md).

Cues are token patterns on lower-case words (matched where a hard wrap broke them too), grouped
in weighted families, from the registered,
versioned function `jcpp.concern_cues.v1`. Each unit (sentence, `Q:` block, or clause when a
sentence holds two separate concerns) gets a score from the families that match in it, who speaks
(members and residents rather than staff reporting) and negative families (procedure, thanks,
event announcements, the committee's own business, commitments). Units scoring at least the
threshold become `doc.spans["concerns"]`, their scores in `doc.spans["concerns"].attrs["scores"]`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.components import cues
from nlp.components import owners as own
from nlp.components import units as u
from nlp.components.docfacts import CueMatcher

SPAN_KEY = "concerns"
CUES_VERSION = cues.CONCERN_CUES
# How much a staff member's plain report, or a commitment, lowers a concern's score.
STAFF_PENALTY = 0.2
COMMIT_PENALTY = 0.4
RISE_WORDS = frozenset({"up", "rose", "risen", "increased", "jumped", "climbed", "doubled"})
CUT_MARKS = frozenset({";", ",", "and"})
# Families that make a staff member's statement a concern too ("the main problem is …").
STAFF_CUES = ("trend", "rise", "complaint", "relayed", "relay_hint")
QUESTION_MARKS = frozenset({"?", "q"})
SMALL_WORDS = u.words("of and the by in on for to a an at with from")
# Negative families that do not count against a question asked in a `Q:` block.
QUESTION_IGNORES = (
    "neutral_report",
    "positive",
    "empathy",
    "own_business",
    "event",
    "nothing_new",
    "no_comment",
)
# "No public input" settles a part unless a worry, complaint or request stands beside it ("…
# there was no public input before the cameras went up; residents are upset").
WORRY_CUES = ("emotion", "complaint", "request", "relayed", "should")
COMMUNITY_WORDS = u.words(
    """residents resident parents parent neighbors neighbours neighbor neighbour families
    family tenants people community members member students youth kids owners women men
    elders seniors congregation parishioners workers mothers others several many someone
    somebody mother father man woman girl boy girls boys child children teen teens teenagers
    business businesses store stores driver drivers victims victim renters neighborhood
    neighbourhood"""
)


class ConcernDetector:
    """Scores units of the text for concern cues and keeps those at or above the threshold."""

    def __init__(self, nlp: Language, name: str, cues: dict[str, dict[str, Any]], threshold: float):
        self.name = name
        self.threshold = threshold
        self.weights = {family: float(spec["weight"]) for family, spec in cues.items()}
        self.positive = frozenset(f for f, weight in self.weights.items() if weight > 0)
        self.matcher = CueMatcher(nlp, {f: list(spec["phrases"]) for f, spec in cues.items()})

    def __call__(self, doc: Doc) -> Doc:
        hits = self._hits(doc)
        cued = sorted(i for i, families in hits.items() if families & self.positive)
        known = u.facts(doc)
        questions = known.positions(QUESTION_MARKS)
        spans: list[Span] = []
        scores: list[float] = []
        units = u.units(doc)
        roles: dict[int, str | None] = {}
        for index, (start, end) in enumerate(units.bounds):
            if not (u.any_in(cued, start, end) or u.any_in(questions, start, end)):
                continue  # no cue and no question: no concern (most sentences of minutes)
            unit = units[index]
            if self._is_heading(unit) or u.question_marker(unit, "a"):
                continue  # headings, and answers in a Q&A, state no concern
            role = self._role_at(units, index, roles)
            for part, score in self._unit_concerns(unit, role, hits):
                spans.append(part)
                scores.append(round(score, 3))
        doc.spans[SPAN_KEY] = spans
        doc.spans[SPAN_KEY].attrs["scores"] = scores
        return doc

    def _role_at(
        self, units: u.Units, index: int, roles: dict[int, str | None], depth: int = 0
    ) -> str | None:
        """ "staff", "member" or None (not known) for a unit's speaker; a pronoun ("She asked …")
        takes the role of the unit before (looked up a few units back at most)."""
        if index < 0:
            return None
        if index in roles:
            return roles[index]
        unit = units[index]
        who = u.speaker(unit)
        first = who[0].lower_ if who is not None else (unit[0].lower_ if len(unit) else "")
        role: str | None
        elided = who is None and len(unit) > 0 and unit[0].lower_ in u.REPORT_VERBS
        if elided or (first in u.PRONOUNS and (who is None or len(who) == 1)):
            before = None
            for back in range(index - 1, max(-1, index - 5), -1):
                before = self._role_at(units, back, roles, depth + 1) if depth < 4 else None
                if before is not None:
                    break
            role = before or "member"
        elif who is None:
            role = None
        else:
            role = "staff" if u.is_staff(who) else "member"
        roles[index] = role
        return role

    @staticmethod
    def _part_role(part: Span, role: str | None) -> str | None:
        """The role of a clause's own speaker ("…; Ms. Cárdenas said …"), else the unit's."""
        who = u.reporting_subject(part)
        if who is None or who[0].lower_ in u.PRONOUNS:
            return role
        return "staff" if u.is_staff(who) else "member"

    @staticmethod
    def _is_heading(unit: Span) -> bool:
        """An agenda heading ("RENTAL HOUSING — HARASSMENT BY LANDLORDS", "Harassment of Somali
        women" on its own line), not a statement."""
        if len(unit) > 10 or unit[-1].text in (".", "?", "!", '"', "”"):
            return False
        words = [t for t in unit if t.is_alpha]
        if not words:
            return False
        if all(t.text[:1].isupper() or t.lower_ in SMALL_WORDS for t in words):
            return True
        return len(unit) <= 6 and u.ends_line(unit) and u.starts_on_new_line(unit)

    def _hits(self, doc: Doc) -> dict[int, set[str]]:
        """Cue families by the token where a match starts."""
        return self.matcher.starts(doc)

    def _families(self, span: Span, hits: dict[int, set[str]]) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for i in range(span.start, span.end):
            for family in hits.get(i, ()):
                found[family] += 1
        return found

    def score(self, part: Span, unit: Span, role: str | None, hits: dict[int, set[str]]) -> float:
        """How sure we are that `part` (a unit or one of its clauses) states a concern."""
        found = self._families(part, hits)
        if "rise" in found and not (found.get("incident") or found.get("problem")):
            del found["rise"]  # "attendance went up": a rise of nothing bad
        if "no_comment" in found and any(found.get(f) for f in WORRY_CUES):
            del found["no_comment"]
        question = bool(u.question_marker(unit)) or u.ends_with_question(part)
        if not any(self.weights[f] > 0 for f in found) and not question:
            return 0.0
        if "trend" not in found and self._rising(part):
            found["trend"] = 1
        raw = sum(self.weights[f] for f in found)
        if found.get("problem", 0) + found.get("incident", 0) + found.get("lack", 0) > 1:
            raw += 0.1
        if u.question_marker(unit):
            raw += 0.5 - sum(self.weights[f] for f in found if f in QUESTION_IGNORES)
        elif question:
            raw += 0.35
        if role == "member":
            raw += 0.15
        elif role == "staff" and not any(found.get(f) for f in STAFF_CUES):
            raw -= STAFF_PENALTY
        known = u.facts(part.doc)
        community = known.ids(COMMUNITY_WORDS)
        lower_ids = known.lower_ids
        if any(lower_ids[i] in community for i in range(part.start, min(part.end, part.start + 4))):
            raw += 0.15
        if self._commitment(part, role):
            raw -= COMMIT_PENALTY
        return max(0.0, min(1.0, round(raw, 3)))

    @staticmethod
    def _rising(part: Span) -> bool:
        """Whether the part states a rise by a number ("up 30%", "rose 12 percent")."""
        doc = part.doc
        for k in u.facts(doc).positions_in(RISE_WORDS, part.start, part.end - 1):
            if doc[k + 1].like_num or (k + 2 < part.end and doc[k + 2].like_num):
                return True
        return False

    @staticmethod
    def _commitment(part: Span, role: str | None) -> bool:
        """Whether the part is somebody's commitment rather than a concern: it opens with one
        ("Staff will …") or staff speak and promise something ("Sgt. Ali said she will …")."""
        for subject in own.commitments(part):
            if subject.start == part.start or role == "staff":
                return True
        return False

    def _unit_concerns(
        self, unit: Span, role: str | None, hits: dict[int, set[str]]
    ) -> list[tuple[Span, float]]:
        parts = list(u.token_spans(unit, self._cuts(unit)))
        kept: list[tuple[Span, float]] = []
        if len(parts) > 1:
            scored = [(p, self.score(p, unit, self._part_role(p, role), hits)) for p in parts]
            kept = [(p, s) for p, s in scored if s >= self.threshold]
            if len(kept) > 1:
                return kept
        whole = self.score(unit, unit, role, hits)
        # else the one clause that is a concern, after another's report ("Lt. Garland
        # presented the stop data; Ms. Ali said residents are worried …")
        return [(unit, whole)] if whole >= self.threshold else kept

    @staticmethod
    def _cuts(unit: Span) -> list[int]:
        """Where a sentence joins two separate concerns.

        Minutes mostly state one concern per sentence, however many clauses it has; a sentence is
        cut only where another person speaks after `;` ("…; Ms. Cárdenas said no, …"), where a
        separate problem follows ("…, and that there is no crossing guard"), or where the same
        people raise something else ("…, and they also feel …").
        """
        cuts: list[int] = []
        doc = unit.doc
        for i in u.facts(doc).positions_in(CUT_MARKS, unit.start + 1, unit.end - 3):
            tok, nxt = doc[i], doc[i + 1]
            if tok.text == ";" and nxt.lower_ == "and":
                cuts.append(i + 1)  # "…; and …"
            elif tok.text == ";":
                clause = doc[i + 1 : unit.end]
                who = u.reporting_subject(clause)
                if (
                    who is not None
                    and who[0].text[:1].isupper()
                    and who[0].lower_ not in u.PRONOUNS
                ):
                    cuts.append(i + 1)
            elif tok.lower_ == "and" and nxt.lower_ == "also":
                cuts.append(i)  # "… and also …"
            elif tok.text == "," and nxt.lower_ == "and":
                after = [t.lower_ for t in doc[i + 2 : min(unit.end, i + 6)]]
                if after[:2] == ["that", "there"] or "also" in after[1:4]:
                    cuts.append(i + 1)
        return cuts


@Language.factory(
    "jcpp_concerns",
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
    default_config={"cues": {"@misc": CUES_VERSION}, "threshold": 0.5},
)
def make_concerns(
    nlp: Language, name: str, cues: dict[str, dict[str, Any]], threshold: float
) -> ConcernDetector:
    return ConcernDetector(nlp, name, cues, threshold)
