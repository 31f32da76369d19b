"""Snippets: a short passage of a document's original text around its matches, with the
matched words marked, built safely from plain text (every piece escaped; only the <mark>
elements made here are markup)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from nlp import matching_spans

WIDTH = 240  # characters of text in a snippet
LEAD = 70  # characters shown before the first match
MARKUP_SIGNS = re.compile(r"[*#`]+|_{2,}")
SPACE = re.compile(r"\s+")
PHRASE = re.compile(r"[^\W_]+(?:[ ][^\W_]+){0,3}")
MARK, END_MARK = Markup("<mark>"), Markup("</mark>")


@dataclass(frozen=True)
class Snippet:
    html: Markup
    phrase: str  # words of the text at the snippet's first match, for a link to them

    @property
    def text_fragment(self) -> str:
        """A URL text fragment directive (`:~:text=…`) that scrolls a browser to the match."""
        return f":~:text={quote(self.phrase, safe='')}" if self.phrase else ""


def _plain(text: str) -> str:
    """Markdown signs out and white space collapsed, for reading in a line."""
    return SPACE.sub(" ", MARKUP_SIGNS.sub("", text))


def _best_start(matches: list[tuple[int, int, str]]) -> int:
    """The match whose window holds the most distinct query words (the first if tied)."""
    best, best_count = 0, 0
    for k, (start, _end, _term) in enumerate(matches):
        window = {term for s, _e, term in matches[k:] if s < start + WIDTH - LEAD}
        if len(window) > best_count:
            best, best_count = k, len(window)
    return matches[best][0] if matches else 0


def _window(text: str, anchor: int) -> tuple[int, int]:
    start = max(0, anchor - LEAD)
    if start > 0:
        space = text.find(" ", start, anchor)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + WIDTH)
    if end < len(text):
        space = text.rfind(" ", start + WIDTH // 2, end)
        end = space if space != -1 else end
    return start, end


def make_snippet(text: str, terms: Collection[str]) -> Snippet:
    """Up to WIDTH characters of `text` around its matches of `terms`, the matches marked."""
    matches = matching_spans(text, set(terms))
    start, end = _window(text, _best_start(matches))
    out: list[Markup] = [Markup("…")] if start > 0 else []
    position = start
    while position < end and (text[position].isspace() or MARKUP_SIGNS.match(text, position)):
        position += 1
    for match_start, match_end, _term in matches:
        if match_start < start or match_end > end:
            continue
        out.append(escape(_plain(text[position:match_start])))
        out += (MARK, escape(text[match_start:match_end]), END_MARK)
        position = match_end
    out.append(escape(_plain(text[position:end])))
    if end < len(text):
        out.append(Markup("…"))
    phrase = ""
    shown = [m for m in matches if m[0] >= start and m[1] <= end]
    if shown:  # the link scrolls to the passage shown
        found = PHRASE.match(text, shown[0][0])
        phrase = found.group() if found else ""
    return Snippet(html=Markup("").join(out), phrase=phrase)
