"""Form and query values as the browser sends them (always text, often empty), turned into
typed values. Lenient: what cannot be read is None, and the caller decides whether that is an
error (a form field) or no filter at all (a URL parameter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any


def text(data: Mapping[str, Any], name: str) -> str:
    """The field `name` stripped of surrounding spaces; "" when missing or not text."""
    value = data.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def parse_int(value: str | None) -> int | None:
    """A whole number, or None when empty or not a number."""
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def parse_ids(values: Iterable[str]) -> list[int]:
    """The whole numbers among `values` (checkbox ids); anything else is left out."""
    return [n for n in (parse_int(v) for v in values) if n is not None]


def parse_date(value: str | None) -> dt.date | None:
    """An ISO date (what <input type=date> sends), or None when empty or not a date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
