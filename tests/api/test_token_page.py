"""/account/tokens: a user makes an API token (shown once), sees her tokens by their first
characters, and revokes one; never another's."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from jcpp.clock import day_start, today
from jcpp.models import ApiToken, AuditEvent
from jcpp.tokens.service import create_token
from tests.factories import create_user
from tests.web import WebClient, soup


def _made(client: WebClient, **data: str) -> str:
    response = client.post("/account/tokens", data=data)
    assert response.status_code == 200, response.text
    field = soup(response).select_one("input#new-token")
    assert field is not None
    return str(field["value"])


def test_a_new_token_is_shown_once_and_opens_the_api(client: WebClient, session: Session) -> None:
    user = create_user(session, role="county_staff")
    client.sign_in(user)
    raw = _made(client, name="County data warehouse", expires_on="")

    api = client.get("/api/v1/cities", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 200
    page = client.get("/account/tokens")
    assert raw not in page.text
    (row,) = soup(page).select("tbody tr")
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    token = session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert cells[0] == "County data warehouse" and cells[1] == f"{token.prefix}…"
    assert cells[4] == "until revoked" and cells[5] == "active"
    assert token.token_hash not in page.text
    events = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "api_token")).all()
    assert [e.action for e in events] == ["token_created"]


def test_a_token_works_through_its_last_day(client: WebClient, session: Session) -> None:
    client.sign_in(create_user(session, role="admin"))
    last_day = today() + dt.timedelta(days=30)
    _made(client, name="Quarterly report", expires_on=last_day.isoformat())
    token = session.exec(select(ApiToken).where(ApiToken.name == "Quarterly report")).one()
    assert token.expires_at == day_start(last_day + dt.timedelta(days=1))  # county midnight


def test_a_bad_form_keeps_what_was_typed_and_says_why(client: WebClient, session: Session) -> None:
    user = create_user(session, role="member")
    client.sign_in(user)
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    for data, field, message in (
        ({"name": "  ", "expires_on": ""}, "name", "Give the token a name"),
        ({"name": "Old", "expires_on": yesterday}, "expires_on", "cannot be in the past"),
        ({"name": "Odd", "expires_on": "next week"}, "expires_on", "as a date"),
    ):
        response = client.post("/account/tokens", data=data)
        assert response.status_code == 422
        page = soup(response)
        error = page.select_one(f"#{field}-error")
        assert error is not None and message in error.get_text()
        assert page.select_one("#name")["value"] == data["name"]  # type: ignore[index]
        assert page.select_one("#new-token") is None
    assert session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).all() == []


def test_revoking_stops_the_token_and_only_the_owner_can(
    client: WebClient, session: Session
) -> None:
    owner = create_user(session, role="liaison")
    other = create_user(session, role="liaison")
    token, raw = create_token(session, user=owner, name="mine")
    session.commit()
    client.sign_in(other)
    refused = client.post(f"/account/tokens/{token.id}/revoke")
    assert refused.status_code == 404
    assert "mine" not in client.get("/account/tokens").text
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/topics", headers=headers).status_code == 200

    owner_client = WebClient(client.app)
    owner_client.sign_in(owner)
    response = owner_client.post(f"/account/tokens/{token.id}/revoke")
    assert (
        response.status_code == 303 and response.headers["location"] == "/account/tokens?revoked=1"
    )
    assert client.get("/api/v1/topics", headers=headers).status_code == 401
    row = soup(owner_client.get("/account/tokens?revoked=1")).select_one(f"#token-{token.id}")
    assert row is not None and "revoked" in row.get_text() and row.select_one("form") is None


def test_no_token_is_made_without_the_forms_csrf_token(client: WebClient, session: Session) -> None:
    user = create_user(session, role="admin")
    client.sign_in(user)
    response = client.post("/account/tokens", data={"name": "sneaky"}, csrf=False)
    assert response.status_code == 403
    assert session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).all() == []
