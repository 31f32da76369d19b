"""New terms: keywords of the analysed minutes whose share of meetings jumped county-wide and
that no topic covers yet, offered to county staff as candidate topics or terms.

A keyword "matches" a topic when, lemmatised as search terms are (`nlp.search_terms`), its words
appear in a row within the topic's name or one of its terms, or the other way round ("stop data"
matches the term "traffic stop data"; "speeding" the term "speeding"). City names match too: a
city's name is in its own minutes, never a new subject.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from jcpp.models import City, KeywordMonthCount, Topic
from jcpp.trends import stats
from jcpp.trends.signal_types import Drill, Held, Names, Signal, Window
from nlp.search_terms import query_terms

MIN_MEETINGS = 3
TERM_WEIGHT_MARK = "|"  # "term|0.5": a weak term (nlp.taxonomy)


def _runs_of(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Every run of consecutive words (all n-grams) of a phrase."""
    return {words[i:j] for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


class TermMatcher:
    """Whether a keyword is already covered by one of `phrases` (topic names and terms, city
    names), comparing lemmatised words: the keyword's words in a row within a phrase, or a
    whole phrase in a row within the keyword."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.whole: set[tuple[str, ...]] = set()
        self.parts: set[tuple[str, ...]] = set()
        for phrase in phrases:
            words = tuple(query_terms(phrase.split(TERM_WEIGHT_MARK)[0]))
            if words:
                self.whole.add(words)
                self.parts |= _runs_of(words)

    def covers(self, term: str) -> bool:
        words = tuple(query_terms(term))
        if not words:
            return True  # only function words: never a subject
        return words in self.parts or not self.whole.isdisjoint(_runs_of(words))


def matcher(session: Session) -> TermMatcher:
    phrases: list[str] = []
    for name, terms in session.exec(select(Topic.name, Topic.terms)).all():
        phrases += [name, *terms]
    phrases += session.exec(select(City.name)).all()
    return TermMatcher(phrases)


def find(
    session: Session, window: Window, held: Held, names: Names, *, min_meetings: int,
    max_chance: float,
) -> list[Signal]:  # fmt: skip
    """Keywords in at least `min_meetings` meetings of the period, at a higher share of the
    county's analysed meetings than in the baseline, unlikely by chance and not covered."""
    baseline_held, recent_held = held.county()
    month = col(KeywordMonthCount.month)
    is_recent = month >= window.period_first
    meetings = col(KeywordMonthCount.meetings)
    recent = func.sum(case((is_recent, meetings), else_=0))
    baseline = func.sum(case((is_recent, 0), else_=meetings))
    rows = session.exec(
        select(KeywordMonthCount.term, baseline, recent)
        .where(month >= window.baseline_first, month <= window.period_last)
        .group_by(col(KeywordMonthCount.term))
        # At least the minimum, at a higher share of meetings than in the baseline.
        .having((recent >= min_meetings) & (recent * baseline_held > baseline * recent_held))
    ).all()
    covered = matcher(session) if rows else None
    found = []
    for term, before, now in rows:
        test = stats.assess_rise(
            int(now), recent_held, int(before), baseline_held,
            min_count=min_meetings, max_chance=max_chance,
        )  # fmt: skip
        if test is None or (covered is not None and covered.covers(term)):
            continue
        found.append(_signal(term, test, window))
    return sorted(found, key=lambda s: (s.numbers["chance"], s.title))


def _signal(term: str, test: stats.RiseTest, window: Window) -> Signal:
    explanation = (
        f"“{term}” was among the key terms of {test.recent} of the county's "
        f"{stats.meetings_words(test.recent_held)} in {window.period}; in the "
        f"{window.baseline_months} months before, of {test.baseline} of {test.baseline_held} "
        f"({stats.about_one_in(test.baseline, test.baseline_held)}). No topic covers it: a "
        f"candidate topic, or a term for an existing one. A jump this large would happen by "
        f"chance {stats.chance_words(test.chance)}."
    )
    numbers = {
        "recent": test.recent, "recent_held": test.recent_held, "baseline": test.baseline,
        "baseline_held": test.baseline_held, "chance": test.chance,
    }  # fmt: skip
    drill = Drill(None, (), window.period_first, window.period_last, term=term)
    return Signal("new_term", f"New term: {term}", explanation, drill, None, "county-wide", numbers)
