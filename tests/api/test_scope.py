"""The API applies the token owner's permissions as the app does: a liaison's token reads her
city's committees only, a member's his committee's, county staff and admins everything; another
city's things answer 404 (their existence not revealed), never 403."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from tests.api.helpers import ApiWorld, Side, bearer, seed
from tests.web import WebClient


@pytest.fixture
def api_world(session: Session) -> ApiWorld:
    return seed(session)


def _ids(client: WebClient, url: str, headers: dict[str, str]) -> set[Any]:
    response = client.get(url + ("&" if "?" in url else "?") + "limit=200", headers=headers)
    assert response.status_code == 200, response.text
    return {item.get("id") for item in response.json()["items"]}


def _things(side: Side) -> dict[str, set[int]]:
    return {
        "/meetings": {m.id or 0 for m in side.meetings},
        "/concerns": {c.id or 0 for c in side.concerns},
        "/follow-ups": {f.id or 0 for f in side.follow_ups},
        "/mentions": {m.id or 0 for m in side.mentions},
        "/committees": {side.committee.id or 0},
    }


@pytest.mark.parametrize("role", ["liaison", "member"])
def test_a_scoped_token_lists_only_its_owners_committees(
    client: WebClient, session: Session, api_world: ApiWorld, role: str
) -> None:
    headers = bearer(session, api_world.world.users[role])
    own, other = _things(api_world.own), _things(api_world.other)
    for path in own:
        seen = _ids(client, "/api/v1" + path, headers)
        assert own[path] <= seen, path
        assert not other[path] & seen, path
    cities = _ids(client, "/api/v1/cities", headers)
    assert cities == {api_world.world.city.id}


@pytest.mark.parametrize("role", ["admin", "county_staff"])
def test_county_staff_and_admins_read_every_city(
    client: WebClient, session: Session, api_world: ApiWorld, role: str
) -> None:
    headers = bearer(session, api_world.world.users[role])
    own, other = _things(api_world.own), _things(api_world.other)
    for path in own:
        assert own[path] | other[path] <= _ids(client, "/api/v1" + path, headers), path


def test_another_citys_things_are_404_for_a_liaison(
    client: WebClient, session: Session, api_world: ApiWorld
) -> None:
    headers = bearer(session, api_world.world.users["liaison"])
    other = api_world.other
    for url in (
        f"/api/v1/committees/{other.committee.id}",
        f"/api/v1/meetings/{other.meetings[0].id}",
        f"/api/v1/meetings/{other.meetings[0].id}/minutes",
        f"/api/v1/concerns/{other.concerns[0].id}",
        f"/api/v1/follow-ups/{other.follow_ups[0].id}",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert "not yours to see" in response.json()["detail"]
    own = api_world.own
    assert client.get(f"/api/v1/meetings/{own.meetings[0].id}", headers=headers).status_code == 200


def test_filters_naming_another_city_find_nothing(
    client: WebClient, session: Session, api_world: ApiWorld
) -> None:
    headers = bearer(session, api_world.world.users["liaison"])
    other = api_world.other
    assert _ids(client, f"/api/v1/meetings?committee={other.committee.id}", headers) == set()
    assert _ids(client, f"/api/v1/concerns?city={other.committee.city_id}", headers) == set()
    assert _ids(client, f"/api/v1/mentions?meeting={other.meetings[0].id}", headers) == set()
    counts = client.get(
        f"/api/v1/trends/counts?city={other.committee.city_id}", headers=headers
    ).json()
    assert counts["items"] == []


def test_trend_counts_are_the_owners_cities_month_by_month(
    client: WebClient, session: Session, api_world: ApiWorld
) -> None:
    headers = bearer(session, api_world.world.users["member"])
    topic = api_world.topic.id
    body = client.get(
        f"/api/v1/trends/counts?topic={topic}&from=2026-02&to=2026-03", headers=headers
    ).json()
    city = api_world.world.city.id
    rows = [
        (row["city_id"], row["month"], row["meetings_all"], row["concerns_all"])
        for row in body["items"]
    ]
    assert rows == [(city, "2026-02", 1, 1), (city, "2026-03", 1, 1)]


def test_minutes_give_the_current_text_status_and_every_revision(
    client: WebClient, session: Session, api_world: ApiWorld
) -> None:
    headers = bearer(session, api_world.world.users["member"])
    meeting = api_world.own.meetings[0]
    body = client.get(f"/api/v1/meetings/{meeting.id}/minutes", headers=headers).json()
    assert body["text"] == "Speeding on Elm Street."
    assert (body["status"], body["current_revision"]) == ("draft", 2)
    assert [r["number"] for r in body["revisions"]] == [1, 2]


def test_a_meeting_says_where_and_when_but_names_no_one(
    client: WebClient, session: Session, api_world: ApiWorld
) -> None:
    """Decided: the API has no roster or attendance; people are named only as the minutes,
    concerns and follow-ups name them, which everyone who sees the committee reads in the app."""
    headers = bearer(session, api_world.world.users["admin"])
    meeting = api_world.own.meetings[0]
    body = client.get(f"/api/v1/meetings/{meeting.id}", headers=headers).json()
    assert set(body) == {
        "id",
        "committee_id",
        "city_id",
        "start_at",
        "end_at",
        "place",
        "status",
        "guest_count",
        "minutes_status",
    }
    assert body["start_at"].endswith("Z") or body["start_at"].endswith("+00:00")
