"""Line-based comparison of two minutes texts, with the changed words marked inside changed lines.

The result is plain data (no HTML): templates escape every piece of it, because minutes are
user text. Word counts use whitespace-separated words, as the history's word counts do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

CONTEXT_LINES = 3
# A changed line pair less similar than this is shown as one line removed and one added.
PAIRING_RATIO = 0.4

_TOKENS = re.compile(r"\s+|\S+")

SegmentKind = Literal["same", "ins", "del"]
LineKind = Literal["same", "added", "removed", "changed"]


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    text: str


@dataclass(frozen=True)
class DiffLine:
    kind: LineKind
    old_number: int | None
    new_number: int | None
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Hunk:
    """Changed lines with a little unchanged context; `skipped` unchanged lines come before."""

    skipped: int
    lines: tuple[DiffLine, ...]


@dataclass(frozen=True)
class TextDiff:
    hunks: tuple[Hunk, ...]
    skipped_after: int
    words_added: int
    words_removed: int

    @property
    def equal(self) -> bool:
        return not self.hunks


def count_words(text: str) -> int:
    return len(text.split())


def diff_texts(old: str, new: str, *, context: int = CONTEXT_LINES) -> TextDiff:
    """Compare two texts line by line; changed lines carry their changed words."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    if old == new:
        return TextDiff(hunks=(), skipped_after=0, words_added=0, words_removed=0)
    matcher = SequenceMatcher(None, old_lines, new_lines)
    hunks: list[Hunk] = []
    shown_until = 0
    for group in matcher.get_grouped_opcodes(context):
        lines: list[DiffLine] = []
        for tag, i1, i2, j1, j2 in group:
            lines.extend(_lines_for(tag, old_lines, new_lines, i1, i2, j1, j2))
        hunks.append(Hunk(skipped=group[0][1] - shown_until, lines=tuple(lines)))
        shown_until = group[-1][2]
    added, removed = _word_changes(hunks)
    return TextDiff(
        hunks=tuple(hunks),
        skipped_after=len(old_lines) - shown_until,
        words_added=added,
        words_removed=removed,
    )


def _lines_for(
    tag: str, old: list[str], new: list[str], i1: int, i2: int, j1: int, j2: int
) -> list[DiffLine]:
    if tag == "equal":
        return [
            DiffLine("same", i1 + k + 1, j1 + k + 1, (Segment("same", old[i1 + k]),))
            for k in range(i2 - i1)
        ]
    removed = [DiffLine("removed", i + 1, None, (Segment("del", old[i]),)) for i in range(i1, i2)]
    added = [DiffLine("added", None, j + 1, (Segment("ins", new[j]),)) for j in range(j1, j2)]
    if tag != "replace":
        return removed or added
    return _pair_replaced(removed, added, old, new)


def _pair_replaced(
    removed: list[DiffLine], added: list[DiffLine], old: list[str], new: list[str]
) -> list[DiffLine]:
    """Lines replaced one for one become 'changed' lines with the changed words marked."""
    out: list[DiffLine] = []
    pairs = min(len(removed), len(added))
    for k in range(pairs):
        before, after = removed[k], added[k]
        assert before.old_number is not None and after.new_number is not None
        segments, ratio = diff_words(old[before.old_number - 1], new[after.new_number - 1])
        if ratio >= PAIRING_RATIO:
            out.append(DiffLine("changed", before.old_number, after.new_number, segments))
        else:
            out.extend((before, after))
    out.extend(removed[pairs:])
    out.extend(added[pairs:])
    return out


def diff_words(old: str, new: str) -> tuple[tuple[Segment, ...], float]:
    """The words of one changed line, marked as kept, deleted or inserted; and how similar."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(segments, "same", "".join(old_tokens[i1:i2]))
            continue
        _append(segments, "del", "".join(old_tokens[i1:i2]))
        _append(segments, "ins", "".join(new_tokens[j1:j2]))
    return tuple(segments), matcher.ratio()


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
