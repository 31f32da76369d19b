"""The e-mail pages: notice choices, the unsubscribe link followed from a received e-mail, the
admin's Outbox (each htmx route as a page and as a fragment)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session, select

from jcpp.config import Settings, get_settings
from jcpp.mail import preferences
from jcpp.mail.outbox import enqueue, send_pending
from jcpp.mail.unsubscribe import make_token
from jcpp.models import AuditEvent, OutboxMessage, User
from tests.factories import create_user
from tests.mail.conftest import NOW
from tests.mail.smtp_server import Recorder
from tests.web import WebClient, soup

SCRIPT = '<html><body><p id="hello">Hello</p><script>alert("x")</script></body></html>'


def checked(page: BeautifulSoup) -> dict[str, bool]:
    boxes = page.select("#notice-preferences input[type=checkbox]")
    return {str(box["name"]): box.has_attr("checked") for box in boxes}


def queue(session: Session, user: User, settings: Settings, **kw: object) -> OutboxMessage:
    values: dict[str, object] = {
        "kind": preferences.FOLLOW_UP_DUE,
        "subject": "Follow-up due: stop data by precinct",
        "text": "Due on Friday.",
        "html": SCRIPT,
        "dedupe_key": "due:1",
        **kw,
    }
    row = enqueue(session, user=user, to=user.email, settings=settings, **values)  # type: ignore[arg-type]
    assert row is not None
    return row


# --- notice choices ------------------------------------------------------------------------------


def test_a_liaison_sees_her_kinds_all_on_by_default(client: WebClient, liaison: User) -> None:
    client.sign_in(liaison)
    page = soup(client.get("/account/notifications"))
    assert page.select_one("h1").get_text() == "E-mail notices"  # type: ignore[union-attr]
    assert checked(page) == {
        "email-meeting_reminder": True,
        "email-minutes_missing": True,
        "email-follow_up_due": True,
    }
    assert page.select("input[name=digest]") == []  # the digest is county staff's

    fragment = soup(client.htmx_get("/account/notifications"))
    assert fragment.select_one("html") is None
    assert fragment.select_one("section#notice-preferences") is not None


def test_saving_choices_turns_off_what_is_unticked(
    client: WebClient, session: Session, liaison: User
) -> None:
    client.sign_in(liaison)
    data = {"email-meeting_reminder": "on"}
    response = client.post("/account/notifications", data=data)
    assert response.status_code == 303
    assert response.headers["location"] == "/account/notifications?saved=1"
    page = soup(client.get(response.headers["location"]))
    assert page.select_one("#notice-preferences .alert--success") is not None
    assert checked(page) == {
        "email-meeting_reminder": True,
        "email-minutes_missing": False,
        "email-follow_up_due": False,
    }
    assert liaison.id is not None
    assert not preferences.wants_email(session, user_id=liaison.id, kind="follow_up_due")

    fragment = soup(client.post("/account/notifications", data={}, htmx=True))
    assert checked(fragment) == dict.fromkeys(checked(page), False)
    assert "saved" in fragment.select_one("#toasts").get_text()  # type: ignore[union-attr]


def test_county_staff_choose_the_digest_frequency(client: WebClient, session: Session) -> None:
    staff = create_user(session, role="county_staff")
    assert preferences.digest_subscribers(session) == [staff]
    client.sign_in(staff)
    page = soup(client.get("/account/notifications"))
    radios = {str(r["value"]): r.has_attr("checked") for r in page.select("input[name=digest]")}
    assert radios == {"weekly": True, "never": False}
    assert "email-cadence_alert" in checked(page)

    client.post("/account/notifications", data={"digest": "never", "email-cadence_alert": "on"})

    assert preferences.digest_subscribers(session) == []
    page = soup(client.get("/account/notifications"))
    assert page.select_one("input[name=digest][value=never]").has_attr("checked")  # type: ignore[union-attr]
    assert checked(page)["email-cadence_alert"] is True


# --- the unsubscribe link ------------------------------------------------------------------------


def test_the_link_of_a_received_email_stops_its_kind_without_signing_in(
    client: WebClient,
    session: Session,
    session_factory: Callable[[], Session],
    mail_settings: Settings,
    received: Recorder,
    liaison: User,
) -> None:
    queue(session, liaison, mail_settings, html=None)
    send_pending(session_factory, now=NOW, settings=mail_settings)
    [message] = received.accepted
    link = str(message["List-Unsubscribe"]).strip("<>")
    assert f"Stop e-mails about follow-ups due and overdue: {link}" in message.get_content()
    path = link.removeprefix("http://testserver")

    page = soup(client.get(path))  # not signed in
    assert "Stop e-mails about follow-ups due and overdue?" in page.select_one("h1").get_text()  # type: ignore[union-attr]
    assert "am…@example.org" in page.get_text()
    form = page.select_one("main form")
    assert form is not None and form["action"] == path
    token = str(form.select_one("input[name=csrf_token]")["value"])  # type: ignore[index]

    done = soup(client.post(path, data={"csrf_token": token}, csrf=False))

    assert "No more e-mails about follow-ups due and overdue" in done.select_one("h1").get_text()  # type: ignore[union-attr]
    assert liaison.id is not None
    assert not preferences.wants_email(session, user_id=liaison.id, kind="follow_up_due")
    assert preferences.wants_email(session, user_id=liaison.id, kind="meeting_reminder")
    again = enqueue(
        session,
        user=liaison,
        to=liaison.email,
        kind=preferences.FOLLOW_UP_DUE,
        subject="Another",
        text="x",
        html=None,
        dedupe_key="due:2",
        settings=mail_settings,
    )
    assert again is None


def test_the_digest_link_stops_the_digest(client: WebClient, session: Session) -> None:
    staff = create_user(session, role="county_staff")
    assert staff.id is not None
    path = f"/unsubscribe/{make_token(get_settings(), user_id=staff.id, kind='digest')}"
    page = soup(client.get(path))
    assert page.select_one("h1").get_text() == "Stop e-mails about the digest?"  # type: ignore[union-attr]
    assert preferences.digest_subscribers(session) == [staff]

    client.post(path)

    assert preferences.digest_subscribers(session) == []
    choice = {c.kind.key: c for c in preferences.choices(session, user=staff)}["digest"]
    assert (choice.by_email, choice.frequency) == (False, "never")


@pytest.mark.parametrize("token", ["nonsense", "eyJ1IjoxLCJrIjoiZGlnZXN0In0.tampered"])
def test_a_link_this_app_did_not_sign_is_not_found(
    client: WebClient, liaison: User, token: str
) -> None:
    assert client.get(f"/unsubscribe/{token}").status_code == 404
    assert client.post(f"/unsubscribe/{token}").status_code == 404


# --- the admin's Outbox --------------------------------------------------------------------------


def test_the_outbox_lists_messages_and_filters_them_by_status(
    client: WebClient, session: Session, mail_settings: Settings, liaison: User
) -> None:
    admin = create_user(session, role="admin")
    sent = queue(session, liaison, mail_settings, dedupe_key="a", subject="Was sent")
    sent.status = "sent"
    queue(session, liaison, mail_settings, dedupe_key="b", subject="Still queued")
    session.flush()
    client.sign_in(admin)

    page = soup(client.get("/admin/outbox"))
    assert "No SMTP server is configured" in page.select_one(".alert--warn").get_text()  # type: ignore[union-attr]
    subjects = [a.get_text() for a in page.select("#outbox-results tbody td a")]
    assert subjects == ["Still queued", "Was sent"]

    fragment = soup(client.htmx_get("/admin/outbox?status=queued"))
    assert fragment.select_one("html") is None
    assert [a.get_text() for a in fragment.select("#outbox-results tbody td a")] == ["Still queued"]
    assert "1 message matches" in fragment.select_one("#outbox-status").get_text()  # type: ignore[union-attr]


def test_a_message_is_shown_with_its_html_sandboxed_never_run(
    client: WebClient, session: Session, mail_settings: Settings, liaison: User
) -> None:
    admin = create_user(session, role="admin")
    row = queue(session, liaison, mail_settings)
    client.sign_in(admin)

    page = soup(client.get(f"/admin/outbox/{row.id}"))

    assert "Due on Friday." in page.select_one("pre.outbox-text").get_text()  # type: ignore[union-attr]
    frame = page.select_one("iframe.outbox-html")
    assert frame is not None and frame.has_attr("sandbox") and not frame["sandbox"]  # no allowances
    assert '<script>alert("x")</script>' in str(frame["srcdoc"])
    assert page.select("#hello") == []  # the e-mail's markup is not part of the page
    assert all(script.get("src") for script in page.select("script"))  # only the app's own


def test_a_failed_message_can_be_sent_again(
    client: WebClient, session: Session, mail_settings: Settings, liaison: User
) -> None:
    admin = create_user(session, role="admin")
    row = queue(session, liaison, mail_settings)
    row.status, row.attempts, row.last_error = "failed", 10, "550 5.1.1 No such mailbox"
    session.add(row)
    session.flush()
    client.sign_in(admin)

    fragment = soup(client.post(f"/admin/outbox/{row.id}/retry", htmx=True))

    assert "queued" in fragment.select_one("#message-status .outbox-status").get_text()  # type: ignore[union-attr]
    assert fragment.select_one("#toasts") is not None
    session.refresh(row)
    assert (row.status, row.attempts, row.next_attempt_at) == ("queued", 0, None)
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "retry_email")).one()
    assert event.entity_id == row.id and event.user_id == admin.id
    # Only a failed message can go again; as a plain form, the answer is the message's page.
    assert client.post(f"/admin/outbox/{row.id}/retry").status_code == 409
    row.status = "failed"
    session.add(row)
    session.flush()
    response = client.post(f"/admin/outbox/{row.id}/retry")
    assert response.status_code == 303 and response.headers["location"] == f"/admin/outbox/{row.id}"
