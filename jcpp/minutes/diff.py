"""Line-based comparison of two minutes texts, with the changed words marked inside changed lines.

The result is plain data (no HTML): templates escape every piece of it, because minutes are
user text. Word counts use whitespace-separated words, as the history's word counts do.

The work is bounded, because minutes pasted from a PDF are often one line of many pages and
any reader can ask for a comparison:
- when a text has a line longer than LONG_LINE_CHARS, every line is compared sentence by
  sentence (each sentence is a row of the diff), so that one changed word shows one sentence;
- a pair of rows is compared word by word only when, after their common start and end, the
  product of their token counts is at most WORD_DIFF_LIMIT, and only while the comparison's
  WORD_DIFF_BUDGET lasts; past that the pair is shown as one row removed and one added.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import chain
from typing import Literal

CONTEXT_LINES = 3
# A changed row pair less similar than this is shown as one row removed and one added.
PAIRING_RATIO = 0.4
# A text with a line longer than this is compared sentence by sentence.
LONG_LINE_CHARS = 4_000
# Word-level comparison costs up to (tokens of one row) × (tokens of the other): about 0.1 s
# for a million. Past these bounds a row pair is shown as removed and added instead.
WORD_DIFF_LIMIT = 1_000_000
WORD_DIFF_BUDGET = 4_000_000

_TOKENS = re.compile(r"\s+|\S+")
# The end of a sentence: ., ! or ? (and closing quotes or brackets), then white space.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+")

SegmentKind = Literal["same", "ins", "del"]
LineKind = Literal["same", "added", "removed", "changed"]


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    text: str


@dataclass(frozen=True)
class DiffLine:
    """One row of the diff: a line, or one sentence of a line when `sentence` is true (the
    numbers are then the numbers of the line the sentence is in)."""

    kind: LineKind
    old_number: int | None
    new_number: int | None
    segments: tuple[Segment, ...]
    sentence: bool = False


@dataclass(frozen=True)
class Hunk:
    """Changed rows with a little unchanged context; `skipped` unchanged rows come before."""

    skipped: int
    lines: tuple[DiffLine, ...]


@dataclass(frozen=True)
class TextDiff:
    hunks: tuple[Hunk, ...]
    skipped_after: int
    words_added: int
    words_removed: int
    by_sentence: bool = False

    @property
    def equal(self) -> bool:
        return not self.hunks


@dataclass(frozen=True)
class _Row:
    text: str
    number: int  # of the line
    sentence: bool

    @property
    def key(self) -> str:
        # Sentences are compared without the white space around them, so that a sentence added
        # at the end of a line leaves the one before it unchanged.
        return self.text.strip() if self.sentence else self.text


class _Budget:
    """What is left of WORD_DIFF_BUDGET for one comparison."""

    def __init__(self, amount: int) -> None:
        self.left = amount

    def spend(self, cost: int) -> bool:
        if cost > self.left:
            return False
        self.left -= cost
        return True


def count_words(text: str) -> int:
    return len(text.split())


def word_changes(old: str, new: str) -> tuple[int, int]:
    """Words added and removed, counted as bags of words (linear time; a moved word counts as
    neither). The history shows these for every revision."""
    before, after = Counter(old.split()), Counter(new.split())
    return sum((after - before).values()), sum((before - after).values())


def split_sentences(line: str) -> list[str]:
    """A line cut after each sentence end; the pieces joined give the line back."""
    pieces: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(line):
        pieces.append(line[start : end.end()])
        start = end.end()
    if start < len(line) or not pieces:
        pieces.append(line[start:])
    return pieces


def diff_texts(old: str, new: str, *, context: int = CONTEXT_LINES) -> TextDiff:
    """Compare two texts row by row (lines, or sentences of long lines); changed rows carry
    their changed words."""
    if old == new:
        return TextDiff(hunks=(), skipped_after=0, words_added=0, words_removed=0)
    old_lines, new_lines = old.split("\n"), new.split("\n")
    by_sentence = any(len(line) > LONG_LINE_CHARS for line in chain(old_lines, new_lines))
    old_rows, new_rows = _rows(old_lines, by_sentence), _rows(new_lines, by_sentence)
    matcher = SequenceMatcher(None, [r.key for r in old_rows], [r.key for r in new_rows])
    budget = _Budget(WORD_DIFF_BUDGET)
    hunks: list[Hunk] = []
    shown_until = 0
    for group in matcher.get_grouped_opcodes(context):
        lines: list[DiffLine] = []
        for tag, i1, i2, j1, j2 in group:
            lines.extend(_lines_for(tag, old_rows[i1:i2], new_rows[j1:j2], budget))
        hunks.append(Hunk(skipped=group[0][1] - shown_until, lines=tuple(lines)))
        shown_until = group[-1][2]
    added, removed = _word_changes(hunks)
    return TextDiff(
        hunks=tuple(hunks),
        skipped_after=len(old_rows) - shown_until,
        words_added=added,
        words_removed=removed,
        by_sentence=by_sentence,
    )


def _rows(lines: list[str], by_sentence: bool) -> list[_Row]:
    if not by_sentence:
        return [_Row(line, number, False) for number, line in enumerate(lines, start=1)]
    return [
        _Row(sentence, number, True)
        for number, line in enumerate(lines, start=1)
        for sentence in split_sentences(line)
    ]


def _lines_for(tag: str, old: list[_Row], new: list[_Row], budget: _Budget) -> list[DiffLine]:
    if tag == "equal":
        return [
            DiffLine("same", a.number, b.number, (Segment("same", a.text),), a.sentence)
            for a, b in zip(old, new, strict=True)
        ]
    removed = [
        DiffLine("removed", r.number, None, (Segment("del", r.text),), r.sentence) for r in old
    ]
    added = [DiffLine("added", None, r.number, (Segment("ins", r.text),), r.sentence) for r in new]
    if tag != "replace":
        return removed or added
    return _pair_replaced(old, new, removed, added, budget)


def _pair_replaced(
    old: list[_Row],
    new: list[_Row],
    removed: list[DiffLine],
    added: list[DiffLine],
    budget: _Budget,
) -> list[DiffLine]:
    """Rows replaced one for one become 'changed' rows with the changed words marked, when
    they are alike enough and cheap enough to compare."""
    out: list[DiffLine] = []
    pairs = min(len(removed), len(added))
    for k in range(pairs):
        compared = diff_words(old[k].text, new[k].text, budget=budget)
        if compared is not None and compared[1] >= PAIRING_RATIO:
            out.append(
                DiffLine("changed", old[k].number, new[k].number, compared[0], old[k].sentence)
            )
        else:
            out.extend((removed[k], added[k]))
    out.extend(removed[pairs:])
    out.extend(added[pairs:])
    return out


def diff_words(
    old: str, new: str, *, budget: _Budget | None = None
) -> tuple[tuple[Segment, ...], float] | None:
    """The words of one changed row, marked as kept, deleted or inserted; and how similar.

    None when the rows are too long to compare word by word within the bounds (see the module
    docstring): show them as removed and added instead.
    """
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    head = _common_prefix(old_tokens, new_tokens)
    tail = _common_prefix(old_tokens[head:][::-1], new_tokens[head:][::-1])
    old_middle = old_tokens[head : len(old_tokens) - tail]
    new_middle = new_tokens[head : len(new_tokens) - tail]
    cost = len(old_middle) * len(new_middle)
    if cost > WORD_DIFF_LIMIT or (budget is not None and not budget.spend(cost)):
        return None
    matcher = SequenceMatcher(None, old_middle, new_middle, autojunk=False)
    segments: list[Segment] = []
    _append(segments, "same", "".join(old_tokens[:head]))
    matched = head + tail
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(segments, "same", "".join(old_middle[i1:i2]))
            matched += i2 - i1
            continue
        _append(segments, "del", "".join(old_middle[i1:i2]))
        _append(segments, "ins", "".join(new_middle[j1:j2]))
    _append(segments, "same", "".join(old_tokens[len(old_tokens) - tail :]))
    total = len(old_tokens) + len(new_tokens)
    return tuple(segments), (2.0 * matched / total if total else 1.0)


def _common_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _append(segments: list[Segment], kind: SegmentKind, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))


def _word_changes(hunks: list[Hunk]) -> tuple[int, int]:
    added = removed = 0
    for hunk in hunks:
        for line in hunk.lines:
            for segment in line.segments:
                if segment.kind == "ins":
                    added += count_words(segment.text)
                elif segment.kind == "del":
                    removed += count_words(segment.text)
    return added, removed
