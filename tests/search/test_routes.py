"""The search page: as a page and as an htmx answer, filters in the URL, safe snippets, and
nothing from outside the viewer's scope."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from sqlmodel import Session

from jcpp.derived import refresh_now
from tests.search.helpers import SearchWorld, meeting_with_minutes
from tests.web import WebClient, soup


def results(page: BeautifulSoup) -> list[BeautifulSoup]:
    return page.select("#search-results li.search-result")


def test_signed_out_visitors_are_sent_to_sign_in(client: WebClient) -> None:
    response = client.get("/search?q=traffic")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_the_page_without_words_shows_the_form_only(
    client: WebClient, search_world: SearchWorld
) -> None:
    search_world.world.sign_in(client, "liaison")
    page = soup(client.get("/search"))
    assert page.select_one("form#search-form[role=search] input#search-q[name=q]")
    assert results(page) == []
    assert "Type one or more words" in page.select_one("#search-results").get_text()


def test_results_with_marked_words_as_a_page_and_as_htmx(
    client: WebClient, search_world: SearchWorld
) -> None:
    w = search_world
    w.world.sign_in(client, "admin")
    url = f"/search?q=stops+{w.marker}&sort=newest"
    full = client.get(url)
    fragment = client.htmx_get(url)
    assert full.status_code == fragment.status_code == 200
    assert "HX-Request" in full.headers["vary"]
    page, part = soup(full), soup(fragment)
    assert page.select_one("html") and part.select_one("html") is None
    assert part.select_one("section#search-results")
    for found in (page, part):
        items = results(found)
        assert [item.select_one(".search-result__where").get_text() for item in items][0] \
            .startswith(w.world.other_city.name)  # fmt: skip
        marks = [m.get_text() for m in items[0].select(".search-result__snippet mark")]
        assert marks == ["stops", w.marker]
        assert "2 results" in found.select_one("#search-results-h").get_text()
    link = results(page)[1].select_one("a")["href"]
    assert link.startswith(f"/meetings/{w.meetings['here'].id}/minutes#minutes-current:~:text=")


def test_a_script_in_the_minutes_stays_text(client: WebClient, session: Session,
                                           search_world: SearchWorld) -> None:  # fmt: skip
    w = search_world
    meeting_with_minutes(
        session, w.world, f'<script>alert("x")</script> <b>bold</b> parking {w.marker}',
        day=12, hour=21,
    )  # fmt: skip
    refresh_now(session)
    w.world.sign_in(client, "liaison")
    page = soup(client.get(f"/search?q=parking+{w.marker}"))
    (item,) = results(page)
    snippet = item.select_one(".search-result__snippet")
    assert snippet.select("script") == [] and snippet.select("b") == []
    assert '<script>alert("x")</script> <b>bold</b>' in snippet.get_text()
    assert [m.get_text() for m in snippet.select("mark")] == ["parking", w.marker]


def test_each_kind_of_result_shows_its_own_title_text_and_link(
    client: WebClient, session: Session, search_world: SearchWorld
) -> None:
    w = search_world
    assert w.agenda_item and w.concern and w.follow_up
    w.concern.edited_text = f"Renters fear being evicted {w.marker}"
    session.add(w.concern)
    refresh_now(session)
    w.world.sign_in(client, "admin")
    page = soup(client.get(f"/search?q={w.marker}&sort=newest"))
    shown = {
        item.select_one("a")["href"].split(":~:")[0]: (
            item.select_one(".badge").get_text(),
            item.select_one("a").get_text(),
            item.select_one(".search-result__snippet").get_text(),
        )
        for item in results(page)
    }
    here, there = w.meetings["here"].id, w.meetings["there"].id
    assert shown == {
        f"/meetings/{here}/minutes#minutes-current": (
            "Minutes", "Minutes",
            f"Minutes Residents asked about traffic stops on Lyndale. {w.marker}",
        ),
        f"/meetings/{there}/minutes#minutes-current": (
            "Minutes", "Minutes",
            f"Crystal residents asked about traffic stops downtown. {w.marker}",
        ),
        f"/meetings/{here}#agenda-item-{w.agenda_item.id}": (
            "Agenda item", f"Housing inspections {w.marker}",
            f"Housing inspections {w.marker} Rental licensing update from the city.",
        ),
        f"/meetings/{here}/minutes#minutes-review": (
            "Concern", "Concern raised", f"Renters fear being evicted {w.marker}"
        ),
        f"/follow-ups/{w.follow_up.id}": (
            "Follow-up", f"Report eviction numbers {w.marker}",
            f"Report eviction numbers {w.marker} The housing office reports the eviction filings.",
        ),
    }  # fmt: skip


def test_a_liaison_never_gets_a_result_or_snippet_from_another_city(
    client: WebClient, search_world: SearchWorld
) -> None:
    w = search_world
    w.world.sign_in(client, "liaison")
    there = w.meetings["there"]
    # Even asking for the other city by name in the URL: the filter is not hers to use.
    for url in (
        f"/search?q=traffic+{w.marker}",
        f"/search?q=traffic+{w.marker}&city={w.world.other_city.slug}",
        f"/search?q=traffic+{w.marker}&committee={w.world.other_committee.slug}",
    ):
        for response in (client.get(url), client.htmx_get(url)):
            page = soup(response)
            text = page.select_one("#search-results").get_text()
            assert "Crystal residents" not in text and "downtown" not in text
            assert w.world.other_city.name not in text
            assert not page.select(f'a[href^="/meetings/{there.id}/"]')
            assert [i.select_one("a")["href"].split("#")[0] for i in results(page)] == [
                f"/meetings/{w.meetings['here'].id}/minutes"
            ]
    # Her filters offer only her city's committee.
    page = soup(client.get("/search"))
    assert page.select_one("#search-city") is None
    assert w.world.other_city.name not in page.select_one("#search-form").get_text()


def test_filters_from_the_url_are_applied_and_kept(
    client: WebClient, search_world: SearchWorld
) -> None:
    w = search_world
    assert w.follow_up is not None
    w.world.sign_in(client, "county_staff")
    page = soup(client.get(f"/search?q={w.marker}&status=follow_up:open&topic=housing"))
    assert [i.select_one("a")["href"] for i in results(page)] == [f"/follow-ups/{w.follow_up.id}"]
    assert page.select_one('#search-status option[value="follow_up:open"]').has_attr("selected")
    assert page.select_one('#search-topic option[value="housing"]').has_attr("selected")
    assert "Open" in results(page)[0].select_one(".search-result__status").get_text()
    # Nonsense in the URL is ignored, not refused.
    response = client.get(f"/search?q={w.marker}&kind=nope&status=x:y&from=never&page=abc")
    assert response.status_code == 200
    assert len(results(soup(response))) == 5


def test_pages_link_to_each_other_with_the_same_search(
    client: WebClient, session: Session, search_world: SearchWorld
) -> None:
    w = search_world
    for day in range(1, 24):
        meeting_with_minutes(session, w.world, f"Snow plowing {day}. {w.marker}", day=day, hour=20)
    refresh_now(session)
    w.world.sign_in(client, "admin")
    first = soup(client.get(f"/search?q=snow+{w.marker}&kind=minutes"))
    assert len(results(first)) == 20
    next_link = first.select_one("nav.pager a[rel=next]")
    assert next_link["hx-get"] == next_link["href"]
    query = parse_qs(urlsplit(next_link["href"]).query)
    assert query == {"q": [f"snow {w.marker}"], "kind": ["minutes"], "page": ["2"]}
    second = soup(client.htmx_get(next_link["href"]))
    assert len(results(second)) == 3
    assert second.select_one("nav.pager a[rel=prev]")


def test_no_match_says_so_and_offers_the_search_without_filters(
    client: WebClient, search_world: SearchWorld
) -> None:
    w = search_world
    w.world.sign_in(client, "member")
    page = soup(client.get(f"/search?q=traffic+{w.marker}&kind=concern"))
    assert results(page) == []
    offer = page.select_one("#search-results a")
    assert offer["href"] == f"/search?q=traffic+{w.marker}"
    only_common = soup(client.get("/search?q=the+and"))
    assert "too common" in only_common.select_one("#search-results").get_text()


def test_every_page_has_the_search_box_for_signed_in_users(
    client: WebClient, search_world: SearchWorld
) -> None:
    assert soup(client.get("/login")).select_one("form.header-search") is None
    search_world.world.sign_in(client, "member")
    for url in ("/", "/committees", "/search?q=budget"):
        box = soup(client.get(url)).select_one("header form.header-search[role=search]")
        assert box is not None and box["action"] == "/search" and box["method"] == "get"
        assert box.select_one("input[name=q]")["id"] == box.select_one("label")["for"]
    box = soup(client.get("/search?q=budget")).select_one("form.header-search input[name=q]")
    assert box["value"] == "budget"
