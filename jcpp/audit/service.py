"""Audit events: every change writes one (who, when, what, before/after)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.models import AuditEvent, City, User
from jcpp.models.base import utcnow

# The actions the application records, offered by the log's filter without reading the table
# (ten years of events, one per sign-in). Actions seen lately are added to these.
KNOWN_ACTIONS = (
    "activate_user",
    "add_agenda_item",
    "add_concern",
    "add_meeting_topic",
    "add_membership",
    "add_topic",
    "carry_forward",
    "change_follow_up_status",
    "comment_follow_up",
    "confirm_action_item",
    "confirm_concern",
    "confirm_recurrence",
    "confirm_topic",
    "create_city",
    "create_committee",
    "create_follow_up",
    "create_meeting",
    "create_person",
    "create_user",
    "deactivate_user",
    "delete_agenda_item",
    "drop_old_business",
    "edit_agenda_item",
    "edit_concern",
    "edit_follow_up",
    "end_membership",
    "link_follow_up",
    "load_demo",
    "load_topics",
    "lock_account",
    "merge_topic",
    "minutes_approved",
    "minutes_published",
    "minutes_saved",
    "minutes_unpublished",
    "move_agenda_item",
    "record_attendance",
    "reject_action_item",
    "reject_concern",
    "reject_topic",
    "rename_city",
    "restore_topic",
    "retag_minutes",
    "retire_topic",
    "schedule_meetings",
    "set_meeting_status",
    "set_password",
    "sign_in",
    "split_recurrence",
    "train_model",
    "unlink_follow_up",
    "update_committee",
    "update_meeting",
    "update_membership",
    "update_topic",
    "update_user",
)
RECENT_ACTIONS_DAYS = 90


def record(
    session: Session,
    *,
    user_id: int | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    city_id: int | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event to the session (committed with the change it records)."""
    event = AuditEvent(
        user_id=user_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        city_id=city_id,
        summary=summary[:500],
        before=_jsonable(before),
        after=_jsonable(after),
    )
    session.add(event)
    return event


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dt.datetime | dt.date):
            out[key] = value.isoformat()
        elif isinstance(value, str) and len(value) > 2000:
            out[key] = value[:2000] + "…"
        else:
            out[key] = value
    return out


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    entity_type: str | None = None
    user_id: int | None = None
    city_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    user_name: str | None
    city_name: str | None


def list_events(
    session: Session, *, filters: AuditFilter, page: int, per_page: int = 50
) -> tuple[list[AuditRow], int]:
    """Newest first, with the total count for paging."""
    query = (
        select(AuditEvent, User.name, City.name)
        .join(User, col(User.id) == AuditEvent.user_id, isouter=True)
        .join(City, col(City.id) == AuditEvent.city_id, isouter=True)
    )
    conditions: list[ColumnElement[bool]] = []
    if filters.action:
        conditions.append(col(AuditEvent.action) == filters.action)
    if filters.entity_type:
        conditions.append(col(AuditEvent.entity_type) == filters.entity_type)
    if filters.user_id:
        conditions.append(col(AuditEvent.user_id) == filters.user_id)
    if filters.city_id:
        conditions.append(col(AuditEvent.city_id) == filters.city_id)
    # The dates are county calendar days, as the log shows its times.
    start, end = clock.day_bounds(filters.since, filters.until)
    if start is not None:
        conditions.append(col(AuditEvent.at) >= start)
    if end is not None:
        conditions.append(col(AuditEvent.at) < end)
    for condition in conditions:
        query = query.where(condition)
    count_query = select(func.count()).select_from(AuditEvent)
    for condition in conditions:
        count_query = count_query.where(condition)
    total = session.exec(count_query).one()
    rows = session.exec(
        query.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return [AuditRow(event=e, user_name=u, city_name=c) for e, u, c in rows], total


def action_choices(
    session: Session, *, chosen: str | None = None, now: dt.datetime | None = None
) -> list[str]:
    """The actions to offer in the filter: the known ones, any other recorded in the last
    RECENT_ACTIONS_DAYS days (a range of the indexed time column, not the whole table), and the
    one chosen."""
    since = (now or utcnow()) - dt.timedelta(days=RECENT_ACTIONS_DAYS)
    recent = session.exec(
        select(AuditEvent.action).where(col(AuditEvent.at) >= since).distinct()
    ).all()
    return sorted({*KNOWN_ACTIONS, *recent, *([chosen] if chosen else [])})


def user_choices(session: Session) -> list[tuple[int, str]]:
    """Every user's id and name, by name (for the "who" filter)."""
    rows = session.exec(select(User.id, User.name).order_by(User.name, col(User.id))).all()
    return [(user_id, name) for user_id, name in rows if user_id is not None]


def city_choices(session: Session) -> list[tuple[int, str]]:
    rows = session.exec(select(City.id, City.name).order_by(City.name)).all()
    return [(city_id, name) for city_id, name in rows if city_id is not None]
