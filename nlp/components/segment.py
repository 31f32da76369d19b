"""Sentence segmentation for minutes (`jcpp_segmenter`).

Minutes are lists more than prose: agenda numbers (`1.`, `a.`, `iv.`, `VI.`), bullets (`●`, `•`,
`o`, `-`), headings in capitals, `Q:`/`A:` blocks, speaker lines (`Chief Alvarez: …`), blank
lines, and text pasted from PDFs whose line breaks are lost or kept at every 80 characters.
Boundaries are found with regular expressions over the text (linear time) and set on the tokens
in one array operation, so no Python loop runs per token.

Rules, each giving a character offset where a sentence starts:
- a line that starts with a bullet, a list number, `Q:`/`A:`, a speaker label or a capital after a
  line that ended a sentence, a heading or a blank line (a hard-wrapped line that continues the one
  before does not);
- sentence-final punctuation followed by a capital, a digit, a bullet or a quote, unless the word
  before it is an abbreviation or an initial (`Lt.`, `Dr.`, `St.`, `No. 5`, `U.S.`, `G. Ndungu`);
- a bullet or list number in the middle of a line (a one-paragraph PDF);
- the end of a heading in capitals run into the text after it (`NEW BUSINESS Chief Ali said …`);
- the start of a table cell (`| 2 | Staffing | Chief: …`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from nlp.components import doc_text, words

if TYPE_CHECKING:
    from thinc.types import Ints2d

# Words after which a period does not end a sentence (lower case, without the period).
ABBREVIATIONS = frozenset(
    words(
        """lt sgt dr st mr ms mrs mx capt cmdr det ofc insp rev hon prof gov sen rep supt cpl dep
    dept lieut sr jr no nos vs approx est ext inc corp co fr sgts lts jan feb mar apr jun jul aug
    sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun mt ft pp vol fig dist asst
    assoc univ amb gen col maj cmsr comm coun cm ph e.g i.e u.s a.m p.m u.s.a d.c"""
    )
)
# Before these a period after `a.m.`/`p.m.` does not end the sentence ("6 p.m. Tuesday").
TIME_FOLLOWERS = frozenset(
    words(
        """monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december"""
    )
)
MAX_SENTENCE_TOKENS = 250
BULLET_CHARS = "•●○◦▪■□➢►▸‣⁃∙·"
BULLET = f"[{BULLET_CHARS}]"
ROMAN = r"(?:[IVX]{1,5}|[ivx]{1,5})"
ENUMERATOR = rf"(?:\(?(?:\d{{1,2}}|[A-Za-z]|{ROMAN})[.)])"
# A list marker a PDF left without its space ("d.Commissioner Kinney …", "5.Copies of …"); not
# a capital letter, which is more often an initial ("J.Smith", "S.Main Street").
ENUMERATOR_TIGHT = r"(?:\d{1,2}|[a-z]|[ivx]{1,5})\.(?=[A-Z][a-z])"
GLUED_MARKER = re.compile(r"(?:\d{1,2}|[a-z]|[ivx]{1,5})\.(?=[a-z]{2})")
LINE_START = re.compile(
    rf"""(?:{BULLET}|[-–*o](?=\s)|{ENUMERATOR}(?=\s)|{ENUMERATOR_TIGHT}
    |[QA](?:\s?\(.{{0,40}}?\))?\s?[:.](?=\s)
    |(?:[A-Z][\w.'’-]*\s){{0,4}}[A-Z][\w.'’-]*:(?=\s))""",
    re.VERBOSE,
)
LINE = re.compile(r"[^\n]*\n?")
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9" + BULLET_CHARS + "])")
# The patterns below that find something after a given character (a space, a full stop) begin
# with the first character of what they find and look behind it from there: a pattern that
# begins with a character class is searched for by skipping to that class, one that begins by
# looking behind is tried at every offset of the text. `(?<!\S)` is `^` or `(?<=\s)`.
INLINE_BULLET = re.compile(rf"{BULLET}(?<=\s{BULLET})(?=\s)")
# A list number after the end of a sentence (`… today. 2. Next …`), or after a word in a
# one-paragraph text (`… items 3. Parking …`); the first character decides which of `\d{1,2}`,
# `[a-h]` and ROMAN it starts.
_NUMBER_REST = r"(?:(?<=\d)\d?|(?<=[IVX])[IVX]{0,4}|(?<=[ivx])[ivx]{0,4})"
INLINE_ENUMERATOR = re.compile(
    rf"[\da-hIVXivx](?:"
    rf"(?<=[.:;!?)]\s.)(?:{_NUMBER_REST}|(?<=[a-h]))[.)]\s+(?=[A-Z])"
    rf"|(?<=[a-z,]\s.){_NUMBER_REST}\.\s+(?=[A-Z][a-z]))"
)
# A line break a web page's text kept as markup ("… the data. <br />Tony Harrelson will …").
HTML_BREAK = re.compile(r"<br\s*/?>[ \t]*", re.IGNORECASE)
TABLE_CELL = re.compile(r"\|(?<!\S\|)[ \t]+(?=[^\s|-])")
INLINE_QA = re.compile(r"[QA](?<=[.!?]\s[QA])(?:\s?\([^)\n]{0,40}\))?:\s")
_CAPS_WORD = r"(?:[A-Z][A-Z'’&/–-]+|[–—-])"
# After a sentence end, at a line start or at the start of the text.
CAPS_HEADING = re.compile(
    r"[A-Z](?:(?<=[.!?:]\s[A-Z])|(?<![^\n][A-Z]))"
    rf"(?:[A-Z'’&/–-]+\s+(?:{_CAPS_WORD}\s+){{0,7}}[A-Z][A-Z'’&/–-]+|[A-Z]{{5,}})\s+"
    r"(?=[A-Z](?:[a-z]|\s))"
)
# A line ending like this goes on on the next line, however short it is.
CONTINUES = re.compile(
    r"[,(–-]$|\b(?:the|a|an|and|or|of|to|in|on|for|with|by|at|that|is|are|was|were)$"
    r"|\b(?:Inspector|Chief|Officer|Sgt\.|Lt\.|Mr\.|Ms\.|Mrs\.|Dr\.|Commander|Captain|Capt\."
    r"|Cmdr\.|Deputy|Detective|Det\.|Liaison|Chair|Commissioner|Member|Sergeant|Lieutenant)$"
)


def _word_before(text: str, pos: int) -> str:
    """The word that ends at `pos` (the period's offset), lower case."""
    start = pos
    while start > 0 and not text[start - 1].isspace() and pos - start < 12:
        start -= 1
    word = text[start:pos].lower().lstrip("(\"'“*_")
    glued = GLUED_MARKER.match(word)  # "12.sgt" of "12.Sgt. Moua": the word is "sgt"
    return word[glued.end() :] if glued else word


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    if text[match.start()] != ".":
        return True
    word = _word_before(text, match.start())
    if word in ("a.m", "p.m"):
        follower = text[match.end() : match.end() + 12].split(" ", 1)[0].lower().strip(",.")
        return follower not in TIME_FOLLOWERS
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
        return False
    # An initial ("G. Ndungu"), a list letter or a Roman numeral ("b.", "VI.") starts, not ends.
    core = word.replace(".", "")
    return not (len(core) == 1 or re.fullmatch(ROMAN, core) is not None)


def _sentence_ends(text: str) -> Iterable[int]:
    for match in SENTENCE_END.finditer(text):
        if _ends_sentence(text, match):
            yield match.end()


def _line_starts(text: str) -> Iterable[int]:
    """Offsets of lines that start a sentence."""
    previous = ""
    blank = True
    for match in LINE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            blank = True
            if not line:
                break
            continue
        offset = match.start() + len(line) - len(line.lstrip())
        if blank or _starts_sentence(previous, stripped):
            yield offset
        previous, blank = stripped, False


def _starts_sentence(previous: str, line: str) -> bool:
    if LINE_START.match(line):
        return True
    if CONTINUES.search(previous):
        return False
    if previous[-1:] in '.!?:;"”)' or len(previous) < 50 or previous.isupper():
        return not line[:1].islower()
    return line[:1].isupper() and len(previous) < 60


def sentence_starts(text: str) -> list[int]:
    """Character offsets where sentences start, sorted, without duplicates."""
    starts: set[int] = set(_line_starts(text))
    starts.update(_sentence_ends(text))
    for pattern in (INLINE_BULLET, INLINE_ENUMERATOR, INLINE_QA):
        starts.update(m.start() for m in pattern.finditer(text))
    starts.update(m.end() for m in CAPS_HEADING.finditer(text))
    if "|" in text:
        starts.update(m.end() for m in TABLE_CELL.finditer(text))
    if "<" in text:
        for m in HTML_BREAK.finditer(text):
            starts.update((m.start(), m.end()))  # the markup is a line of its own
    return sorted(starts)


def set_sentence_starts(doc: Doc, starts: list[int]) -> None:
    """Mark the tokens at (or just after) the given character offsets as sentence starts."""
    if len(doc) == 0:
        return
    idx = doc.to_array(["IDX"]).astype(numpy.int64).ravel()
    flags = numpy.full(len(doc), -1, dtype=numpy.int64)
    positions = numpy.searchsorted(idx, numpy.asarray(starts, dtype=numpy.int64), side="left")
    positions = positions[positions < len(doc)]
    flags[positions] = 1
    flags[0] = 1
    # A sentence never starts on white space: move such starts to the next word.
    space = doc.to_array(["IS_SPACE"]).ravel().astype(bool)
    moved = positions[space[positions]]
    for pos in moved.tolist():
        flags[pos] = -1
        nxt = pos
        while nxt < len(doc) and space[nxt]:
            nxt += 1
        if nxt < len(doc):
            flags[nxt] = 1
    flags[0] = 1
    _split_long(flags)
    doc.from_array(["SENT_START"], cast("Ints2d", flags.reshape(-1, 1).astype(numpy.uint64)))


def _split_long(flags: numpy.ndarray, limit: int = MAX_SENTENCE_TOKENS) -> None:
    """Start a new sentence every `limit` tokens of a run-on text (a PDF without full stops,
    garbage): every later step works per sentence and must stay linear."""
    index = numpy.arange(len(flags))
    starts = numpy.flatnonzero(flags == 1)
    own_start = starts[numpy.searchsorted(starts, index, side="right") - 1]
    position = index - own_start
    flags[(position > 0) & (position % limit == 0)] = 1


class MinutesSegmenter:
    """Sets `token.is_sent_start` for minutes (see the module's docstring)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        set_sentence_starts(doc, sentence_starts(doc_text(doc)))
        return doc


@Language.factory("jcpp_segmenter", assigns=["token.is_sent_start"])
def make_segmenter(nlp: Language, name: str) -> MinutesSegmenter:
    return MinutesSegmenter(nlp, name)
