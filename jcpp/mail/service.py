"""The admin's Outbox page: what is queued, sent or failed, one message read safely, a failed
message queued again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func
from sqlmodel import Session, col, select

from jcpp.audit import service as audit
from jcpp.errors import Conflict, NotFound
from jcpp.models import OUTBOX_STATUSES, OutboxMessage, User

PER_PAGE = 50


@dataclass(frozen=True)
class OutboxFilter:
    status: str | None = None  # one of OUTBOX_STATUSES
    kind: str | None = None


def _conditions(filters: OutboxFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.status in OUTBOX_STATUSES:
        conditions.append(col(OutboxMessage.status) == filters.status)
    if filters.kind:
        conditions.append(col(OutboxMessage.kind) == filters.kind)
    return conditions


def list_messages(
    session: Session, *, filters: OutboxFilter, page: int = 1
) -> tuple[list[OutboxMessage], int]:
    """Messages matching the filters, newest first, with the total for paging."""
    conditions = _conditions(filters)
    total = int(session.exec(select(func.count(col(OutboxMessage.id))).where(*conditions)).one())
    rows = session.exec(
        select(OutboxMessage)
        .where(*conditions)
        .order_by(col(OutboxMessage.id).desc())
        .offset((max(page, 1) - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return list(rows), total


def status_counts(session: Session) -> dict[str, int]:
    """How many messages are in each status (every status, 0 included)."""
    rows = session.exec(
        select(OutboxMessage.status, func.count()).group_by(col(OutboxMessage.status))
    ).all()
    counts = dict.fromkeys(OUTBOX_STATUSES, 0)
    counts.update({status: int(count) for status, count in rows})
    return counts


def get_message(session: Session, message_id: int) -> OutboxMessage:
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("There is no such message in the outbox.")
    return message


def recipient_name(session: Session, message: OutboxMessage) -> str | None:
    user = session.get(User, message.user_id) if message.user_id is not None else None
    return user.name if user else None


def purge_sent(session: Session, *, before: dt.datetime) -> int:
    """Delete messages sent before `before` (their bodies hold people's names and business;
    the outbox is not an archive). Returns how many. Queued and failed ones stay."""
    result = session.exec(
        delete(OutboxMessage).where(
            col(OutboxMessage.status) == "sent", col(OutboxMessage.sent_at) < before
        )
    )
    session.flush()
    return int(result.rowcount)


def retry(session: Session, message_id: int, *, by: User) -> OutboxMessage:
    """Queue a failed message again, due at once, with its attempts counted from zero."""
    message = get_message(session, message_id)
    if message.status != "failed":
        raise Conflict("Only a failed message can be sent again; this one is " + message.status)
    message.status, message.attempts, message.next_attempt_at = "queued", 0, None
    session.add(message)
    audit.record(
        session,
        user_id=by.id,
        action="retry_email",
        entity_type="outbox_message",
        entity_id=message.id,
        summary=f"Queued the e-mail “{message.subject}” to {message.to_address} again",
        before={"status": "failed", "last_error": message.last_error},
        after={"status": "queued"},
    )
    session.flush()
    return message
