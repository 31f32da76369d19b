"""In-app notifications: something a user should know about, unread until she reads it.

Other domains decide who is told what (`jcpp.followups.lifecycle` tells a follow-up's owner and
its creator about a change, never the person who made it); this module stores, counts, lists and
marks them. Each user sees only her own: another user's notification answers NotFound.
Reading one's own notifications is not audited (it changes nothing anyone else sees).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.errors import NotFound
from jcpp.models import FollowUp, Notification

MAX_MESSAGE_CHARS = 500
PER_PAGE = 50


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def notify(
    session: Session,
    *,
    user_ids: Iterable[int],
    kind: str,
    message: str,
    follow_up_id: int | None = None,
    recurring_id: int | None = None,
) -> list[Notification]:
    """One unread notification for each of `user_ids` (each user once)."""
    message = shorten(message, MAX_MESSAGE_CHARS)
    now = clock.now()
    rows = [
        Notification(
            user_id=user_id,
            kind=kind,
            message=message,
            follow_up_id=follow_up_id,
            recurring_id=recurring_id,
            created_at=now,
        )  # fmt: skip
        for user_id in dict.fromkeys(user_ids)
    ]
    session.add_all(rows)
    session.flush()
    return rows


def unread_count(session: Session, *, user_id: int) -> int:
    """How many of the user's notifications are unread (one indexed count, for every page)."""
    query = select(func.count()).where(
        col(Notification.user_id) == user_id, col(Notification.read_at).is_(None)
    )
    return int(session.exec(query).one())


def newest_id(session: Session, *, user_id: int) -> int | None:
    """The id of the user's newest notification (what "mark all read" goes up to)."""
    return session.exec(
        select(func.max(Notification.id)).where(Notification.user_id == user_id)
    ).one()


@dataclass(frozen=True)
class NotificationRow:
    notification: Notification
    follow_up_title: str | None

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def list_notifications(
    session: Session, *, user_id: int, page: int = 1, unread_only: bool = False
) -> tuple[list[NotificationRow], int]:
    """The user's notifications, newest first, with the total count for paging."""
    conditions = [col(Notification.user_id) == user_id]
    if unread_only:
        conditions.append(col(Notification.read_at).is_(None))
    total = int(session.exec(select(func.count()).where(*conditions)).one())
    rows = session.exec(
        select(Notification, FollowUp.title)
        .join(FollowUp, col(FollowUp.id) == Notification.follow_up_id, isouter=True)
        .where(*conditions)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .offset((max(page, 1) - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return [NotificationRow(n, title) for n, title in rows], total


def get_own(session: Session, notification_id: int, *, user_id: int) -> Notification:
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user_id:
        raise NotFound("There is no such notification.")
    return notification


def mark_read(session: Session, notification_id: int, *, user_id: int) -> Notification:
    """Mark one of the user's notifications read (reading it again changes nothing)."""
    notification = get_own(session, notification_id, user_id=user_id)
    if notification.read_at is None:
        notification.read_at = clock.now()
        session.add(notification)
        session.flush()
    return notification


def mark_all_read(session: Session, *, user_id: int, up_to_id: int | None = None) -> int:
    """Mark every unread notification of the user read; with `up_to_id`, only those up to that
    one (the newest the person saw: one that arrived since stays unread). Returns how many."""
    conditions = [col(Notification.user_id) == user_id, col(Notification.read_at).is_(None)]
    if up_to_id is not None:
        conditions.append(col(Notification.id) <= up_to_id)
    result = session.exec(update(Notification).where(*conditions).values(read_at=clock.now()))
    session.flush()
    return int(result.rowcount)


def mark_follow_up_read(session: Session, *, user_id: int, follow_up_id: int) -> int:
    """Mark the user's unread notifications about a follow-up read (she acted on it)."""
    result = session.exec(
        update(Notification)
        .where(
            col(Notification.user_id) == user_id,
            col(Notification.follow_up_id) == follow_up_id,
            col(Notification.read_at).is_(None),
        )
        .values(read_at=clock.now())
    )
    session.flush()
    return int(result.rowcount)
