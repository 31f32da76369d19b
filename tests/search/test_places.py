"""The search filters' cities and committees: looked up as typed among what the viewer may see,
offered whole only when few, and a name or slug in the URL applied or named as unknown."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session

from jcpp.search import places
from tests.factories import create_committee, create_user
from tests.search.helpers import SearchWorld
from tests.web import WebClient, soup


def offered(client: WebClient, url: str) -> list[str]:
    response = client.htmx_get(url)
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    return [option["value"] for option in page.select("option")]


def results(page: BeautifulSoup) -> list[BeautifulSoup]:
    return page.select("#search-results li.search-result")


def test_suggestions_hold_what_was_typed_and_start_with_it_first(
    session: Session, search_world: SearchWorld
) -> None:
    w = search_world.world
    staff = search_world.viewer(session, "county_staff")
    # The world's city names end with the same random word: "Richfield abc123", "Crystal abc123".
    suffix = w.city.name.split()[-1]
    names = [p.value for p in places.suggest_cities(session, viewer=staff, typed=suffix)]
    assert names == sorted([w.city.name, w.other_city.name])
    typed = f"crystal {suffix}"
    assert [p.value for p in places.suggest_cities(session, viewer=staff, typed=typed)] == [
        w.other_city.name
    ]
    # A LIKE wildcard typed is a character like any other.
    assert places.suggest_cities(session, viewer=staff, typed=f"%{suffix}") == []
    in_city = places.suggest_committees(
        session, viewer=staff, typed="", city=places.find_city(session, staff, w.city.slug)
    )
    assert [p.id for p in in_city] == [w.committee.id]


def test_suggestions_are_limited_in_number(
    session: Session, search_world: SearchWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = search_world.world
    for k in range(3):
        create_committee(session, city=w.city, name=f"{w.city.name} board {k}")
    monkeypatch.setattr(places, "SUGGESTIONS", 2)
    staff = search_world.viewer(session, "county_staff")
    found = places.suggest_committees(session, viewer=staff, typed=f"{w.city.name} board")
    assert [p.value for p in found] == [f"{w.city.name} board 0", f"{w.city.name} board 1"]


@pytest.mark.parametrize(
    ("role", "sees_other"),
    [("admin", True), ("county_staff", True), ("liaison", False), ("member", False)],
)
def test_the_lookups_offer_only_what_the_viewer_may_see(
    client: WebClient, search_world: SearchWorld, role: str, sees_other: bool
) -> None:
    w = search_world.world
    w.sign_in(client, role)
    suffix = w.city.name.split()[-1]
    cities = offered(client, f"/search/cities?city={suffix}")
    assert w.city.name in cities
    assert (w.other_city.name in cities) is sees_other
    committees = offered(client, f"/search/committees?committee=MAC&city={w.other_city.name}")
    # Naming the other city does not widen the lookup: it is not a city she may choose.
    assert committees == (["Crystal MAC"] if sees_other else ["Richfield MAC"])
    mine = offered(client, f"/search/committees?committee=&city={w.city.slug}")
    assert mine == ["Richfield MAC"]


def test_the_lookups_need_a_signed_in_user(client: WebClient) -> None:
    for url in ("/search/cities?city=a", "/search/committees?committee=a"):
        response = client.get(url)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


def test_a_city_typed_by_name_filters_and_stays_in_the_form_and_the_links(
    client: WebClient, search_world: SearchWorld
) -> None:
    w = search_world
    w.world.sign_in(client, "county_staff")
    # Any case, or the slug: both are the city.
    for asked in (w.world.other_city.name.upper(), w.world.other_city.slug):
        page = soup(client.get(f"/search?q=traffic+{w.marker}&city={asked}"))
        where = [i.select_one(".search-result__where").get_text() for i in results(page)]
        assert len(where) == 1 and where[0].startswith(w.world.other_city.name)
        assert page.select_one("#search-city")["value"] == w.world.other_city.name
        assert page.select_one("#search-results .alert") is None
    committee = w.world.committee.slug
    page = soup(client.get(f"/search?q={w.marker}&committee={committee}&kind=minutes"))
    assert page.select_one("#search-committee")["value"] == w.world.committee.name
    assert len(results(page)) == 1


def test_an_unknown_city_or_committee_is_named_and_not_applied(
    client: WebClient, search_world: SearchWorld
) -> None:
    w = search_world
    w.world.sign_in(client, "county_staff")
    url = f"/search?q=traffic+{w.marker}&city=Atlantis&committee=Nowhere+board"
    for response in (client.get(url), client.htmx_get(url)):
        page = soup(response)
        note = page.select_one("#search-results .alert").get_text()
        assert "No city you can see is called “Atlantis”" in note
        assert "No committee you can see is called “Nowhere board”" in note
        assert len(results(page)) == 2
    assert soup(client.get(url)).select_one("#search-city")["value"] == ""


def test_a_liaison_naming_another_city_gets_only_her_own_results(
    client: WebClient, search_world: SearchWorld
) -> None:
    w = search_world
    w.world.sign_in(client, "liaison")
    other = w.world.other_city
    for query in (f"city={other.name}", f"committee={w.world.other_committee.slug}"):
        page = soup(client.get(f"/search?q=traffic+{w.marker}&{query}"))
        text = page.select_one("#search-results").get_text()
        assert "Crystal residents" not in text and "downtown" not in text
        assert "you can see is called" in text
        assert [i.select_one("a")["href"].split("#")[0] for i in results(page)] == [
            f"/meetings/{w.meetings['here'].id}/minutes"
        ]


def test_a_small_scope_is_offered_whole_and_a_large_one_as_typed(
    client: WebClient, session: Session, search_world: SearchWorld,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    w = search_world.world
    liaison = create_user(session, role="liaison", cities=[w.city, w.other_city])
    second = create_committee(session, city=w.city, name="Richfield Youth Board")
    client.sign_in(liaison)
    page = soup(client.get("/search"))
    listed = [o["value"] for o in page.select("#search-city-options option")]
    assert listed == sorted([w.city.name, w.other_city.name])
    committees = [o["value"] for o in page.select("#search-committee-options option")]
    # By city (Crystal before Richfield), then by name.
    assert committees == ["Crystal MAC", "Richfield MAC", second.name]
    city_box = page.select_one("#search-city")
    assert city_box["hx-get"] == "/search/cities" and city_box["list"] == "search-city-options"
    # Suggestions fill the list in place: the page's URL stays the search's.
    assert city_box["hx-target"] == "#search-city-options" and city_box["hx-push-url"] == "false"
    assert page.select_one("label[for=search-city]").get_text() == "City"
    assert "type part of a name" in page.select_one("#search-place-hint").get_text()

    monkeypatch.setattr(places, "LIST_ALL_UP_TO", 2)
    page = soup(client.get("/search"))
    assert page.select("#search-city-options option") == []
    assert page.select("#search-committee-options option") == []
    assert page.select_one("#search-committee")["hx-get"] == "/search/committees"
