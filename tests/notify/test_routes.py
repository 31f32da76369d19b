"""/notifications and the header's unread count."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from jcpp.followups.lifecycle import change_status
from jcpp.models import Notification
from jcpp.notify import service
from tests.followups.helpers import Loop
from tests.web import WebClient, soup


def header_link(client: WebClient, path: str = "/") -> str:
    link = soup(client.get(path)).select_one("#notifications-link")
    assert link is not None, f"no notifications link on {path}"
    return " ".join(link.get_text(" ", strip=True).split())


def test_every_signed_in_page_shows_the_unread_count(
    client: WebClient, session: Session, loop: Loop
) -> None:
    client.sign_in(loop.world.users["member"])
    for path in ("/", "/committees", f"/follow-ups/{loop.id}", "/notifications"):
        assert header_link(client, path) == "Notifications 1 unread"
    change_status(
        session, loop.id, to="acknowledged", by=loop.viewer(session, "liaison"), version=1
    )
    assert header_link(client) == "Notifications 2 unread"


def test_nothing_unread_shows_no_count(client: WebClient, loop: Loop) -> None:
    client.sign_in(loop.world.users["county_staff"])
    assert header_link(client) == "Notifications"


def test_signed_out_pages_have_no_notifications_link(client: WebClient) -> None:
    assert soup(client.get("/login")).select("#notifications-link") == []


def test_the_list_links_to_the_follow_up_and_marks_one_read_in_place(
    client: WebClient, session: Session, loop: Loop
) -> None:
    change_status(
        session, loop.id, to="acknowledged", by=loop.viewer(session, "liaison"), version=1
    )
    client.sign_in(loop.world.users["member"])
    page = soup(client.get("/notifications"))
    items = page.select("#notification-list .notification")
    assert [" ".join(i.select_one("a").get_text().split()) for i in items] == [  # type: ignore[union-attr]
        "Lia Liaison marked “Bring stop data to the next meeting” acknowledged.",
        "Lia Liaison assigned “Bring stop data to the next meeting” to you.",
    ]
    assert {i.select_one("a")["href"] for i in items} == {f"/follow-ups/{loop.id}"}  # type: ignore[index]
    newest = session.get(Notification, int(items[0]["id"].split("-")[1]))  # type: ignore[union-attr]
    assert newest is not None

    answer = client.post(f"/notifications/{newest.id}/read", data={"show": "all"}, htmx=True)
    assert answer.status_code == 200
    fragment = soup(answer)
    assert fragment.select_one("#notification-list h2").get_text() == "1 unread"  # type: ignore[union-attr]
    header = fragment.select_one("#notifications-link[hx-swap-oob]")
    assert header is not None and " ".join(header.get_text(" ", strip=True).split()) == (
        "Notifications 1 unread"
    )
    assert newest.read_at is not None
    unread = soup(client.get("/notifications?show=unread")).select(".notification")
    assert len(unread) == 1


def test_mark_all_read(client: WebClient, session: Session, loop: Loop) -> None:
    client.sign_in(loop.world.users["member"])
    page = soup(client.get("/notifications"))
    up_to = page.select_one("input[name=up_to]")
    assert up_to is not None
    change_status(
        session, loop.id, to="acknowledged", by=loop.viewer(session, "liaison"), version=1
    )
    answer = client.post("/notifications/read-all", data={"up_to": up_to["value"]})
    assert (answer.status_code, answer.headers["location"]) == (303, "/notifications?show=all")
    member_id = loop.world.users["member"].id or 0
    assert service.unread_count(session, user_id=member_id) == 1, "what came later stays unread"
    answer = client.post("/notifications/read-all", data={}, htmx=True)
    assert soup(answer).select_one("#toasts").get_text() == "Marked 1 read."  # type: ignore[union-attr]
    assert service.unread_count(session, user_id=member_id) == 0


@pytest.mark.parametrize("role", ["liaison", "admin"])
def test_another_users_notification_is_not_found(
    client: WebClient, session: Session, loop: Loop, role: str
) -> None:
    [assigned] = session.exec(
        select(Notification).where(Notification.user_id == loop.world.users["member"].id)
    ).all()
    client.sign_in(loop.world.users[role])
    assert client.post(f"/notifications/{assigned.id}/read").status_code == 404
    assert session.get(Notification, assigned.id).read_at is None  # type: ignore[union-attr]
