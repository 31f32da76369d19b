"""The follow-up page: who sees what, status changes in place, editors' changes, links and
threaded comments; refused changes keep what the person typed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session, select

from jcpp.followups.lifecycle import change_status
from jcpp.followups.service import details_fingerprint
from jcpp.models import AuditEvent, Concern, FollowUpComment, FollowUpTopic, Notification, Topic
from jcpp.topics.service import ensure_default_topics
from tests.factories import create_meeting
from tests.followups.helpers import FakeClock, Loop, events
from tests.web import WebClient, soup


def url(loop: Loop, tail: str = "") -> str:
    return f"/follow-ups/{loop.id}{tail}"


def signed_in(client: WebClient, loop: Loop, role: str) -> WebClient:
    return client.sign_in(loop.world.users[role])


def text_of(page: BeautifulSoup, selector: str) -> str:
    found = page.select_one(selector)
    assert found is not None, f"nothing matches {selector}"
    return " ".join(found.get_text(" ", strip=True).split())


def buttons(page: BeautifulSoup, selector: str) -> list[str]:
    return [b.get_text(" ", strip=True) for b in page.select(f"{selector} button")]


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize("role", ["admin", "county_staff", "liaison", "member"])
def test_everyone_in_scope_reads_the_page_as_page_and_as_fragment_request(
    client: WebClient, loop: Loop, role: str
) -> None:
    signed_in(client, loop, role)
    for answer in (client.get(url(loop)), client.htmx_get(url(loop))):
        assert answer.status_code == 200
        page = soup(answer)
        assert text_of(page, "h1") == "Bring stop data to the next meeting"
        assert text_of(page, "#follow-up-head .follow-up-status") == "Open"
        assert "HX-Request" in answer.headers["vary"]
    facts = text_of(page, "#follow-up-facts")
    assert "Lt. Okafor" in facts and "Meg Member" in facts and "May 1, 2026" in facts
    meeting_link = page.select_one(f"#follow-up-facts a[href='/meetings/{loop.meeting.id}']")
    assert meeting_link is not None


@pytest.mark.parametrize("role", ["liaison_other", "member_other"])
def test_people_of_another_city_get_not_found(client: WebClient, loop: Loop, role: str) -> None:
    assert signed_in(client, loop, role).get(url(loop)).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client: WebClient, loop: Loop) -> None:
    answer = client.get(url(loop))
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/login?next=%2Ffollow-ups%2F{loop.id}"


def test_an_unknown_follow_up_is_not_found(client: WebClient, loop: Loop) -> None:
    assert signed_in(client, loop, "admin").get("/follow-ups/999999").status_code == 404


def test_a_past_due_date_is_flagged_overdue(
    client: WebClient, loop: Loop, fake_clock: FakeClock
) -> None:
    signed_in(client, loop, "member")
    assert soup(client.get(url(loop))).select(".overdue") == []
    fake_clock.now = dt.datetime(2026, 5, 4, 15, 0, tzinfo=dt.UTC)
    page = soup(client.get(url(loop)))
    assert text_of(page, "#follow-up-facts .overdue") == "overdue by 3 days"
    assert "Overdue" in text_of(page, "#follow-up-head")


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("liaison", ["Acknowledge", "Decline", "Mark in progress", "Report done"]),
        ("admin", ["Acknowledge", "Decline", "Mark in progress", "Report done"]),
        ("member", ["Mark in progress", "Report done"]),
        ("county_staff", []),
    ],
)
def test_each_viewer_sees_the_status_buttons_she_may_use(
    client: WebClient, loop: Loop, role: str, offered: list[str]
) -> None:
    page = soup(signed_in(client, loop, role).get(url(loop)))
    assert buttons(page, "#follow-up-status") == offered
    assert bool(page.select("#follow-up-edit form")) is (role in ("liaison", "admin"))


# ---------------------------------------------------------------- status


def test_a_status_change_answers_with_the_status_history_and_moved_versions(
    client: WebClient, session: Session, loop: Loop
) -> None:
    signed_in(client, loop, "liaison")
    answer = client.post(
        url(loop, "/status"), data={"to": "acknowledged", "comment": "On it.", "version": "1"},
        htmx=True,
    )  # fmt: skip
    assert answer.status_code == 200
    page = soup(answer)
    assert text_of(page, "#follow-up-status .follow-up-status") == "Acknowledged"
    assert page.select_one("#follow-up-history")["hx-swap-oob"] == "true"  # type: ignore[index]
    assert "Open → Acknowledged" in text_of(page, "#follow-up-history")
    assert "“On it.”" in text_of(page, "#follow-up-history")
    moved = page.select_one("input.follow-up-version--2[hx-swap-oob]")
    assert moved is not None and moved["hx-swap-oob"] == "outerHTML:.follow-up-version--1"
    assert text_of(page, "#toasts") == "Acknowledged."
    assert loop.follow_up.status == "acknowledged" and loop.follow_up.version == 2


def test_a_plain_status_post_goes_back_to_the_page(
    client: WebClient, session: Session, loop: Loop
) -> None:
    signed_in(client, loop, "member")
    answer = client.post(url(loop, "/status"), data={"to": "reported_done", "version": "1"})
    assert answer.status_code == 303
    assert answer.headers["location"] == url(loop, "#follow-up-status")
    assert loop.follow_up.status == "reported_done"


def test_declining_without_a_reason_is_refused_and_keeps_what_was_typed(
    client: WebClient, session: Session, loop: Loop
) -> None:
    signed_in(client, loop, "liaison")
    answer = client.post(
        url(loop, "/status"),
        data={"to": "declined", "comment": "  ", "progress": "30", "version": "1"},
        htmx=True,
    )
    assert answer.status_code == 422
    page = soup(answer)
    assert text_of(page, "#status-comment-error") == "Give the reason it is declined."
    field = page.select_one("#status-progress")
    assert field is not None and field["value"] == "30"
    assert loop.follow_up.status == "open" and len(events(session, loop.id)) == 1


def test_a_change_someone_made_first_is_shown_and_the_comment_kept(
    client: WebClient, session: Session, loop: Loop
) -> None:
    admin = loop.viewer(session, "admin")
    change_status(session, loop.id, to="acknowledged", by=admin, version=1)
    signed_in(client, loop, "liaison")
    answer = client.post(
        url(loop, "/status"),
        data={"to": "declined", "comment": "No budget this year.", "version": "1"},
        htmx=True,
    )
    assert answer.status_code == 409
    page = soup(answer)
    assert text_of(page, "#follow-up-status [role=alert]").startswith(
        "Ada Admin changed this follow-up after this page was loaded (it is now Acknowledged)"
    )
    assert text_of(page, "#status-comment") == "No budget this year."
    version = page.select_one("#follow-up-status input[name=version]")
    assert version is not None and version["value"] == "2", "the form now carries what is seen"
    assert text_of(page, "#follow-up-head .follow-up-status") == "Acknowledged"
    assert loop.follow_up.status == "acknowledged"


@pytest.mark.parametrize(
    ("role", "status"),
    [("county_staff", 403), ("liaison_other", 404), ("member_other", 404)],
)
def test_people_who_may_not_change_the_status_are_refused(
    client: WebClient, session: Session, loop: Loop, role: str, status: int
) -> None:
    signed_in(client, loop, role)
    answer = client.post(url(loop, "/status"), data={"to": "acknowledged", "version": "1"})
    assert answer.status_code == status
    assert loop.follow_up.status == "open" and len(events(session, loop.id)) == 1


def test_the_owner_may_not_acknowledge_and_is_told_why(client: WebClient, loop: Loop) -> None:
    signed_in(client, loop, "member")
    answer = client.post(
        url(loop, "/status"), data={"to": "acknowledged", "version": "1"}, htmx=True
    )
    assert answer.status_code == 403
    assert "you can mark it in progress or report it done" in text_of(soup(answer), "#toasts")


def test_acting_on_a_follow_up_marks_ones_notifications_about_it_read(
    client: WebClient, session: Session, loop: Loop
) -> None:
    member = loop.world.users["member"]
    unread = select(Notification).where(
        Notification.user_id == member.id,
        Notification.read_at == None,  # noqa: E711
    )
    assert len(session.exec(unread).all()) == 1  # assigned
    signed_in(client, loop, "member")
    answer = client.post(
        url(loop, "/status"), data={"to": "in_progress", "version": "1"}, htmx=True
    )
    assert session.exec(unread).all() == []
    assert text_of(soup(answer), "#notifications-link[hx-swap-oob]") == "Notifications"


# ---------------------------------------------------------------- details


def test_an_editor_changes_the_details_and_the_history_says_what_changed(
    client: WebClient, session: Session, loop: Loop
) -> None:
    signed_in(client, loop, "liaison")
    staff = loop.world.users["county_staff"]
    data = {
        "title": "Bring stop data by precinct",
        "description": "Broken down by precinct and time of day.",
        "owner_text": "Lt. Okafor",
        "owner_user_id": str(staff.id),
        "due_date": "2026-06-03",
        "progress": "10",
        "seen": details_fingerprint(loop.follow_up),
        "version": "1",
    }
    answer = client.post(url(loop), data=data, htmx=True)
    assert answer.status_code == 200
    page = soup(answer)
    assert text_of(page, "#follow-up-edit [role=status]") == "Saved."
    assert text_of(page, "#follow-up-head h1") == "Bring stop data by precinct"
    facts = text_of(page, "#follow-up-facts")
    assert "Cory County" in facts and "Jun 3, 2026" in facts and "10%" in facts
    assert page.select_one("#follow-up-status[hx-swap-oob]") is not None, "new owner: new buttons"
    history = text_of(page, "#follow-up-history")
    assert "Details edited" in history
    assert "Assigned to: Meg Member → Cory County" in history
    assert "Due date: May 1, 2026 → Jun 3, 2026" in history
    assigned = session.exec(
        select(Notification).where(
            Notification.user_id == staff.id, Notification.kind == "assigned"
        )
    ).all()
    assert [n.message for n in assigned] == [
        "Lia Liaison assigned “Bring stop data by precinct” to you."
    ]


def test_invalid_details_come_back_with_their_errors_and_the_typed_values(
    client: WebClient, session: Session, loop: Loop
) -> None:
    signed_in(client, loop, "liaison")
    data = {
        "title": " ", "description": "Keep this text.", "owner_text": "Public Works",
        "owner_user_id": str(loop.world.users["member_other"].id), "due_date": "someday",
        "progress": "150", "seen": details_fingerprint(loop.follow_up), "version": "1",
    }  # fmt: skip
    answer = client.post(url(loop), data=data, htmx=True)
    assert answer.status_code == 422
    page = soup(answer)
    assert (
        text_of(page, "#details-due_date-error") == "Give the due date as a date, e.g. 2026-05-20."
    )
    answer = client.post(url(loop), data={**data, "due_date": "2026-06-01"}, htmx=True)
    page = soup(answer)
    errors = {p["id"]: p.get_text() for p in page.select(".field-error")}
    assert errors == {
        "details-title-error": "Say what is to be done.",
        "details-owner_user_id-error": "Choose someone who can see this committee's follow-ups.",
        "details-progress-error": "Progress is a percentage from 0 to 100.",
    }
    assert text_of(page, "#details-description") == "Keep this text."
    owner = page.select_one("#details-owner_text")
    assert owner is not None and owner["value"] == "Public Works"
    assert page.select_one("#follow-up-edit details[open]") is not None
    assert loop.follow_up.title == "Bring stop data to the next meeting"


def test_details_changed_by_someone_else_are_compared_and_the_typed_values_kept(
    client: WebClient, session: Session, loop: Loop
) -> None:
    seen = details_fingerprint(loop.follow_up)
    loop.follow_up.due_date = dt.date(2026, 7, 1)
    session.add(loop.follow_up)
    session.flush()
    signed_in(client, loop, "liaison")
    data = {
        "title": "Bring stop data to the next meeting", "description": "",
        "owner_text": "Lt. Okafor", "owner_user_id": str(loop.world.users["member"].id),
        "due_date": "2026-05-15",
        "progress": "", "seen": seen, "version": "1",
    }  # fmt: skip
    answer = client.post(url(loop), data=data, htmx=True)
    assert answer.status_code == 409
    page = soup(answer)
    row = page.select_one("#follow-up-edit .conflict__differs")
    assert row is not None
    assert [td.get_text() for td in row.select("td")] == ["2026-07-01", "2026-05-15"]
    due = page.select_one("#details-due_date")
    assert due is not None and due["value"] == "2026-05-15"
    again = page.select_one("#follow-up-edit input[name=seen]")
    assert again is not None and again["value"] == details_fingerprint(loop.follow_up)
    assert loop.follow_up.due_date == dt.date(2026, 7, 1)
    resent = client.post(url(loop), data={**data, "seen": again["value"]}, htmx=True)
    assert resent.status_code == 200 and loop.follow_up.due_date == dt.date(2026, 5, 15)


def test_saving_unchanged_details_changes_nothing(
    client: WebClient, session: Session, loop: Loop
) -> None:
    signed_in(client, loop, "liaison")
    fu = loop.follow_up
    data = {
        "title": fu.title, "description": "", "owner_text": fu.owner_text,
        "owner_user_id": str(fu.owner_user_id), "due_date": "2026-05-01", "progress": "",
        "seen": details_fingerprint(fu), "version": "1",
    }  # fmt: skip
    answer = client.post(url(loop), data=data, htmx=True)
    assert text_of(soup(answer), "#follow-up-edit [role=status]") == (
        "Nothing to save: the details are unchanged."
    )
    assert fu.version == 1 and len(events(session, loop.id)) == 1


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("county_staff", 403)])
def test_readers_may_not_edit_the_details(
    client: WebClient, loop: Loop, role: str, status: int
) -> None:
    signed_in(client, loop, role)
    answer = client.post(url(loop), data={"title": "Mine now", "due_date": "nonsense"})
    assert answer.status_code == status
    assert loop.follow_up.title == "Bring stop data to the next meeting"


# ---------------------------------------------------------------- comments


def test_comments_and_replies_are_threaded(client: WebClient, session: Session, loop: Loop) -> None:
    signed_in(client, loop, "member")
    first = client.post(url(loop, "/comments"), data={"body": "Which precincts?"}, htmx=True)
    assert first.status_code == 200
    assert text_of(soup(first), "#toasts") == "Comment added."
    question = session.exec(select(FollowUpComment)).one()
    answer = client.post(
        url(loop, "/comments"),
        data={"body": "All three.\nStarting with the north.", "parent_id": str(question.id)},
        htmx=True,
    )
    page = soup(answer)
    thread = page.select_one(f"#comment-{question.id}")
    assert thread is not None
    reply = thread.select_one(".comment-thread--replies .comment")
    assert reply is not None
    assert text_of(reply, ".comment__meta").startswith("Meg Member replied to Meg Member ·")
    assert [p.get_text() for p in reply.select(".comment__body p")] == [
        "All three.",
        "Starting with the north.",
    ]
    assert "2 comments" in text_of(page, "#follow-up-comments .card__head")
    plain = client.post(url(loop, "/comments"), data={"body": "Thanks."})
    assert plain.status_code == 303 and plain.headers["location"].startswith(url(loop, "#comment-"))


def test_an_empty_reply_is_refused_in_its_own_form(
    client: WebClient, session: Session, loop: Loop
) -> None:
    signed_in(client, loop, "county_staff")
    client.post(url(loop, "/comments"), data={"body": "Question."})
    question = session.exec(select(FollowUpComment)).one()
    answer = client.post(
        url(loop, "/comments"), data={"body": "   ", "parent_id": str(question.id)}, htmx=True
    )
    assert answer.status_code == 422
    page = soup(answer)
    assert page.select_one(f"#comment-{question.id} details[open]") is not None
    assert text_of(page, f"#reply-{question.id}-error") == "Write a comment first."


def test_a_reply_to_a_comment_that_is_not_there_keeps_its_text(
    client: WebClient, loop: Loop
) -> None:
    signed_in(client, loop, "member")
    answer = client.post(
        url(loop, "/comments"), data={"body": "My long reply.", "parent_id": "987654"}, htmx=True
    )
    assert answer.status_code == 422
    page = soup(answer)
    assert "The comment you replied to is not on this follow-up." in text_of(
        page, "#follow-up-comments [role=alert]"
    )
    assert text_of(page, "#comment-body") == "My long reply."


@pytest.mark.parametrize("role", ["liaison_other", "member_other"])
def test_people_of_another_city_cannot_comment(
    client: WebClient, session: Session, loop: Loop, role: str
) -> None:
    signed_in(client, loop, role)
    assert client.post(url(loop, "/comments"), data={"body": "Hi"}).status_code == 404
    assert session.exec(select(FollowUpComment)).all() == []


# ---------------------------------------------------------------- links


def test_an_editor_links_and_unlinks_topics_and_concerns(
    client: WebClient, session: Session, loop: Loop
) -> None:
    ensure_default_topics(session)
    concern = Concern(
        meeting_id=loop.meeting.id or 0, revision_number=1, start=0, end=10,
        text="Cars race past the school at pickup time.", state="confirmed",
    )  # fmt: skip
    session.add(concern)
    session.flush()
    signed_in(client, loop, "liaison")
    page = soup(client.get(url(loop)))
    options = [o.get_text() for o in page.select("#link-concern option")]
    assert "Cars race past the school at pickup time." in options

    answer = client.post(url(loop, "/topics"), data={"topic": "youth", "version": "1"}, htmx=True)
    assert answer.status_code == 200
    assert text_of(soup(answer), "#follow-up-topics, .follow-up-topics") == "Youth Unlink"
    assert "Linked a topic" in text_of(soup(answer), "#follow-up-history")
    answer = client.post(
        url(loop, "/concerns"), data={"concern_id": str(concern.id), "version": "2"}, htmx=True
    )
    assert "Cars race past the school" in text_of(soup(answer), ".follow-up-concerns")
    assert loop.follow_up.version == 3

    again = client.post(url(loop, "/topics"), data={"topic": "youth", "version": "3"}, htmx=True)
    assert text_of(soup(again), "#toasts") == "Nothing changed: it was so already."
    client.post(url(loop, "/topics/youth/unlink"), data={"version": "3"}, htmx=True)
    client.post(url(loop, f"/concerns/{concern.id}/unlink"), data={"version": "4"})
    assert session.exec(select(FollowUpTopic)).all() == []
    assert [e.kind for e in events(session, loop.id)] == [
        "created", "linked", "linked", "unlinked", "unlinked",
    ]  # fmt: skip
    audited = session.exec(select(AuditEvent.action).where(AuditEvent.entity_id == loop.id)).all()
    assert {"link_follow_up", "unlink_follow_up"} <= set(audited)


def test_a_concern_of_another_committee_cannot_be_linked(
    client: WebClient, session: Session, loop: Loop
) -> None:
    elsewhere = create_meeting(session, committee=loop.world.other_committee)
    concern = Concern(
        meeting_id=elsewhere.id or 0, revision_number=1, start=0, end=5, text="Elsewhere"
    )
    session.add(concern)
    session.flush()
    signed_in(client, loop, "admin")
    answer = client.post(
        url(loop, "/concerns"), data={"concern_id": str(concern.id), "version": "1"}, htmx=True
    )
    assert answer.status_code == 422
    assert text_of(soup(answer), "#follow-up-links [role=alert]") == (
        "Choose a concern raised in this committee's meetings."
    )
    assert loop.follow_up.version == 1


def test_an_unknown_topic_is_refused_and_readers_may_not_link(
    client: WebClient, session: Session, loop: Loop
) -> None:
    ensure_default_topics(session)
    signed_in(client, loop, "liaison")
    answer = client.post(url(loop, "/topics"), data={"topic": "no-such"}, htmx=True)
    assert answer.status_code == 422
    other = WebClient(client.app).sign_in(loop.world.users["member"])
    assert other.post(url(loop, "/topics"), data={"topic": "youth"}).status_code == 403
    youth = session.exec(select(Topic).where(Topic.slug == "youth")).one()
    assert session.get(FollowUpTopic, (loop.id, youth.id)) is None


def test_forms_carry_the_version_their_page_showed(client: WebClient, loop: Loop) -> None:
    page = soup(signed_in(client, loop, "liaison").get(url(loop)))
    versions = page.select("input.follow-up-version")
    assert versions and {v["value"] for v in versions} == {"1"}
    assert all(re.fullmatch(r"follow-up-version--1", v["class"][1]) for v in versions)
