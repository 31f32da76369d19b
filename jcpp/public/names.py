"""The names in a meeting's texts: the committee's roster, what the NLP pipeline finds, and what
a liaison decided in the review (see `jcpp.public.redaction`). Shared by the review and the
public pages; checks no permission (callers do)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlmodel import Session, col, select

import nlp
from jcpp.analysis.service import pipeline_for
from jcpp.config import get_settings
from jcpp.models import (
    FollowUp,
    Meeting,
    Membership,
    Minutes,
    MinutesRevision,
    Person,
    PublicMinutes,
)
from jcpp.public.redaction import Name, RosterPerson, find_names, merge


def meeting_day(meeting: Meeting) -> dt.date:
    return meeting.start_at.astimezone(get_settings().zone).date()


def roster(session: Session, meeting: Meeting) -> list[RosterPerson]:
    """Everyone who ever had a term on the meeting's committee (a past member named in the
    minutes is still a resident), with the roles held on the meeting's day, or, for someone
    not serving that day, the roles ever held."""
    day = meeting_day(meeting)
    rows = session.exec(
        select(Person, Membership)
        .join(Membership, col(Membership.person_id) == Person.id)
        .where(Membership.committee_id == meeting.committee_id)
        .order_by(col(Person.id))
    ).all()
    people: dict[int, tuple[Person, set[str], set[str]]] = {}
    for person, membership in rows:
        assert person.id is not None
        _, on_day, ever = people.setdefault(person.id, (person, set(), set()))
        ever.add(membership.role)
        if membership.active_on(day):
            on_day.add(membership.role)
    return [
        RosterPerson(
            person_id=person_id,
            name=person.name,
            title=person.title,
            roles=frozenset(on_day or ever),
        )
        for person_id, (person, on_day, ever) in people.items()
    ]


def found_names(
    session: Session, texts: Sequence[str], people: Sequence[RosterPerson]
) -> list[Name]:
    """The names in `texts`: the roster's, and the personal names the pipeline finds."""
    texts = [text for text in texts if text.strip()]
    if not texts:
        return []
    pipeline, _ = pipeline_for(session)
    analyses = nlp.analyse(texts, pipeline=pipeline, roster=[person.name for person in people])
    spans = [span for analysis in analyses for span in analysis.people]
    return find_names(texts, spans, people)


def follow_ups(session: Session, meeting_id: int) -> list[FollowUp]:
    return list(
        session.exec(
            select(FollowUp).where(FollowUp.meeting_id == meeting_id).order_by(col(FollowUp.id))
        )
    )


def follow_up_texts(items: Sequence[FollowUp]) -> list[str]:
    """What the public page shows of follow-ups: titles and owners as written."""
    return [text for item in items for text in (item.title, item.owner_text or "")]


def minutes_row(session: Session, meeting_id: int) -> Minutes | None:
    return session.exec(select(Minutes).where(Minutes.meeting_id == meeting_id)).first()


def revision(session: Session, meeting_id: int, number: int) -> MinutesRevision | None:
    return session.exec(
        select(MinutesRevision).where(
            MinutesRevision.meeting_id == meeting_id, MinutesRevision.number == number
        )
    ).first()


def public_row(session: Session, meeting_id: int) -> PublicMinutes | None:
    return session.exec(select(PublicMinutes).where(PublicMinutes.meeting_id == meeting_id)).first()


def decisions(public: PublicMinutes | None) -> list[Name]:
    """The names as the last review left them (none before a review)."""
    if public is None:
        return []
    return [Name.from_json(item) for item in json.loads(public.redactions or "[]")]


def names_for(
    session: Session, texts: Sequence[str], people: Sequence[RosterPerson], decided: list[Name]
) -> list[Name]:
    """The reviewer's decisions for names she saw (and every name she added), the defaults for
    names she did not see (found in text written since)."""
    return merge(found_names(session, texts, people), decided)
