"""Who owns an action item: the subject of the commitment, as the minutes write it.

"Lt. Okafor will bring …" → "Lt. Okafor"; "Chief Alvarez and Sgt. Vang will …" → both; "The outreach
subcommittee will …" → the subcommittee; "Cmdr. Thorsby said he will …" → "Cmdr. Thorsby" (a pronoun
takes the speaker); "The flyer will be sent …" → None (passive, nobody named), but "… to be sent by
the liaison" → "the liaison".
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from nlp.components import doc_text
from nlp.components import units as u
from nlp.components.dates import MONTHS

# Words between a subject and its verb that are not part of the subject.
ADVERBS = u.words(
    """also then now still personally again soon first next likely probably hopefully further
    jointly together immediately gladly both all each either directly once already just"""
)
# Words that end a subject when walking back from the verb.
BOUNDARY_WORDS = u.REPORT_VERBS | u.words(
    """that but so because when where which who whom whether if while since although though as
    after before once until then yes no and/or or nor what how why unless think thinks
    thought believe believes feel feels felt know knows hope hoped hopes worry worried fear
    afraid wonder assume heard hear told sure unsure did do does not is are was were has
    have had can could may might must"""
)
JOINERS = frozenset({"and", "&", "+", "with"})
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
# "Time will tell" is no one's task.
NON_AGENTS = frozenset(
    {"it", "this", "that", "there", "which", "who", "these", "those", "what", "time"}
)
DOUBT_WORDS = u.words(
    """whether if why how what when who where worry worries worried fear fears feared afraid
    think thinks thought believe believes feel feels felt assume assumes hear heard told
    wonder wondered rumor rumors rumour rumours unsure know knows concerned hope hopes hoped
    wish wishes unless"""
)
MAX_SUBJECT = 9
# How far (in tokens) the owner and clause searches look: keeps run-on text linear.
LOOKBACK = 40
# Where a new clause starts: doubt words before it belong to the clause before.
CLAUSE_JOINS = frozenset({"and", "but", ";", "—", "–", ":"})
PROMISE_WORDS = frozenset({"will", "agreed", "offered", "volunteered"})
OUTSIDE_BODIES = u.words(
    """legislature legislators state congress federal governor court courts judge district board
    ice government university company amazon senate house feds agents dhs county"""
)
PRESENT_ROLES = u.words("liaison staff coordinator chief officer sgt lt")
OWN_BOARD = frozenset({"the", "board"})
# How far into the minutes their heading (the body's name) is looked for.
OPENING_CHARS = 400
OPENING_LINES = 3
OWN_BOARD_NAME = re.compile(r"(?<!School )(?<!Select )\bBoard\b")
# Punctuation that can sit inside a subject ("Lt. Okafor", "Fairbanks + Her", "St. Paul's").
SUBJECT_PUNCT = frozenset({".", "'", "’", "&", "+", "-", "–"})
LEAD_WORDS = frozenset({"and", "&", "+", "with", "also", "then", "now", "so"})
NOT_AGENTS_AFTER_BY = frozenset({"e-mail", "email", "mail", "phone", "text", "hand", "then"})
# Roles and groups that can own a task (lower case, no trailing period).
ROLE_WORDS = u.STAFF_WORDS | u.words(
    """members member committee subcommittee chair chairs co-chairs cochairs vice mac
    commission commissioner commissioners comm city county team group unit division staff
    everyone volunteers secretary coordinator mayor manager clerk council liaisons board
    office program director advocate worker social outreach task force ofc rev pastor rabbi
    imam father fr dr mr ms mrs we i he she they"""
) - {"program"}
# Capitalised words that do not make a subject a person or group ("People will …", "The …").
COMMON_CAPS = u.words(
    """the a an this that these those it there people residents parents families everyone some
    many most several all any each no one our their its his if when after before as once
    since while during in on at for with from by of"""
)


def _looks_like_name(token: Token) -> bool:
    return token.text[:1].isupper() or token.lower_.rstrip(".") in ROLE_WORDS


def _ends_subject(doc: Doc, k: int, floor: int) -> bool:
    """Whether the token at k lies before the subject (punctuation, a clause word, a verb)."""
    tok = doc[k]
    if tok.is_space:
        return tok.text.count("\n") != 1  # a hard-wrapped line continues the subject
    if not any(c.isalnum() for c in tok.text) and tok.text not in SUBJECT_PUNCT:
        return True  # punctuation, arrows, bullets
    if tok.text in ("-", "–") and (tok.whitespace_ or doc[k - 1].whitespace_):
        return True  # a dash between words, not a hyphen in "Ramírez-Cole"
    if tok.lower_ in JOINERS or tok.lower_ in BOUNDARY_WORDS:
        return not (tok.lower_ in JOINERS and _joins_names(doc, k, floor))
    return False


def _walk_back(doc: Doc, head: int, floor: int) -> int:
    """The index where the subject of the verb at `head` begins (== head when there is none)."""
    k = head - 1
    while k >= floor and (doc[k].lower_ in ADVERBS or u.is_space(doc[k])):
        k -= 1
    end = k + 1
    taken = 0
    while k >= floor and taken < MAX_SUBJECT:
        if doc[k].text == ")":
            opening = next(
                (j for j in range(k - 1, max(floor, k - 12) - 1, -1) if doc[j].text == "("), None
            )
            if opening is None:
                break
            k = opening - 1
            continue
        if _ends_subject(doc, k, floor):
            break
        k -= 1
        taken += 1
    start = k + 1
    while start < end and (
        doc[start].lower_ in LEAD_WORDS or doc[start].is_punct or doc[start].is_space
    ):
        start += 1
    return start if start < end else head


def _joins_names(doc: Doc, k: int, floor: int) -> bool:
    """Whether the `and` at k joins two names or roles ("Chief Alvarez and Sgt. Vang")."""
    if k - 1 < floor or k + 1 >= len(doc):
        return False
    return _looks_like_name(doc[k - 1]) and _looks_like_name(doc[k + 1])


def subject_span(doc: Doc, head: int, floor: int) -> Span | None:
    """The words before the verb at `head` that name who does it, within the clause from `floor`."""
    start = _walk_back(doc, head, floor)
    end = head
    while end > start and (doc[end - 1].lower_ in ADVERBS or u.is_space(doc[end - 1])):
        end -= 1
    if end <= start:
        return None
    span = doc[start:end]
    # Keep the named group, not its members in brackets: "The review group (Ramírez, Pham)".
    for t in span:
        if t.text == "(" and t.i > start:
            span = doc[start : t.i]
            break
    return u.trim(span) if len(u.trim(span)) else None


def boundary_before(doc: Doc, start: int, floor: int) -> list[Token]:
    """Up to three words before a subject (skipping `that`, commas, `and`), nearest first."""
    found: list[Token] = []
    k = start - 1
    while k >= floor and len(found) < 3:
        tok = doc[k]
        if tok.lower_ not in ("that", ",", "and", "the") and not u.is_space(tok):
            found.append(tok)
        k -= 1
    return found


def is_agent(subject: Span) -> bool:
    """Whether the subject can own a task: a person, a role, a group or a pronoun."""
    first = subject[0].lower_
    if first in NON_AGENTS:
        return False
    for tok in subject:
        word = tok.lower_.rstrip(".")
        if word in ROLE_WORDS or tok.lemma_ in ROLE_WORDS:  # "sub-committee": "subcommittee"
            return True
        if tok.text[:1].isupper() and word not in COMMON_CAPS and word not in MONTHS:
            return True
    return False


def is_pronoun(subject: Span | None) -> bool:
    return subject is not None and len(subject) == 1 and subject[0].lower_ in SUBJECT_PRONOUNS


def by_agent(doc: Doc, start: int, end: int) -> Span | None:
    """`the liaison` in "… to be sent by the liaison"; dates and means ("by e-mail") are not
    agents."""
    for i in range(start, min(end - 1, start + LOOKBACK)):
        if doc[i].lower_ != "by":
            continue
        j = i + 1
        k = j
        while (
            k < end
            and k - j < 5
            and doc[k].text not in (",", ";", ".", ")", "(")
            and (
                doc[k].lower_ not in ("to", "on", "at", "in", "for", "before", "after", "by", "and")
            )
        ):
            k += 1
        agent = doc[j:k]
        first = doc[j].lower_
        named = first not in MONTHS and first not in NOT_AGENTS_AFTER_BY and not doc[j].like_num
        if len(agent) and named and is_agent(agent):
            return agent
    return None


def doubtful(doc: Doc, floor: int, start: int) -> bool:
    """Whether the words leading to a subject make its verb a question, worry or condition
    ("asked whether the department will …", "worry that officers will …")."""
    begin = floor = max(floor, start - LOOKBACK)
    for k in range(start - 1, floor - 1, -1):
        if doc[k].lower_ in u.SAY_VERBS or doc[k].lower_ in CLAUSE_JOINS:
            begin = k + 1
            break
    return any(t.lower_ in DOUBT_WORDS for t in doc[begin:start])


def commitments(span: Span) -> list[Span]:
    """Subjects of plain `will`/`agreed to` commitments in the span (not questions or worries)."""
    found = []
    doc = span.doc
    for k in u.facts(doc).positions_in(PROMISE_WORDS, span.start + 1, span.end - 1)[:12]:
        if doc[k + 1].lower_ in ("not", "n't", "n’t", "be"):
            continue
        if doc[k].lower_ != "will" and doc[k + 1].lower_ != "to":
            continue  # "agreed and added that …" is no promise; "agreed to …" is
        subject = subject_span(doc, k, span.start)
        if subject is None or not is_agent(subject) or doubtful(doc, span.start, subject.start):
            continue
        found.append(subject)
    return found


def names_someone(subject: Span) -> bool:
    """Whether a subject names a person or group: its last word is a name or a role
    ("Bakare", "the liaison", "Chief Alvarez"), not a thing ("National Night Out planning")."""
    head = subject[-1]
    return (
        head.lower_.rstrip(".") in ROLE_WORDS
        or head.lemma_ in ROLE_WORDS
        or head.text[:1].isupper()
    )


def clause_opening(unit: Span, head: int) -> Span | None:
    """The person or group a clause opens with, for a verb whose subject is left out:
    "The department trained staff in August and will offer …" → "The department"."""
    doc = unit.doc
    start = max(unit.start, head - LOOKBACK)
    for k in range(head - 1, start - 1, -1):
        if doc[k].lower_ in u.SAY_VERBS or doc[k].text in (":", ";"):
            start = k + 1
            break
    while start < head and (doc[start].lower_ in ("that", ",") or u.is_space(doc[start])):
        start += 1
    end = start
    while end < head and in_noun_phrase(doc[end]):
        end += 1
    if end == start or end >= head - 1:
        return None
    opening = doc[start:end]
    return opening if is_agent(opening) and names_someone(opening) else None


def in_noun_phrase(token: Token) -> bool:
    word = token.lower_.rstrip(".")
    if word in ("the", "a", "an", "our", "its", "their", "", "and", "&", "+"):
        return True
    return token.text[:1].isupper() or word in ROLE_WORDS


def outside_body(subject: Span) -> bool:
    """Whether the subject is a body outside the meeting ("the school board", "the legislature",
    "the county") rather than someone present or the committee ("the county liaison", and "the
    Board" in the minutes of a board)."""
    names = {t.lower_.rstrip(".") for t in subject}
    if not names & OUTSIDE_BODIES or names & PRESENT_ROLES:
        return False
    # "The Board will …" in the minutes of a board (one named so at the top) is that board.
    return not (names <= OWN_BOARD and subject[-1].text == "Board" and _board_minutes(subject))


def _board_minutes(subject: Span) -> bool:
    """Whether the minutes' first lines, before this subject, name a board (not a school or
    select board, not "Ms. Boardman")."""
    opening = doc_text(subject.doc)[: min(OPENING_CHARS, subject.start_char)]
    return OWN_BOARD_NAME.search("\n".join(opening.split("\n")[:OPENING_LINES])) is not None
