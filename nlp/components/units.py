"""Text units for concern and action detection.

Minutes state a concern or a commitment in one sentence, or in one clause or list item when a
sentence holds two. This module turns a segmented `Doc` into such units: sentences without their
bullets and surrounding white space, a `Q:` block kept together, sentences split into clauses at
the places where minutes join two separate statements. It also finds who speaks in a unit
(`Chief Alvarez: …`, `Q (Farah): …`, `Ms. Tran said …`) and whether that is police or county
staff rather than a member or resident.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy
from spacy.tokens import Doc, Span, Token

from nlp.components import tokentable
from nlp.components.dates import MONTHS
from nlp.components.docfacts import TABLE_CHARS, DocFacts, any_in, facts, words

__all__ = ["DocFacts", "any_in", "facts", "words"]  # used by the concern and action modules


BULLETS = words("- – — • ● ○ ◦ ▪ ■ □ * o → > + ·")
ENUM_WORDS = words("i ii iii iv v vi vii viii ix x xi xii")
# Titles and roles of police and county staff (lower case, without the abbreviation's period).
STAFF_WORDS = words(
    """chief lt lieutenant sgt sergeant cmdr commander capt captain officer ofc det detective
    insp inspector dc deputy cpl corporal supt superintendent liaison staff police
    department dept cso sro trooper investigator sheriff patrol k9 cop officers sergeants"""
)
# Minutes written in the present tense ("Mr. Turner mentions …", "Gary White explains …"); not
# the forms that are also nouns ("states", "reports", "notes", "promises") or say what police do
# ("responds").
PRESENT_SAY_VERBS = words(
    """mentions explains tells relays replies agrees indicates announces acknowledges
    confirms emphasizes emphasises stresses advises assures"""
)
REPORT_VERBS = PRESENT_SAY_VERBS | words(
    """said says say stated shared noted reported added mentioned explained told relayed wrote
    writes pointed raised asked asks answered replied responded commented agreed suggested
    indicated described observed announced acknowledged emphasized emphasised stressed
    expressed voiced warned felt complained complains requested requests urged urges wants
    wanted recommended proposed questioned wondered hoped worries fears advised assured
    promised spoke speaks suggests describes observes expresses warns recommends proposes
    wonders inquires inquired"""
)
SUBJECT_VERBS = REPORT_VERBS | {"would"}
# Verbs that only report speech: after them a clause is the speaker's statement.
SAY_VERBS = PRESENT_SAY_VERBS | words(
    """said says stated shared noted reported added mentioned explained told relayed wrote
    answered replied responded commented agreed indicated announced acknowledged confirmed
    emphasized emphasised stressed advised assured promised"""
)
PRONOUNS = words("he she they we i it")
COLONS = frozenset({":", "):"})
QA_LETTERS = frozenset({"q", "a"})
# Words and marks that end the search for who speaks ("… will …", "…; …").
SUBJECT_STOPS = frozenset({";", ":", "will", "is", "are", "was", "were", "would"})
# Words that show the text before a reporting verb is a clause, not who speaks.
NOT_IN_SUBJECT = words(
    """did not do does has have had is are was were but can could would will should n't n’t
    when if because after before since"""
)
# Labels before a colon that are not speakers ("Discussion: …", "Next steps: …").
LABEL_WORDS = words(
    """discussion update updates note notes action actions next steps follow-up follow up
    question answer response comment comments topic item re subject reason location time
    date present absent attendance members guests agenda minutes motion other summary
    background result decision outcome purpose report reports concern concerns issue issues
    recap announcements reminder reminders old new business presentation overview highlights"""
)


def is_space(token: Token) -> bool:
    return token.is_space or not token.text.strip()


def _enumerator_len(span: Span) -> int:
    """Length in tokens of a leading `1.`, `a)`, `(b)`, `iv.`, `II.` or bullet, else 0."""
    return _enumerator_len_at(span.doc, span.start, span.end)


def _enumerator_len_at(doc: Doc, start: int, end: int) -> int:
    """`_enumerator_len` of doc[start:end], without making the span."""
    size = end - start
    if size <= 0:
        return 0
    first = doc[start]
    text = first.text
    if text in BULLETS:
        return 1
    if text == "(" and size >= 3 and doc[start + 2].text == ")" and len(doc[start + 1].text) <= 3:
        return 3
    core = text.rstrip(".)")
    if core != text and (core.isdigit() or len(core) == 1 or core.lower() in ENUM_WORDS):
        return 1
    listy = text.isdigit() or (len(text) == 1 and text.isalpha()) or text.lower() in ENUM_WORDS
    if not listy or size < 2:
        return 0
    second = doc[start + 1]
    attached = second.text in (".", ")") and second.idx == first.idx + len(text)
    if attached and (size == 2 or is_space(doc[start + 2]) or doc[start + 2].idx > second.idx + 1):
        return 2
    return 0


def trim(span: Span) -> Span:
    """The span without surrounding white space, leading bullets and list numbers."""
    start, end = trim_bounds(span.doc, facts(span.doc), span.start, span.end)
    return Span(span.doc, start, end)


def trim_bounds(doc: Doc, known: DocFacts, start: int, end: int) -> tuple[int, int]:
    """`trim` on token bounds."""
    space, short = known.space, known.short
    while start < end and space[start]:
        start += 1
    for _ in range(3):
        if start >= end or not short[start]:
            break  # bullets and list numbers are short tokens
        n = _enumerator_len_at(doc, start, end)
        if n == 0:
            break
        start += n
        while start < end and space[start]:
            start += 1
    while end > start and space[end - 1]:
        end -= 1
    return start, end


def question_marker(span: Span, letter: str = "q") -> int:
    """Tokens taken by a leading `Q:`, `Q.` or `Q (Farah):` (`A…` with letter "a"), else 0."""
    if len(span) < 2 or not facts(span.doc).short[span.start] or span[0].lower_ != letter:
        return 0
    second = span[1].text
    if second.startswith(":") or second == ".":
        return 2
    if second == "(":
        for k in range(2, min(len(span), 8)):
            text = span[k].text
            if text.startswith(")"):
                if text == ")" and k + 1 < len(span) and span[k + 1].text == ":":
                    return k + 2
                return k + 1
    return 0


def starts_on_new_line(span: Span) -> bool:
    """Whether only a bullet or list number stands between the span and a line break."""
    doc = span.doc
    for k in range(span.start - 1, max(-1, span.start - 5), -1):
        tok = doc[k]
        if is_space(tok):
            return "\n" in tok.text
        word = tok.lower_.rstrip(".)")
        if any(c.isalpha() for c in word) and word not in ENUM_WORDS and len(word) > 1:
            return False
    return span.start < 5 and all(not any(c.isalpha() for c in t.text) for t in doc[: span.start])


def ends_line(span: Span) -> bool:
    """Whether nothing but punctuation follows the span before a line break or the end."""
    doc = span.doc
    for k in range(span.end, min(len(doc), span.end + 4)):
        tok = doc[k]
        if is_space(tok):
            return "\n" in tok.text
        if any(c.isalnum() for c in tok.text):
            return False
    return span.end + 4 > len(doc)


def _cells(doc: Doc, known: DocFacts, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A sentence split at table-cell bars (`| 2 | Staffing | Chief: … |`), trimmed, no empties."""
    bars = known.positions_in(TABLE_CHARS, start, end) if known.bars else []
    for k in [*bars, end]:
        a, b = trim_bounds(doc, known, start, k)
        if b > a and known.has_alpha(a, b):
            yield a, b
        start = k + 1


def ends_with_question(span: Span) -> bool:
    """Whether the span ends with a question mark (before closing quotes or brackets)."""
    for k in range(span.end - 1, max(span.start - 1, span.end - 4), -1):
        text = span.doc[k].text
        if "?" in text:
            return True
        if any(c.isalnum() for c in text):
            return False
    return False


def first_words(span: Span, count: int = 4) -> str:
    """The span's first words, lower case, as written ("follow-up items:")."""
    return "".join(t.lower_ + t.whitespace_ for t in span[:count])


class Units:
    """The units of a doc as a sequence of spans made on demand (most are never looked at)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        known = facts(doc)
        if known.units is None:
            known.units = _units(doc, known)
        self.bounds = known.units
        self._made: dict[int, Span] = {}

    def __len__(self) -> int:
        return len(self.bounds)

    def __getitem__(self, index: int) -> Span:
        span = self._made.get(index)
        if span is None:
            start, end = self.bounds[index]
            span = self._made[index] = Span(self.doc, start, end)
        return span


def units(doc: Doc) -> Units:
    """Sentences as units, trimmed; a `Q:` block is merged with the sentences before its `A:`.
    Computed once per doc and shared by the components that need them."""
    return Units(doc)


def _units(doc: Doc, known: DocFacts) -> list[tuple[int, int]]:
    if not len(doc):
        return []
    starts = numpy.flatnonzero(tokentable.columns(doc, ["SENT_START"]).ravel() == 1).tolist()
    if starts[:1] != [0]:
        starts.insert(0, 0)
    starts = [k + 2 if _splits_a_date(doc, k) else k for k in starts]
    starts = [k for k in starts if k < len(doc)]
    ends = [*starts[1:], len(doc)]
    sents = [cell for a, b in zip(starts, ends, strict=True) for cell in _cells(doc, known, a, b)]
    qa = known.ids(QA_LETTERS)
    result: list[tuple[int, int]] = []
    i = 0
    while i < len(sents):
        start, end = sents[i]
        if known.lower_ids[start] in qa and question_marker(Span(doc, start, end)):
            j = i + 1
            while j < len(sents) and j - i < 4:
                nxt = Span(doc, *sents[j])
                if question_marker(nxt, "a") or question_marker(nxt) or starts_on_new_line(nxt):
                    break
                end = nxt.end
                j += 1
            result.append((start, end))
            i = j
            continue
        result.append((start, end))
        i += 1
    return result


def _splits_a_date(doc: Doc, start: int) -> bool:
    """Whether a sentence start cuts a date ("by December | 31. Sgt. Ali …"): the day was taken
    for a list number. The sentence then starts after the day."""
    if start == 0 or start + 1 >= len(doc) or doc[start + 1].text != ".":
        return False
    day = doc[start].text
    before = doc[start - 1]
    if before.is_space and start > 1:
        before = doc[start - 2]
    return day.isdigit() and 1 <= int(day) <= 31 and before.lower_.rstrip(".") in MONTHS


def speaker_label(unit: Span) -> Span | None:
    """`Chief Alvarez` in `Chief Alvarez: …`, `Farah` in `Q (Farah): …`, else None."""
    known = facts(unit.doc)
    if not known.positions_in(COLONS, unit.start, min(unit.end, unit.start + 10)):
        return None  # no colon near the start: no label
    marker = question_marker(unit) or question_marker(unit, "a")
    if marker > 2:
        inner = [t for t in unit[2:marker] if t.text not in ("(", ")", "):", ":")]
        return unit.doc[inner[0].i : inner[-1].i + 1] if inner else None
    if marker == 2 and len(unit) > 3 and unit[2].text == "(":
        for k in range(3, min(len(unit), 9)):
            if unit[k].text.startswith(")"):
                return unit[3:k] if k > 3 else None
    start = marker
    for k in range(start, min(len(unit), start + 7)):
        tok = unit[k]
        if tok.text in (":", "):"):
            words = unit[start:k]
            if len(words) and all(w.text[:1].isupper() or w.text in ".&-+" for w in words):
                if any(w.lower_ in LABEL_WORDS for w in words) and not is_staff(words):
                    return None
                return words
            return None
        if tok.text in (",", ";", "(") or (tok.is_lower and tok.text not in (".",)):
            return None
    return None


def is_staff(span: Span | None) -> bool:
    """Whether a speaker or subject names police or county staff (by title or role word)."""
    if span is None:
        return False
    return any(t.lower_.rstrip(".") in STAFF_WORDS for t in span)


def reporting_subject(unit: Span) -> Span | None:
    """`Ms. Tran` in `Ms. Tran said that …`: the words before the first reporting verb."""
    known = facts(unit.doc)
    key = (unit.start, unit.end)
    if key not in known.subjects:
        found = _reporting_subject(unit, known)
        known.subjects[key] = None if found is None else (found.start, found.end)
    bounds = known.subjects[key]
    return None if bounds is None else unit.doc[bounds[0] : bounds[1]]


def _reporting_subject(unit: Span, known: DocFacts) -> Span | None:
    window = known.positions_in(SUBJECT_VERBS, unit.start + 1, min(unit.end, unit.start + 22))
    if not window:
        return None  # no reporting verb near the start
    ids = known.lower_ids
    verbs = known.ids(REPORT_VERBS)
    stops = known.ids(SUBJECT_STOPS)
    begin = unit.start + question_marker(unit)
    doc = unit.doc
    colons = known.positions_in(COLONS, begin, min(unit.end, begin + 7))
    if colons:
        begin = colons[0] + 1
    for k in range(begin, min(unit.end, begin + 14)):
        word = ids[k]
        if word in verbs or (
            word in stops and doc[k].lower_ == "would" and doc[k + 1].lower_ == "like"
        ):
            if k == begin:
                return None
            subject = trim(doc[begin:k])
            if not len(subject) or any(t.lower_ in NOT_IN_SUBJECT for t in subject):
                return None
            return subject
        if word in stops:
            return None
    return None


def speaker(unit: Span) -> Span | None:
    """Who speaks in the unit: its label, or the subject of its reporting verb."""
    known = facts(unit.doc)
    key = (unit.start, unit.end)
    if key not in known.speakers:
        found = speaker_label(unit) or reporting_subject(unit)
        known.speakers[key] = None if found is None else (found.start, found.end)
    bounds = known.speakers[key]
    return None if bounds is None else unit.doc[bounds[0] : bounds[1]]


def token_spans(span: Span, cuts: list[int]) -> Iterator[Span]:
    """The parts of `span` between cut points (token indices into the doc), trimmed."""
    doc = span.doc
    bounds = [span.start, *sorted(c for c in cuts if span.start < c < span.end), span.end]
    for a, b in zip(bounds, bounds[1:], strict=False):
        part = trim(doc[a:b])
        while len(part) and part[-1].text in (";", ",", "and", "but", "+"):
            part = doc[part.start : part.end - 1]
        while len(part) and part[0].text in (";", ",", "and", "but", "+", "also"):
            part = doc[part.start + 1 : part.end]
        part = trim(part)
        if len(part):
            yield part
