"""The admin pages' forms as posted, kept as typed (for re-rendering with messages), and turned
into the typed values the services take. Lengths are capped generously here; the services give
the friendly limits."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from jcpp.admin.committees import CommitteeInput
from jcpp.admin.roster import PersonInput
from jcpp.admin.rules import RuleChoice, choice_from_rule
from jcpp.errors import InvalidInput
from jcpp.models import Committee
from jcpp.web.forms import parse_date, parse_ids, parse_int

SHORT = 1000


class CityForm(BaseModel):
    name: str = Field("", max_length=SHORT)
    slug: str = Field("", max_length=SHORT)


class RenameCityForm(BaseModel):
    name: str = Field("", max_length=SHORT)


class RulePreviewForm(BaseModel):
    """The meeting-rule fields: week, weekday and time, or a raw RRULE."""

    rule_week: str = Field("", max_length=20)
    rule_weekday: str = Field("", max_length=20)
    rule_time: str = Field("", max_length=20)
    meeting_rule: str = Field("", max_length=SHORT)

    @property
    def rule(self) -> RuleChoice:
        return RuleChoice(
            week=self.rule_week,
            weekday=self.rule_weekday,
            time=self.rule_time,
            advanced=self.meeting_rule,
        )


class CommitteeForm(RulePreviewForm):
    city_id: str = Field("", max_length=20)
    name: str = Field("", max_length=SHORT)
    slug: str = Field("", max_length=SHORT)
    kind: str = Field("mac", max_length=40)
    meeting_minutes: str = Field("90", max_length=20)
    default_place: str = Field("", max_length=SHORT)
    active: str = Field("", max_length=10)

    @classmethod
    def of(cls, committee: Committee) -> CommitteeForm:
        """The form filled in with a committee's stored details."""
        choice = choice_from_rule(committee.meeting_rule)
        return cls(
            city_id=str(committee.city_id),
            name=committee.name,
            slug=committee.slug,
            kind=committee.kind,
            rule_week=choice.week,
            rule_weekday=choice.weekday,
            rule_time=choice.time,
            meeting_rule=choice.advanced,
            meeting_minutes=str(committee.meeting_minutes),
            default_place=committee.default_place or "",
            active="on" if committee.active else "",
        )

    def to_input(self, *, creating: bool) -> CommitteeInput:
        return CommitteeInput(
            name=self.name,
            kind=self.kind,
            rule=self.rule,
            meeting_minutes=parse_int(self.meeting_minutes),
            default_place=self.default_place,
            city_id=parse_int(self.city_id) if creating else None,
            slug=self.slug if creating else "",
            active=True if creating else self.active == "on",
        )


class MemberForm(BaseModel):
    person_id: str = Field("", max_length=20)
    name: str = Field("", max_length=SHORT)
    title: str = Field("", max_length=SHORT)
    email: str = Field("", max_length=SHORT)
    phone: str = Field("", max_length=SHORT)
    organisation: str = Field("", max_length=SHORT)
    role: str = Field("member", max_length=20)
    start_date: str = Field("", max_length=20)

    @property
    def new_person(self) -> PersonInput:
        return PersonInput(
            name=self.name,
            title=self.title,
            email=self.email,
            phone=self.phone,
            organisation=self.organisation,
        )


class TermForm(BaseModel):
    role: str = Field("", max_length=20)
    start_date: str = Field("", max_length=20)
    end_date: str = Field("", max_length=20)


class EndTermForm(BaseModel):
    end_date: str = Field("", max_length=20)


class UserForm(BaseModel):
    email: str = Field("", max_length=SHORT)
    name: str = Field("", max_length=SHORT)
    role: str = Field("", max_length=20)
    password: str = Field("", max_length=SHORT)
    cities: list[str] = Field(default_factory=list, max_length=500)
    committees: list[str] = Field(default_factory=list, max_length=2000)

    @property
    def city_ids(self) -> list[int]:
        return parse_ids(self.cities)

    @property
    def committee_ids(self) -> list[int]:
        return parse_ids(self.committees)

    def without_password(self) -> UserForm:
        """What may be shown again in the page (never the password)."""
        return self.model_copy(update={"password": ""})


class PasswordForm(BaseModel):
    password: str = Field("", max_length=SHORT)


def optional_date(value: str, *, field: str) -> dt.date | None:
    """None for an empty field; a date; or InvalidInput when something else was typed."""
    if not value.strip():
        return None
    day = parse_date(value)
    if day is None:
        raise InvalidInput({field: "Enter a date as YYYY-MM-DD, or leave it empty."})
    return day
