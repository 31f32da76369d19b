"""The follow-up pages: a committee's list, a city's board, department accountability; each
for every role, as a page and as the htmx fragment its filters swap."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session

from jcpp.models import FollowUp
from tests.boards.helpers import TODAY, create_follow_up
from tests.factories import create_committee, create_meeting
from tests.meetings.helpers import ALL_ROLES, World, expected_status
from tests.web import WebClient, soup

YESTERDAY = TODAY - dt.timedelta(days=1)


def committee_url(world: World) -> str:
    return f"/committees/{world.committee.slug}/follow-ups"


def board_url(world: World) -> str:
    return f"/cities/{world.city.slug}/follow-ups"


def ids(elements: list) -> list[str]:  # type: ignore[type-arg]
    return [element["id"] for element in elements]


# --- GET /committees/{slug}/follow-ups ---------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_committee_follow_ups_for_each_role(
    client: WebClient, session: Session, world: World, role: str
) -> None:
    follow_up = create_follow_up(
        session, meeting=create_meeting(session, committee=world.committee), title="Speed bumps"
    )
    world.sign_in(client, role)
    response = client.get(committee_url(world))
    assert response.status_code == expected_status(role, write=False, ok=200)
    if response.status_code == 200:
        link = soup(response).select_one(f"#follow-up-{follow_up.id} a")
        assert link["href"] == f"/follow-ups/{follow_up.id}"
        assert link.get_text(strip=True) == "Speed bumps"


def test_committee_follow_ups_of_an_unknown_committee_is_404(
    client: WebClient, world: World
) -> None:
    world.sign_in(client, "admin")
    assert client.get("/committees/no-such-committee/follow-ups").status_code == 404


def test_committee_list_flags_overdue_and_filters_by_status_as_page_and_fragment(
    client: WebClient, session: Session, world: World, fixed_today: dt.date
) -> None:
    meeting = create_meeting(session, committee=world.committee)
    late = create_follow_up(session, meeting=meeting, due_date=YESTERDAY)
    due_today = create_follow_up(session, meeting=meeting, due_date=TODAY)
    done = create_follow_up(session, meeting=meeting, due_date=YESTERDAY, status="reported_done")
    other = create_follow_up(
        session, meeting=create_meeting(session, committee=world.other_committee)
    )
    world.sign_in(client, "member")

    page = soup(client.get(committee_url(world)))
    rows = page.select("#follow-up-list tbody tr")
    assert ids(rows) == [f"follow-up-{f.id}" for f in (late, done, due_today)]
    overdue = [tr["id"] for tr in rows if tr.select_one(".badge--overdue")]
    assert overdue == [f"follow-up-{late.id}"]
    assert page.select_one(f"#follow-up-{other.id}") is None
    assert page.select_one("#follow-up-filters select[name=status]") is not None

    fragment = client.htmx_get(committee_url(world) + "?status=reported_done")
    assert "HX-Request" in fragment.headers["Vary"]
    part = soup(fragment)
    assert part.select_one("html") is None and part.select_one("#follow-up-filters") is None
    assert ids(part.select("#follow-up-list tbody tr")) == [f"follow-up-{done.id}"]
    assert part.select_one("a[download]")["href"] == (
        committee_url(world) + "?status=reported_done&format=csv"
    )
    only_late = soup(client.get(committee_url(world) + "?overdue=1"))
    assert ids(only_late.select("#follow-up-list tbody tr")) == [f"follow-up-{late.id}"]
    assert only_late.select_one("input[name=overdue]").has_attr("checked")


def test_an_unknown_status_filter_is_ignored(
    client: WebClient, session: Session, world: World
) -> None:
    create_follow_up(session, meeting=create_meeting(session, committee=world.committee))
    world.sign_in(client, "liaison")
    page = soup(client.get(committee_url(world) + "?status=lost"))
    assert len(page.select("#follow-up-list tbody tr")) == 1


# --- GET /cities/{slug}/follow-ups -------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_board_for_each_role(client: WebClient, session: Session, world: World, role: str) -> None:
    follow_up = create_follow_up(
        session, meeting=create_meeting(session, committee=world.committee), status="acknowledged"
    )
    world.sign_in(client, role)
    response = client.get(board_url(world))
    # The board of a city is for whoever sees one of its committees.
    assert response.status_code == expected_status(role, write=False, ok=200)
    if response.status_code == 200:
        page = soup(response)
        headings = [h.get_text(strip=True) for h in page.select(".board-column h2")]
        assert headings == [
            "Open", "Acknowledged", "In progress", "Reported done", "Verified done", "Declined"
        ]  # fmt: skip
        assert page.select_one(f"#column-acknowledged #follow-up-{follow_up.id}") is not None


def test_board_highlights_overdue_and_shows_a_member_only_his_committees(
    client: WebClient, session: Session, world: World, fixed_today: dt.date
) -> None:
    second = create_committee(session, city=world.city, name="Richfield Human Rights Commission")
    mine = create_follow_up(
        session, meeting=create_meeting(session, committee=world.committee), due_date=YESTERDAY
    )
    theirs = create_follow_up(session, meeting=create_meeting(session, committee=second))
    world.sign_in(client, "member")
    page = soup(client.get(board_url(world)))
    card = page.select_one(f"#column-open #follow-up-{mine.id}")
    assert "follow-up--overdue" in card["class"]
    assert card.select_one(".badge--overdue").get_text(strip=True) == "Overdue"
    assert page.select_one(f"#follow-up-{theirs.id}") is None
    assert [o["value"] for o in page.select("#f-committee option")] == ["", world.committee.slug]


def test_board_filters_as_page_and_fragment(
    client: WebClient, session: Session, world: World
) -> None:
    second = create_committee(session, city=world.city, name="Richfield Human Rights Commission")
    lia = world.users["liaison"]
    here = create_meeting(session, committee=world.committee)
    youth = create_follow_up(session, meeting=here, topics=("youth",), owner_user=lia)
    sgt = create_follow_up(session, meeting=here, owner_text="Sgt. Moua", status="in_progress")
    hrc = create_follow_up(session, meeting=create_meeting(session, committee=second))
    world.sign_in(client, "liaison")

    def cards(url: str, htmx: bool = False) -> list[str]:
        response = client.htmx_get(url) if htmx else client.get(url)
        assert response.status_code == 200
        return sorted(ids(soup(response).select("#follow-up-board .board-card")))

    def card_ids(*follow_ups: FollowUp) -> list[str]:
        return sorted(f"follow-up-{f.id}" for f in follow_ups)

    url = board_url(world)
    assert cards(url) == card_ids(youth, sgt, hrc)
    assert cards(f"{url}?committee={second.slug}") == card_ids(hrc)
    assert cards(f"{url}?topic=youth") == card_ids(youth)
    assert cards(f"{url}?owner=user:{lia.id}") == card_ids(youth)
    assert cards(f"{url}?owner=text:Sgt.+Moua", htmx=True) == card_ids(sgt)
    assert cards(f"{url}?status=in_progress&committee={world.committee.slug}") == card_ids(sgt)
    assert cards(f"{url}?committee=not-ours") == card_ids(youth, sgt, hrc)  # ignored

    fragment = soup(client.htmx_get(f"{url}?topic=youth"))
    assert fragment.select_one("html") is None and fragment.select_one("#board-filters") is None
    assert fragment.select_one("#follow-up-board a[download]")["href"] == (
        f"{url}?topic=youth&format=csv"
    )
    page = soup(client.get(f"{url}?owner=user:{lia.id}"))
    assert page.select_one("#f-owner option[selected]")["value"] == f"user:{lia.id}"


def test_another_citys_committee_is_not_a_filter_of_this_board(
    client: WebClient, session: Session, world: World
) -> None:
    create_follow_up(session, meeting=create_meeting(session, committee=world.committee))
    world.sign_in(client, "admin")
    page = soup(client.get(board_url(world) + f"?committee={world.other_committee.slug}"))
    assert len(page.select(".board-card")) == 1
    assert page.select("#f-committee option[selected]") == []  # "All"


# --- GET /accountability -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_accountability_is_for_county_staff_and_admins(
    client: WebClient, world: World, role: str
) -> None:
    world.sign_in(client, role)
    response = client.get("/accountability")
    expected = {"admin": 200, "county_staff": 200, "anonymous": 303}.get(role, 403)
    assert response.status_code == expected
    if expected == 200:
        assert soup(response).select_one("h1").get_text(strip=True) == "Department accountability"
        fragment = soup(client.htmx_get("/accountability?sort=open&dir=desc"))
        assert fragment.select_one("html") is None
        assert fragment.select_one("#accountability-table table") is not None


# --- GET /follow-ups and the navigation --------------------------------------------------------


def test_follow_ups_index_lists_the_viewers_lists_with_counts_and_what_is_assigned(
    client: WebClient, session: Session, world: World, fixed_today: dt.date
) -> None:
    meg = world.users["member"]
    meeting = create_meeting(session, committee=world.committee)
    mine = create_follow_up(session, meeting=meeting, owner_user=meg, due_date=YESTERDAY)
    create_follow_up(session, meeting=meeting, owner_user=meg, status="verified_done")
    create_follow_up(session, meeting=meeting, status="acknowledged")
    create_follow_up(session, meeting=meeting, status="reported_done")  # not open
    create_follow_up(session, meeting=create_meeting(session, committee=world.other_committee))
    world.sign_in(client, "member")
    page = soup(client.get("/follow-ups"))
    assert ids(page.select("#assigned-h ~ div tbody tr")) == [f"assigned-{mine.id}"]
    assert page.select_one(f"#assigned-{mine.id} .badge--overdue") is not None
    sections = page.select("main section[id^=city-]")
    assert ids(sections) == [f"city-{world.city.id}"]
    assert sections[0].select_one(".card__head a")["href"] == board_url(world)
    entry = sections[0].select_one("li")
    assert entry.a["href"] == committee_url(world)
    assert entry.get_text(" ", strip=True).endswith("2 open, 1 overdue")
    assert page.select_one("a[href='/accountability']") is None


@pytest.mark.parametrize("role", ["admin", "county_staff", "liaison", "member"])
def test_the_header_links_to_follow_ups_and_county_people_to_accountability(
    client: WebClient, world: World, role: str
) -> None:
    world.sign_in(client, role)
    nav = soup(client.get("/follow-ups")).select_one("nav.site-nav")
    assert nav.select_one("a[href='/follow-ups']")["aria-current"] == "page"
    has_accountability = nav.select_one("a[href='/accountability']") is not None
    assert has_accountability is (role in ("admin", "county_staff"))
