"""One table of token attributes per doc, shared by the steps that run once it is final.

`Doc.to_array` costs about the same per attribute and token however many attributes are read at
once, and the topic matcher, the concern and action facts, the keywords and the converter each
read several of the same ones (lower-case form, lemma, sentence starts, word flags). The topic
matcher reads them all in one call (tokens, lemmas and sentence starts do not change after it)
and keeps the table with the doc; the later steps take their columns from it, or read the doc
themselves when no table was kept or the doc has changed length (been retokenized) since.
"""

from __future__ import annotations

from collections.abc import Sequence
from weakref import WeakKeyDictionary

import numpy
from spacy.tokens import Doc

COLUMNS = (
    "LOWER",
    "LEMMA",
    "IS_ALPHA",
    "IS_SPACE",
    "LENGTH",
    "SENT_START",
    "IS_TITLE",
    "IS_STOP",
    "IS_PUNCT",
    "IS_UPPER",
    "IDX",
)
_COLUMN = {name: k for k, name in enumerate(COLUMNS)}

_TABLES: WeakKeyDictionary[Doc, numpy.ndarray] = WeakKeyDictionary()


def share(doc: Doc) -> numpy.ndarray:
    """Read the table of COLUMNS and keep it for the steps after (call once the doc's tokens,
    lemmas and sentence starts are final)."""
    table = doc.to_array(list(COLUMNS))
    _TABLES[doc] = table
    return table


def columns(doc: Doc, names: Sequence[str]) -> numpy.ndarray:
    """`doc.to_array(names)`, from the kept table when there is one for this doc."""
    table = _TABLES.get(doc)
    if table is None or len(table) != len(doc):
        return doc.to_array(list(names))
    found: numpy.ndarray = table[:, [_COLUMN[name] for name in names]]
    return found
