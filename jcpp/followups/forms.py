"""Follow-up forms: the raw text a person typed (kept to show again when a change is refused)
and what it means. `parse()` returns the typed values or raises InvalidInput, one message per
field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jcpp.errors import InvalidInput
from jcpp.followups.edits import FollowUpChanges
from jcpp.followups.service import details_fingerprint
from jcpp.models import FollowUp
from jcpp.web.forms import parse_int
from jcpp.web.forms import text as _text


def _raw(data: Mapping[str, Any], name: str) -> str:
    """The field as typed (spaces and line breaks kept), "" when missing."""
    value = data.get(name, "")
    return value if isinstance(value, str) else ""


def _percent(value: str, errors: dict[str, str]) -> int | None:
    if not value:
        return None
    number = parse_int(value.rstrip("% "))
    if number is None:
        errors["progress"] = "Progress is a percentage from 0 to 100."
    return number


@dataclass
class StatusForm:
    """A status change: the status asked for, the comment and progress typed, and the
    version of the follow-up the page showed."""

    to: str = ""
    comment: str = ""
    progress: str = ""
    version: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> StatusForm:
        return cls(
            to=_text(data, "to"),
            comment=_raw(data, "comment"),
            progress=_text(data, "progress"),
            version=_text(data, "version"),
        )

    def parse(self) -> tuple[int, int | None]:
        """(version, progress). A version that cannot be read counts as stale (0); a progress
        that cannot be read as out of range (-1), which the lifecycle refuses with its
        message after it has checked who may do what."""
        progress = None if not self.progress else parse_int(self.progress.rstrip("% "))
        return parse_int(self.version) or 0, -1 if self.progress and progress is None else progress


@dataclass
class DetailsForm:
    """An editor's form for a follow-up's details; `seen` is the details' fingerprint when
    the form was loaded."""

    title: str = ""
    description: str = ""
    owner_text: str = ""
    owner_user_id: str = ""
    due_date: str = ""
    progress: str = ""
    seen: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> DetailsForm:
        return cls(
            title=_text(data, "title"),
            description=_raw(data, "description"),
            owner_text=_text(data, "owner_text"),
            owner_user_id=_text(data, "owner_user_id"),
            due_date=_text(data, "due_date"),
            progress=_text(data, "progress"),
            seen=_text(data, "seen"),
        )

    @classmethod
    def from_follow_up(cls, follow_up: FollowUp) -> DetailsForm:
        return cls(
            title=follow_up.title,
            description=follow_up.description,
            owner_text=follow_up.owner_text or "",
            owner_user_id=str(follow_up.owner_user_id or ""),
            due_date=follow_up.due_date.isoformat() if follow_up.due_date else "",
            progress="" if follow_up.progress is None else str(follow_up.progress),
            seen=details_fingerprint(follow_up),
        )

    def parse(self) -> FollowUpChanges:
        errors: dict[str, str] = {}
        owner_user_id = parse_int(self.owner_user_id) if self.owner_user_id else None
        if self.owner_user_id and owner_user_id is None:
            errors["owner_user_id"] = "Choose someone from the list."
        due_date = _date(self.due_date)
        if self.due_date and due_date is None:
            errors["due_date"] = "Give the due date as a date, e.g. 2026-05-20."
        progress = _percent(self.progress, errors)
        if errors:
            raise InvalidInput(errors)
        return FollowUpChanges(
            title=self.title,
            description=self.description,
            owner_text=self.owner_text,
            owner_user_id=owner_user_id,
            due_date=due_date,
            progress=progress,
        )


def _date(value: str) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if 1990 <= day.year <= 2100 else None


@dataclass
class CommentForm:
    """A new comment or a reply (`parent_id`)."""

    body: str = ""
    parent_id: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> CommentForm:
        return cls(body=_raw(data, "body"), parent_id=_text(data, "parent_id"))

    @property
    def parent(self) -> int | None:
        """The comment replied to; one that cannot be read is none of this follow-up's (0)."""
        return (parse_int(self.parent_id) or 0) if self.parent_id else None
