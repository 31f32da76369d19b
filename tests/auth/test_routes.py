from __future__ import annotations

from sqlmodel import Session

from tests.factories import PASSWORD, create_user
from tests.web import WebClient, soup


def test_sign_in_with_right_password_reaches_home(client: WebClient, session: Session) -> None:
    user = create_user(session, role="county_staff", name="Dana Ortiz")
    client.sign_in(user)
    home = client.get("/")
    assert home.status_code == 200
    assert "Welcome, Dana" in soup(home).find("h1").get_text()


def test_wrong_password_gets_clear_message_and_keeps_email(
    client: WebClient, session: Session
) -> None:
    user = create_user(session)
    response = client.post("/login", data={"email": user.email, "password": "nope nope nope"})
    assert response.status_code == 422
    page = soup(response)
    assert "do not match" in page.select_one("#login-error").get_text()
    assert page.select_one("#email")["value"] == user.email


def test_account_locks_after_repeated_failures(client: WebClient, session: Session) -> None:
    user = create_user(session)
    for _ in range(5):
        client.post("/login", data={"email": user.email, "password": "wrong password!"})
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422
    assert "locked" in soup(response).select_one("#login-error").get_text()


def test_anonymous_is_sent_to_sign_in(client: WebClient) -> None:
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_post_without_csrf_token_is_refused(client: WebClient, session: Session) -> None:
    user = create_user(session)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD}, csrf=False)
    assert response.status_code == 403


def test_change_password_signs_out_other_sessions(app, session: Session) -> None:  # type: ignore[no-untyped-def]
    user = create_user(session)
    with WebClient(app) as first, WebClient(app) as second:
        first.sign_in(user)
        second.sign_in(user)
        changed = first.post(
            "/account/password",
            data={
                "current": PASSWORD,
                "new": "a brand new passphrase",
                "confirm": "a brand new passphrase",
            },
        )
        assert changed.status_code == 200
        assert first.get("/").status_code == 200
        assert second.get("/").status_code == 303


def test_security_headers_on_every_page(client: WebClient) -> None:
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
