"""Notifications: stored per user, counted, listed newest first, marked read by their user."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from jcpp import clock
from jcpp.errors import NotFound
from jcpp.notify import service
from tests.factories import create_user

T0 = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    """The fake clock: set at[0] to move it."""
    now = [T0]
    monkeypatch.setattr(clock, "utcnow", lambda: now[0])
    return now


def test_each_user_is_told_once_and_counts_only_her_unread(
    session: Session, at: list[dt.datetime]
) -> None:
    ana, ben = create_user(session, role="member"), create_user(session, role="member")
    rows = service.notify(
        session, user_ids=[ana.id or 0, ben.id or 0, ana.id or 0], kind="commented",
        message="  Ben   commented\non “Stop data”.  ",
    )  # fmt: skip
    assert [r.user_id for r in rows] == [ana.id, ben.id]
    assert rows[0].message == "Ben commented on “Stop data”."
    assert rows[0].created_at == T0
    assert service.unread_count(session, user_id=ana.id or 0) == 1
    service.mark_read(session, rows[0].id or 0, user_id=ana.id or 0)
    assert service.unread_count(session, user_id=ana.id or 0) == 0
    assert service.unread_count(session, user_id=ben.id or 0) == 1


def test_a_long_message_is_cut_to_fit(session: Session, at: list[dt.datetime]) -> None:
    ana = create_user(session, role="member")
    [row] = service.notify(session, user_ids=[ana.id or 0], kind="edited", message="x" * 900)
    assert len(row.message) == service.MAX_MESSAGE_CHARS and row.message.endswith("…")


def test_list_is_newest_first_and_can_show_unread_only(
    session: Session, at: list[dt.datetime]
) -> None:
    ana = create_user(session, role="member")
    ids = []
    for n in range(3):
        at[0] = T0 + dt.timedelta(hours=n)
        [row] = service.notify(session, user_ids=[ana.id or 0], kind="edited", message=f"#{n}")
        ids.append(row.id)
    service.mark_read(session, ids[1] or 0, user_id=ana.id or 0)
    rows, total = service.list_notifications(session, user_id=ana.id or 0)
    assert ([r.notification.message for r in rows], total) == (["#2", "#1", "#0"], 3)
    assert [r.unread for r in rows] == [True, False, True]
    unread, total = service.list_notifications(session, user_id=ana.id or 0, unread_only=True)
    assert ([r.notification.message for r in unread], total) == (["#2", "#0"], 2)


def test_marking_read_twice_keeps_the_first_time(session: Session, at: list[dt.datetime]) -> None:
    ana = create_user(session, role="member")
    [row] = service.notify(session, user_ids=[ana.id or 0], kind="edited", message="m")
    service.mark_read(session, row.id or 0, user_id=ana.id or 0)
    at[0] = T0 + dt.timedelta(days=1)
    assert service.mark_read(session, row.id or 0, user_id=ana.id or 0).read_at == T0


def test_another_users_notification_is_not_found(session: Session, at: list[dt.datetime]) -> None:
    ana, ben = create_user(session, role="member"), create_user(session, role="member")
    [row] = service.notify(session, user_ids=[ana.id or 0], kind="edited", message="m")
    with pytest.raises(NotFound):
        service.mark_read(session, row.id or 0, user_id=ben.id or 0)
    assert row.read_at is None


def test_mark_all_read_leaves_what_arrived_after_the_page_was_shown(
    session: Session, at: list[dt.datetime]
) -> None:
    ana, ben = create_user(session, role="member"), create_user(session, role="member")
    first = service.notify(session, user_ids=[ana.id or 0, ben.id or 0], kind="e", message="1")
    service.notify(session, user_ids=[ana.id or 0], kind="e", message="2")
    later = service.notify(session, user_ids=[ana.id or 0], kind="e", message="3")
    assert service.mark_all_read(session, user_id=ana.id or 0, up_to_id=later[0].id) == 3
    assert service.unread_count(session, user_id=ana.id or 0) == 0
    assert service.unread_count(session, user_id=ben.id or 0) == 1
    service.notify(session, user_ids=[ben.id or 0], kind="e", message="4")
    assert service.mark_all_read(session, user_id=ben.id or 0, up_to_id=first[1].id) == 1
    assert service.unread_count(session, user_id=ben.id or 0) == 1
