"""Bearer tokens only (401 with WWW-Authenticate otherwise), keyset pagination that visits every
row once, JSON errors for bad parameters."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from jcpp.models.base import utcnow
from jcpp.tokens.service import create_token, revoke_token
from tests.api.helpers import ApiWorld, bearer, seed
from tests.web import WebClient


@pytest.fixture
def api_world(session: Session) -> ApiWorld:
    return seed(session, meetings=7)


@pytest.mark.parametrize("case", ["missing", "revoked", "expired", "calendar", "basic", "cookie"])
def test_no_valid_token_is_401_with_a_challenge(
    client: WebClient, session: Session, api_world: ApiWorld, case: str
) -> None:
    user = api_world.world.users["admin"]
    expires = utcnow() - dt.timedelta(minutes=1) if case == "expired" else None
    scope = "calendar" if case == "calendar" else "api"
    token, raw = create_token(session, user=user, name="t", scope=scope, expires_at=expires)
    headers = {"Authorization": f"Bearer {raw}"}
    if case == "revoked":
        revoke_token(session, user=user, token_id=token.id or 0)
    if case == "basic":
        headers = {"Authorization": f"Basic {raw}"}
    if case in ("missing", "cookie"):
        headers = {}
    if case == "cookie":
        client.sign_in(user)  # a signed-in browser's cookie opens nothing here
    response = client.get("/api/v1/meetings", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer realm="jcpp"')
    invalid = case in ("revoked", "expired", "calendar")
    assert ('error="invalid_token"' in response.headers["www-authenticate"]) is invalid
    assert set(response.json()) == {"detail"}


def test_a_token_records_when_it_was_last_used(
    client: WebClient, session: Session, api_world: ApiWorld
) -> None:
    token, raw = create_token(session, user=api_world.world.users["admin"], name="t")
    assert token.last_used_at is None
    client.get("/api/v1/cities", headers={"Authorization": f"Bearer {raw}"})
    session.refresh(token)
    assert token.last_used_at is not None


@pytest.mark.parametrize("path", ["/meetings", "/concerns", "/follow-ups", "/mentions"])
def test_walking_the_pages_visits_every_row_once(
    client: WebClient, session: Session, api_world: ApiWorld, path: str
) -> None:
    headers = bearer(session, api_world.world.users["liaison"])
    committee = api_world.own.committee.id
    query = "" if path == "/mentions" else f"committee={committee}&"
    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        url = f"/api/v1{path}?{query}limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url, headers=headers).json()
        assert len(body["items"]) <= 3
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(set(seen))  # each once, oldest first
    expected = {
        "/meetings": api_world.own.meetings,
        "/concerns": api_world.own.concerns,
        "/follow-ups": api_world.own.follow_ups,
        "/mentions": api_world.own.mentions,
    }[path]
    assert {row.id for row in expected} <= set(seen)
    if path != "/mentions":
        assert len(seen) == 7 and pages == 3


def test_walking_the_trend_counts_visits_every_row_once(
    client: WebClient, session: Session, api_world: ApiWorld
) -> None:
    headers = bearer(session, api_world.world.users["admin"])
    topic = api_world.topic.id
    rows: list[tuple[str, int]] = []
    cursor: str | None = None
    while True:
        url = f"/api/v1/trends/counts?topic={topic}&limit=2" + (
            f"&cursor={cursor}" if cursor else ""
        )
        body = client.get(url, headers=headers).json()
        rows += [(row["month"], row["city_id"]) for row in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    cities = sorted([api_world.world.city.id or 0, api_world.world.other_city.id or 0])
    assert rows == [(f"2026-0{m}", c) for m in range(1, 8) for c in cities]


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=201",
        "cursor=not-ours",
        "status=postponed",
        "from=2026-13-01",
        # a number is no day (pydantic would read it as seconds since 1970)
        "to=2.1e-151",
        "from=86400",
        "comittee=1",
    ],
)
def test_a_bad_parameter_is_422_naming_it(
    client: WebClient, session: Session, api_world: ApiWorld, query: str
) -> None:
    headers = bearer(session, api_world.world.users["admin"])
    response = client.get(f"/api/v1/meetings?{query}", headers=headers)
    assert response.status_code == 422
    body = response.json()
    name = query.split("=")[0]
    assert [error["parameter"] for error in body["errors"]] == [f"query.{name}"]
    assert name in body["detail"]


def test_the_api_only_reads_and_its_description_has_only_its_routes(
    client: WebClient, session: Session, api_world: ApiWorld
) -> None:
    headers = bearer(session, api_world.world.users["admin"])
    response = client.post("/api/v1/meetings", headers=headers)
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    schema = client.get("/api/v1/openapi.json").json()
    assert all(set(ops) == {"get"} for ops in schema["paths"].values())
    assert "/meetings" in schema["paths"] and "/login" not in schema["paths"]
    assert schema["components"]["securitySchemes"]["PersonalAccessToken"]["scheme"] == "bearer"
    security = client.get("/api/v1/cities", headers=headers)
    assert security.headers["x-content-type-options"] == "nosniff"
    assert security.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/api/v1/nowhere", "/api/v1/follow-ups/%0A", "/api/v1/x%0Ay/z"])
def test_an_address_that_is_not_in_the_api_answers_json_404(
    client: WebClient, session: Session, api_world: ApiWorld, path: str
) -> None:
    """A newline in the path (%0A) once slipped past the API's mount to the app's HTML page."""
    headers = bearer(session, api_world.world.users["admin"])
    response = client.get(path, headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": "There is no such address in the API."}
