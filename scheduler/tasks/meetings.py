"""Upcoming meetings from each committee's rule, three months ahead."""

from __future__ import annotations

import datetime as dt
import logging

from sqlmodel import Session, col, select

from jcpp.committees.service import create_meetings_from_rule
from jcpp.errors import InvalidInput
from jcpp.models import Committee
from jcpp.wording import plural

log = logging.getLogger("scheduler")

MONTHS_AHEAD = 3


def create_upcoming_meetings(session: Session, *, now: dt.datetime, period: str) -> str:
    """Every active committee with a meeting rule gets its meetings of the next three months (a
    day that already has one of its meetings, cancelled too, gets none). A rule that cannot be
    read is reported and skipped; the other committees are still planned."""
    committees = session.exec(
        select(Committee)
        .where(col(Committee.active).is_(True), col(Committee.meeting_rule).is_not(None))
        .where(col(Committee.meeting_rule) != "", col(Committee.archived_at).is_(None))
        .order_by(col(Committee.id))
    ).all()
    created = planned = 0
    unreadable: list[str] = []
    for committee in committees:
        try:
            with session.begin_nested():
                made, _existing = create_meetings_from_rule(
                    session, committee, months=MONTHS_AHEAD, now=now, user_id=None
                )
        except InvalidInput as error:
            log.warning("%s: %s", committee.name, "; ".join(error.errors.values()))
            unreadable.append(committee.name)
            continue
        created += made
        planned += bool(made)
    outcome = (
        f"{plural(created, 'meeting')} created for {plural(planned, 'committee')} "
        f"({len(committees)} with a rule)"
    )
    if unreadable:
        outcome += f"; rule unreadable: {', '.join(unreadable)}"
    return outcome
