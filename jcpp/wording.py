"""Words for counts, shared by the pages, the e-mails and the jobs' reports."""

from __future__ import annotations


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 meeting", "3 meetings": `words` is the plural where it is not the word and an s
    ("city", "cities")."""
    return f"{count} {word if count == 1 else (words or word + 's')}"
