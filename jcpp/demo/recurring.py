"""Demo recurring concerns: analysing the demo minutes proposes concerns raised again (see
`jcpp.recurring`); the demo confirms those that span several cities, as a liaison would have,
so that the recurring-concern pages and the accountability figures have something to show."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from jcpp.models import Committee, Concern, Meeting, RecurringConcernMember

CONFIRMED_GROUPS = 8


def confirm_across_cities(session: Session, *, reviewer_id: int | None, now: dt.datetime) -> int:
    """Confirm the proposed members of the first recurring concerns raised in two or more
    cities; returns how many recurring concerns were confirmed."""
    rows = session.exec(
        select(RecurringConcernMember, Concern, Committee.city_id)
        .join(Concern, col(Concern.id) == RecurringConcernMember.concern_id)
        .join(Meeting, col(Meeting.id) == Concern.meeting_id)
        .join(Committee, col(Committee.id) == Meeting.committee_id)
        .where(RecurringConcernMember.state == "proposed")
        .order_by(col(RecurringConcernMember.recurring_id), col(RecurringConcernMember.id))
    ).all()
    groups: dict[int, list[tuple[RecurringConcernMember, Concern, int]]] = {}
    for member, concern, city_id in rows:
        groups.setdefault(member.recurring_id, []).append((member, concern, city_id))
    confirmed = 0
    for members in groups.values():
        if confirmed == CONFIRMED_GROUPS:
            break
        if len({city_id for _, _, city_id in members}) < 2:
            continue
        for member, concern, _ in members:
            member.state = "confirmed"
            member.reviewed_by_id = reviewer_id
            member.reviewed_at = now
            session.add(member)
            if concern.state == "proposed":
                concern.state = "confirmed"
                concern.reviewed_by_id = reviewer_id
                concern.reviewed_at = now
                session.add(concern)
        confirmed += 1
    session.flush()
    return confirmed
