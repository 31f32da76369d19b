"""What residents may see without signing in, and nothing more.

A committee is public while an administrator has turned its public pages on and it is not
archived. Its calendar lists its meetings (date, place, status). A meeting's page exists only
while its minutes are published *and* the published revision was reviewed for names: drafts,
approved minutes, unreviewed or re-edited revisions, other committees' meetings and
committees without public pages are all the same NotFound. No attendance, e-mail or phone
number is read here at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col, select

from jcpp.errors import NotFound
from jcpp.followups.lifecycle import STATUS_LABELS
from jcpp.models import City, Committee, Meeting, Minutes, PublicMinutes
from jcpp.public import names as names_service
from jcpp.public.redaction import redact

PAST_MEETINGS_SHOWN = 36
NOT_PUBLIC = "There is no such public page."


@dataclass(frozen=True)
class PublicCommittee:
    committee: Committee
    city: City


@dataclass(frozen=True)
class CalendarRow:
    meeting: Meeting
    minutes_public: bool


@dataclass(frozen=True)
class Calendar:
    public: PublicCommittee
    upcoming: list[CalendarRow]
    past: list[CalendarRow]
    more_past: bool


@dataclass(frozen=True)
class PublicFollowUp:
    title: str
    owner: str | None
    status: str
    status_label: str
    due_date: dt.date | None


@dataclass(frozen=True)
class PublicMeeting:
    public: PublicCommittee
    meeting: Meeting
    minutes_text: str
    published_at: dt.datetime | None
    follow_ups: list[PublicFollowUp]


def _is_public() -> ColumnElement[bool]:
    return and_(col(Committee.public_pages).is_(True), col(Committee.archived_at).is_(None))


def public_committees(session: Session) -> list[PublicCommittee]:
    """Committees with public pages, by city and name."""
    rows = session.exec(
        select(Committee, City)
        .join(City, col(City.id) == Committee.city_id)
        .where(_is_public())
        .order_by(col(City.name), col(Committee.name))
    ).all()
    return [PublicCommittee(committee, city) for committee, city in rows]


def public_committee(session: Session, slug: str) -> PublicCommittee:
    row = session.exec(
        select(Committee, City)
        .join(City, col(City.id) == Committee.city_id)
        .where(Committee.slug == slug, _is_public())
    ).first()
    if row is None:
        raise NotFound(NOT_PUBLIC)
    return PublicCommittee(*row)


def _public_minutes_ids(session: Session, meeting_ids: list[int]) -> set[int]:
    """Of these meetings, those whose published revision was reviewed for names."""
    if not meeting_ids:
        return set()
    rows = session.exec(
        select(Minutes.meeting_id)
        .join(PublicMinutes, col(PublicMinutes.meeting_id) == Minutes.meeting_id)
        .where(
            col(Minutes.meeting_id).in_(meeting_ids),
            Minutes.status == "published",
            col(PublicMinutes.revision) == Minutes.current_revision,
        )
    ).all()
    return set(rows)


def calendar(session: Session, slug: str, *, now: dt.datetime) -> Calendar:
    """A public committee's meetings: those to come (soonest first) and the latest past ones."""
    public = public_committee(session, slug)
    of_committee = Meeting.committee_id == public.committee.id
    upcoming = list(
        session.exec(
            select(Meeting)
            .where(of_committee, col(Meeting.start_at) >= now)
            .order_by(col(Meeting.start_at))
        )
    )
    past = list(
        session.exec(
            select(Meeting)
            .where(of_committee, col(Meeting.start_at) < now)
            .order_by(col(Meeting.start_at).desc())
            .limit(PAST_MEETINGS_SHOWN + 1)
        )
    )
    shown = set(_public_minutes_ids(session, [m.id for m in past if m.id is not None]))

    def rows(meetings: list[Meeting]) -> list[CalendarRow]:
        return [CalendarRow(meeting, meeting.id in shown) for meeting in meetings]

    return Calendar(
        public=public,
        upcoming=rows(upcoming),
        past=rows(past[:PAST_MEETINGS_SHOWN]),
        more_past=len(past) > PAST_MEETINGS_SHOWN,
    )


def public_meeting(session: Session, slug: str, meeting_id: int) -> PublicMeeting:
    """A meeting's public page: its reviewed minutes and its follow-ups' titles, owners and
    status, every text with the review's names hidden (and names written since the review
    hidden by default unless police staff or officers)."""
    public = public_committee(session, slug)
    row = session.exec(
        select(Meeting, Minutes, PublicMinutes)
        .join(Minutes, col(Minutes.meeting_id) == Meeting.id)
        .join(PublicMinutes, col(PublicMinutes.meeting_id) == Meeting.id)
        .where(
            Meeting.id == meeting_id,
            Meeting.committee_id == public.committee.id,
            Minutes.status == "published",
            col(PublicMinutes.revision) == Minutes.current_revision,
        )
    ).first()
    if row is None:
        raise NotFound(NOT_PUBLIC)
    meeting, minutes, reviewed = row
    return PublicMeeting(
        public=public,
        meeting=meeting,
        minutes_text=reviewed.text,
        published_at=minutes.published_at,
        follow_ups=_follow_ups(session, meeting, reviewed),
    )


def _follow_ups(
    session: Session, meeting: Meeting, reviewed: PublicMinutes
) -> list[PublicFollowUp]:
    assert meeting.id is not None
    items = names_service.follow_ups(session, meeting.id)
    if not items:
        return []
    people = names_service.roster(session, meeting)
    names = names_service.names_for(
        session, names_service.follow_up_texts(items), people, names_service.decisions(reviewed)
    )
    return [
        PublicFollowUp(
            title=redact(item.title, names),
            owner=redact(item.owner_text, names, any_case=True) if item.owner_text else None,
            status=item.status,
            status_label=STATUS_LABELS.get(item.status, item.status),
            due_date=item.due_date,
        )
        for item in items
    ]
