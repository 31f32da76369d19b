"""The minutes text with the evidence of each topic marked, built safely from plain text.

Minutes are user text: every piece of text is escaped, and only the <mark> elements built here
are markup. Overlapping mentions keep the first (by start); later ones inside it are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape


def highlight(text: str, mentions: Iterable[tuple[int, int, str]]) -> Markup:
    """`text` escaped, with each (start, end, topic name) span wrapped in <mark>."""
    out: list[str] = []
    position = 0
    for start, end, name in sorted(mentions, key=lambda m: (m[0], -m[1])):
        if start < position or end <= start or end > len(text):
            continue
        out.append(escape(text[position:start]))
        label = escape(f"Evidence for {name}")
        out.append(
            Markup('<mark class="evidence" title="{0}" aria-label="{0}">{1}</mark>').format(
                label, escape(text[start:end])
            )
        )
        position = end
    out.append(escape(text[position:]))
    return Markup("").join(out)
