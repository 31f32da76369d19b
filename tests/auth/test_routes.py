from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from jcpp.auth import service as auth_service
from jcpp.auth.passwords import verify_password
from jcpp.models.base import utcnow
from tests.factories import PASSWORD, create_user
from tests.web import WebClient, soup


def test_sign_in_with_right_password_reaches_home(client: WebClient, session: Session) -> None:
    user = create_user(session, role="county_staff", name="Dana Ortiz")
    client.sign_in(user)
    home = client.get("/")
    assert home.status_code == 200
    assert "Welcome, Dana" in soup(home).find("h1").get_text()


WRONG = (
    "Wrong e-mail or password. After 5 failed attempts in a row, "
    "an account is locked for 15 minutes."
)


def _sign_in(client: WebClient, email: str, password: str) -> tuple[int, str]:
    response = client.post("/login", data={"email": email, "password": password})
    error = soup(response).select_one("#login-error")
    return response.status_code, error.get_text() if error else ""


def test_wrong_password_gets_clear_message_and_keeps_email(
    client: WebClient, session: Session
) -> None:
    user = create_user(session)
    response = client.post("/login", data={"email": user.email, "password": "nope nope nope"})
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("#login-error").get_text() == WRONG
    assert page.select_one("#email")["value"] == user.email


def test_the_answer_does_not_tell_whether_an_account_exists(
    client: WebClient, session: Session
) -> None:
    user = create_user(session)
    answers = {_sign_in(client, user.email, "wrong password!") for _ in range(4)}
    answers.add(_sign_in(client, "nobody-" + user.email, "wrong password!"))
    assert answers == {(422, WRONG)}


def test_account_locks_after_repeated_failures(client: WebClient, session: Session) -> None:
    user = create_user(session)
    for _ in range(5):
        assert _sign_in(client, user.email, "wrong password!") == (422, WRONG)
    # Only someone who knows the password learns that the account is locked.
    assert _sign_in(client, user.email, "wrong password!") == (422, WRONG)
    status, message = _sign_in(client, user.email, PASSWORD)
    assert status == 422
    assert message.startswith("Too many failed attempts: this account is locked for 15 more")


def test_deactivated_account_is_revealed_only_to_the_right_password(
    client: WebClient, session: Session
) -> None:
    user = create_user(session, active=False)
    assert _sign_in(client, user.email, "wrong password!") == (422, WRONG)
    assert _sign_in(client, user.email, PASSWORD) == (
        422,
        "This account has been deactivated. Ask an administrator.",
    )


def test_every_refusal_checks_one_password_hash(
    client: WebClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same work whatever the account's state, so the time taken tells nothing either."""
    checks: list[str] = []

    def counting_verify(password: str, password_hash: str) -> bool:
        checks.append(password)
        return verify_password(password, password_hash)

    monkeypatch.setattr(auth_service, "verify_password", counting_verify)
    locked = create_user(session, locked_until=utcnow() + dt.timedelta(minutes=10))
    inactive = create_user(session, active=False)
    attempts = [
        ("nobody@example.invalid", PASSWORD),
        (locked.email, PASSWORD),
        (locked.email, "wrong password!"),
        (inactive.email, PASSWORD),
        (inactive.email, "wrong password!"),
    ]
    for email, password in attempts:
        checks.clear()
        assert _sign_in(client, email, password)[0] == 422
        assert checks == [password], email


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


NEW = {"new": "a brand new passphrase", "confirm": "a brand new passphrase"}


def test_change_password_gives_the_page_a_new_csrf_token(
    client: WebClient, session: Session
) -> None:
    client.sign_in(create_user(session))
    old_token = client.csrf()

    changed = client.post("/account/password", data={"current": PASSWORD, **NEW})

    new_token = soup(changed).select_one("body")["data-csrf"]
    assert changed.status_code == 200 and new_token != old_token
    stale = client.post(
        "/account/password",
        data={"current": NEW["new"], "new": "x" * 12, "confirm": "x" * 12, "csrf_token": old_token},
    )
    assert stale.status_code == 403
    fresh = client.post(
        "/account/password",
        data={"current": NEW["new"], "new": "y" * 12, "confirm": "y" * 12, "csrf_token": new_token},
    )
    assert fresh.status_code == 200


def test_wrong_current_passwords_count_toward_the_lock_out(app, session: Session) -> None:  # type: ignore[no-untyped-def]
    user = create_user(session)
    with WebClient(app) as borrowed, WebClient(app) as owner:
        borrowed.sign_in(user)
        for n in range(5):
            answer = borrowed.post("/account/password", data={"current": f"guess {n} guess", **NEW})
            assert answer.status_code == 422
        message = soup(answer).select_one("#current-error").get_text()
        assert message.startswith("Too many failed attempts")

        # Locked: the right current password no longer changes it, and nobody can sign in.
        refused = borrowed.post("/account/password", data={"current": PASSWORD, **NEW})
        assert refused.status_code == 422
        assert "locked" in soup(refused).select_one("#current-error").get_text()
        status, text = _sign_in(owner, user.email, PASSWORD)
        assert status == 422 and text.startswith("Too many failed attempts")


def test_security_headers_on_every_page(client: WebClient) -> None:
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"  # pages hold what a user may see
    assert "strict-transport-security" not in response.headers  # not served over HTTPS here
    static = client.get("/static/css/app.css")
    assert static.status_code == 200 and static.headers["x-frame-options"] == "DENY"
    assert "no-store" not in static.headers.get("cache-control", "")


def test_security_headers_keep_what_a_response_set_and_add_hsts_over_https() -> None:
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from jcpp.web.security_headers import SECURITY_HEADERS, SecurityHeaders

    def cached(_request: object) -> PlainTextResponse:
        return PlainTextResponse("ok", headers={"Cache-Control": "max-age=60"})

    app = SecurityHeaders(
        Starlette(routes=[Route("/", cached)]), headers=SECURITY_HEADERS, hsts=True
    )
    response = TestClient(app).get("/")
    assert response.text == "ok"
    assert response.headers["cache-control"] == "max-age=60"
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    assert response.headers["referrer-policy"] == "same-origin"
