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

from spacy.tokens import Doc, Span, Token


def words(text: str) -> frozenset[str]:
    """A set of words written as one string, separated by white space."""
    return frozenset(text.split())


BULLETS = words("- – — • ● ○ ◦ ▪ ■ □ * o → > + ·")
ENUM_WORDS = words("i ii iii iv v vi vii viii ix x xi xii")
# Titles and roles of police and county staff (lower case, without the abbreviation's period).
STAFF_WORDS = words(
    """chief lt lieutenant sgt sergeant cmdr commander capt captain officer ofc det detective
    insp inspector dc deputy cpl corporal supt superintendent liaison staff police
    department dept cso sro trooper investigator sheriff patrol k9 cop officers sergeants"""
)
REPORT_VERBS = words(
    """said says say stated shared noted reported added mentioned explained told relayed wrote
    writes pointed raised asked asks answered replied responded commented agreed suggested
    indicated described observed announced acknowledged emphasized emphasised stressed
    expressed voiced warned felt complained complains requested requests urged urges wants
    wanted recommended proposed questioned wondered hoped worries fears"""
)
# Verbs that only report speech: after them a clause is the speaker's statement.
SAY_VERBS = words(
    """said says stated shared noted reported added mentioned explained told relayed wrote
    answered replied responded commented agreed indicated announced acknowledged confirmed
    emphasized emphasised stressed"""
)
PRONOUNS = words("he she they we i it")
TABLE_CHARS = frozenset("|¦│")
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
    if len(span) == 0:
        return 0
    first = span[0]
    text = first.text
    if text in BULLETS:
        return 1
    if text == "(" and len(span) >= 3 and span[2].text == ")" and len(span[1].text) <= 3:
        return 3
    core = text.rstrip(".)")
    if core != text and (core.isdigit() or len(core) == 1 or core.lower() in ENUM_WORDS):
        return 1
    attached = (
        len(span) >= 2 and span[1].text in (".", ")") and span[1].idx == first.idx + len(text)
    )
    listy = text.isdigit() or (len(text) == 1 and text.isalpha()) or text.lower() in ENUM_WORDS
    if (
        attached
        and listy
        and (len(span) == 2 or is_space(span[2]) or span[2].idx > span[1].idx + 1)
    ):
        return 2
    return 0


def trim(span: Span) -> Span:
    """The span without surrounding white space, leading bullets and list numbers."""
    doc, start, end = span.doc, span.start, span.end
    while start < end and is_space(doc[start]):
        start += 1
    for _ in range(3):
        n = _enumerator_len(doc[start:end])
        if n == 0:
            break
        start += n
        while start < end and is_space(doc[start]):
            start += 1
    while end > start and is_space(doc[end - 1]):
        end -= 1
    return doc[start:end]


def question_marker(span: Span, letter: str = "q") -> int:
    """Tokens taken by a leading `Q:`, `Q.` or `Q (Farah):` (`A…` with letter "a"), else 0."""
    if len(span) < 2 or span[0].lower_ != letter:
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
    if span.start == 0:
        return True
    before = span.doc.text[max(0, span.start_char - 40) : span.start_char]
    return "\n" in before[len(before.rstrip(" \t")) - 1 :] if before.strip(" \t") else True


def _cells(sent: Span) -> Iterator[Span]:
    """A sentence split at table-cell bars (`| 2 | Staffing | Chief: … |`), trimmed, no empties."""
    doc = sent.doc
    start = sent.start
    for k in [*(t.i for t in sent if set(t.text) <= TABLE_CHARS), sent.end]:
        part = trim(doc[start:k])
        if any(t.is_alpha for t in part):
            yield part
        start = k + 1


def units(doc: Doc) -> list[Span]:
    """Sentences as units, trimmed; a `Q:` block is merged with the sentences before its `A:`."""
    sents = [cell for s in doc.sents for cell in _cells(s)]
    result: list[Span] = []
    i = 0
    while i < len(sents):
        sent = sents[i]
        end = sent.end
        if question_marker(sent):
            j = i + 1
            while j < len(sents) and j - i < 4:
                nxt = sents[j]
                if question_marker(nxt, "a") or question_marker(nxt) or starts_on_new_line(nxt):
                    break
                end = nxt.end
                j += 1
            result.append(doc[sent.start : end])
            i = j
            continue
        result.append(sent)
        i += 1
    return result


def speaker_label(unit: Span) -> Span | None:
    """`Chief Alvarez` in `Chief Alvarez: …`, `Farah` in `Q (Farah): …`, else None."""
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
    begin = unit.start + question_marker(unit)
    doc = unit.doc
    for k in range(begin, min(unit.end, begin + 7)):
        if doc[k].text in (":", "):"):
            begin = k + 1
            break
    for k in range(begin, min(unit.end, begin + 14)):
        tok = doc[k]
        if tok.lower_ in REPORT_VERBS or (tok.lower_ == "would" and doc[k + 1].lower_ == "like"):
            if k == begin:
                return None
            subject = trim(doc[begin:k])
            if not len(subject) or any(t.lower_ in NOT_IN_SUBJECT for t in subject):
                return None
            return subject
        if tok.text in (";", ":") or tok.lower_ in ("will", "is", "are", "was", "were", "would"):
            return None
    return None


def speaker(unit: Span) -> Span | None:
    """Who speaks in the unit: its label, or the subject of its reporting verb."""
    return speaker_label(unit) or reporting_subject(unit)


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


def compile_phrase(phrase: str) -> list[dict[str, object]]:
    """A token pattern from a compact phrase: words by spaces, alternatives by `|`.

    `_` is any one token, `_?` an optional token, `NUM` a number; a word ending in `?` is optional.
    Matching is on the lower-case form, so patterns work with or without a lemmatizer.
    """
    pattern: list[dict[str, object]] = []
    for word in phrase.split():
        optional = word.endswith("?") and len(word) > 1
        word = word[:-1] if optional else word
        spec: dict[str, object]
        if word == "_":
            spec = {}
        elif word == "NUM":
            spec = {"LIKE_NUM": True}
        elif "|" in word:
            spec = {"LOWER": {"IN": word.split("|")}}
        else:
            spec = {"LOWER": word}
        if optional:
            spec["OP"] = "?"
        pattern.append(spec)
    return pattern
