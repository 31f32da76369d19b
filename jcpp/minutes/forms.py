"""What the minutes forms send, parsed into plain values (rules live in the service)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from jcpp.errors import InvalidInput, NotFound
from jcpp.web.csrf import MAX_FORM_FIELD_BYTES as MAX_FIELD_BYTES


def parse_int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdecimal() and len(value) <= 9 else None


@dataclass(frozen=True)
class MinutesForm:
    """The editor: the text, the revision it was loaded from, and a 'what changed' note."""

    text: str
    base_revision: int | None
    note: str

    @classmethod
    def parse(cls, *, text: str, base_revision: str, note: str) -> MinutesForm:
        return cls(text=text, base_revision=parse_int(base_revision), note=note)

    def required_base(self) -> int:
        if self.base_revision is None:
            raise InvalidInput(
                {
                    "text": "The form did not say which revision your text started from. "
                    "Copy your text, reload the page and paste it again."
                }
            )
        return self.base_revision


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def read_minutes_form(request: Request) -> MinutesForm:
    """The editor's fields, read with room for oversized text (see MAX_FIELD_BYTES)."""
    form = await request.form(max_part_size=MAX_FIELD_BYTES)
    return MinutesForm.parse(
        text=_field(form, "text"),
        base_revision=_field(form, "base_revision"),
        note=_field(form, "note"),
    )


MinutesFormDep = Annotated[MinutesForm, Depends(read_minutes_form)]


@dataclass(frozen=True)
class StatusForm:
    """Approve, publish, unpublish: the revision the user was shown when deciding."""

    revision: int

    @classmethod
    def parse(cls, *, revision: str) -> StatusForm:
        number = parse_int(revision)
        if number is None:
            raise InvalidInput({"revision": "Reload the page and try again."})
        return cls(revision=number)


@dataclass(frozen=True)
class DiffQuery:
    """Which two revisions to compare; by default the one before the newest against the newest."""

    old: int
    new: int

    @classmethod
    def parse(cls, *, old: str | None, new: str | None, newest: int) -> DiffQuery:
        if newest == 0:
            raise NotFound("There are no minutes to compare yet.")
        new_number = parse_int(new) if new else newest
        old_number = parse_int(old) if old else max((new_number or newest) - 1, 1)
        if new_number is None or old_number is None:
            raise NotFound("There is no such revision.")
        return cls(old=old_number, new=new_number)
