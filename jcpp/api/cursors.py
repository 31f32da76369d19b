"""Opaque pagination cursors: keyset on id (or, for trend counts, on month, city and topic).

Every string the OpenAPI pattern admits decodes to some position, so a cursor can only be
refused by its shape (422 from validation), never later in the handler.
"""

from __future__ import annotations

import datetime as dt
import re

ID_CURSOR = r"^i[0-9a-z]{1,12}$"
COUNT_CURSOR = r"^t[0-9a-z]{1,6}\.[0-9a-z]{1,12}\.[0-9a-z]{1,12}$"
_LAST_MONTH = 9999 * 12 + 11  # December 9999: month numbers past it mean "after everything"
MAX_ID = 2**31 - 1  # ids are 32-bit in the database: a larger one means "after everything"

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(n: int) -> str:
    out = ""
    while True:
        n, digit = divmod(n, 36)
        out = _DIGITS[digit] + out
        if n == 0:
            return out


def encode_id(last_id: int) -> str:
    return "i" + _base36(last_id)


def decode_id(cursor: str | None) -> int:
    """The id after which the page starts (0: from the start)."""
    if cursor is None:
        return 0
    if not re.fullmatch(ID_CURSOR, cursor):
        raise ValueError(cursor)
    return min(int(cursor[1:], 36), MAX_ID)


def encode_count(month: dt.date, city_id: int, topic_id: int) -> str:
    index = month.year * 12 + month.month - 1
    return f"t{_base36(index)}.{_base36(city_id)}.{_base36(topic_id)}"


def decode_count(cursor: str | None) -> tuple[dt.date, int, int] | None:
    """(month, city id, topic id) after which the page starts; None: from the start."""
    if cursor is None:
        return None
    if not re.fullmatch(COUNT_CURSOR, cursor):
        raise ValueError(cursor)
    month, city, topic = (int(part, 36) for part in cursor[1:].split("."))
    if month > _LAST_MONTH:
        return dt.date(9999, 12, 31), MAX_ID, MAX_ID
    return dt.date(max(month // 12, 1), month % 12 + 1, 1), min(city, MAX_ID), min(topic, MAX_ID)
