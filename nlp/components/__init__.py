"""The pipeline's own spaCy components, one per module.

Importing this package registers the custom attributes every component agrees on:

- on action-item spans (`doc.spans["actions"]`): `owner` (str | None, as written) and `due`
  (datetime.date | None, when the text states one);
- on section spans (`doc.spans["sections"]`): `heading` (its heading line) and `level` (1 = top).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

TEXT_KEY = "jcpp_text"


def doc_text(doc: Doc) -> str:
    """The document's text, kept in `doc.user_data` after the first call.

    `Doc.text` rebuilds the text from every token each time; components and the converter need it
    often. Merging tokens (the only change to a doc in this pipeline) keeps the text as it is.
    """
    text = doc.user_data.get(TEXT_KEY)
    if not isinstance(text, str):
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def words(text: str) -> list[str]:
    """The white-space separated words of a literal word list."""
    return text.split()


for _name, _default in (
    ("owner", None),
    ("due", None),
    ("heading", ""),
    ("level", 1),
):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)
