"""Admin pages: who may use them, pages and htmx fragments, forms that keep what was typed.

Names that must be unique carry a random tag, so no test depends on what another one created.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI
from sqlmodel import Session, select

from jcpp.clock import today as county_today
from jcpp.models import AuditEvent, City, Committee, Membership, User
from jcpp.models.base import utcnow
from tests.admin.helpers import tag
from tests.factories import (
    PASSWORD,
    create_city,
    create_committee,
    create_membership,
    create_person,
    create_user,
)
from tests.web import WebClient, soup


@dataclass
class World:
    tag: str
    admin: User
    city: City
    other_city: City
    committee: Committee
    membership: Membership
    target: User  # a user the admin changes


@pytest.fixture
def world(session: Session) -> World:
    t = tag()
    city = create_city(session, name=f"Edina {t}", slug=f"edina-{t}")
    other_city = create_city(session, name=f"Hopkins {t}", slug=f"hopkins-{t}")
    committee = create_committee(session, city=city, name="Edina Multicultural Advisory Committee")
    person = create_person(session, name="Ana Lopez")
    membership = create_membership(
        session, committee=committee, person=person, start_date=dt.date(2022, 1, 1)
    )
    return World(
        tag=t,
        admin=create_user(session, role="admin", name="Ada Admin"),
        city=city,
        other_city=other_city,
        committee=committee,
        membership=membership,
        target=create_user(session, role="liaison", name="Lee Liaison", cities=[city]),
    )


def is_fragment(response: Any, root_id: str) -> bool:
    """The answer is one swappable element (no page around it) with the given id."""
    page = soup(response)
    roots = [el for el in page.find_all(recursive=False) if el.name]
    return page.find("html") is None and roots[0].get("id") == root_id


# ---------------------------------------------------------------- permission matrix

Route = tuple[str, Callable[[World], str], Callable[[World], dict[str, Any]]]


def no_data(w: World) -> dict[str, Any]:
    return {}


ROUTES: list[Route] = [
    ("GET", lambda w: "/admin", no_data),
    ("GET", lambda w: "/admin/cities", no_data),
    ("POST", lambda w: "/admin/cities", lambda w: {"name": f"Crystal {w.tag}"}),
    ("POST", lambda w: f"/admin/cities/{w.city.id}", lambda w: {"name": f"Edina City {w.tag}"}),
    ("GET", lambda w: "/admin/committees", no_data),
    (
        "POST",
        lambda w: "/admin/committees",
        lambda w: {
            "city_id": w.other_city.id,
            "name": f"Hopkins MAC {w.tag}",
            "kind": "mac",
            "rule_week": "2",
            "rule_weekday": "TH",
            "rule_time": "18:00",
            "meeting_minutes": "90",
        },
    ),
    ("GET", lambda w: f"/admin/committees/{w.committee.id}", no_data),
    (
        "POST",
        lambda w: f"/admin/committees/{w.committee.id}",
        lambda w: {"name": "Edina MAC", "kind": "mac", "meeting_minutes": "60", "active": "on"},
    ),
    ("GET", lambda w: "/admin/rule-preview?rule_week=3&rule_weekday=WE&rule_time=18:30", no_data),
    (
        "POST",
        lambda w: f"/admin/committees/{w.committee.id}/members",
        lambda w: {"name": "Sgt. New", "role": "police", "start_date": "2025-01-01"},
    ),
    (
        "POST",
        lambda w: f"/admin/memberships/{w.membership.id}/end",
        lambda w: {"end_date": "2024-12-31"},
    ),
    (
        "POST",
        lambda w: f"/admin/memberships/{w.membership.id}",
        lambda w: {"role": "chair", "start_date": "2022-01-01", "end_date": ""},
    ),
    ("GET", lambda w: "/admin/users", no_data),
    (
        "POST",
        lambda w: "/admin/users",
        lambda w: {
            "email": f"new-{w.tag}@example.org",
            "name": "New",
            "role": "county_staff",
            "password": "long enough pass",
        },
    ),
    ("GET", lambda w: f"/admin/users/{w.target.id}", no_data),
    (
        "POST",
        lambda w: f"/admin/users/{w.target.id}",
        lambda w: {
            "email": w.target.email,
            "name": "Renamed",
            "role": "liaison",
            "cities": [w.other_city.id],
        },
    ),
    ("POST", lambda w: f"/admin/users/{w.target.id}/deactivate", no_data),
    ("POST", lambda w: f"/admin/users/{w.target.id}/activate", no_data),
    (
        "POST",
        lambda w: f"/admin/users/{w.target.id}/password",
        lambda w: {"password": "another long one"},
    ),
]


_PLACEHOLDERS = SimpleNamespace(
    city=SimpleNamespace(id="{city}"),
    committee=SimpleNamespace(id="{committee}"),
    membership=SimpleNamespace(id="{membership}"),
    target=SimpleNamespace(id="{user}"),
)
ROUTE_IDS = [f"{method} {url(_PLACEHOLDERS)}" for method, url, _ in ROUTES]  # type: ignore[arg-type]


def call(client: WebClient, route: Route, world: World) -> Any:
    method, url, data = route
    if method == "GET":
        return client.get(url(world))
    return client.post(url(world), data=data(world))


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_admin_may_use_every_route(
    client: WebClient, session: Session, world: World, route: Route
) -> None:
    client.sign_in(world.admin)
    response = call(client, route, world)
    expected = 200 if route[0] == "GET" else 303
    assert response.status_code == expected, response.text[:2000]


@pytest.mark.parametrize("role", ["county_staff", "liaison", "member"])
def test_everyone_else_is_refused_every_route(
    client: WebClient, session: Session, world: World, role: str
) -> None:
    # The liaison is in scope of the committee's city and the member is on the committee:
    # the admin pages stay closed to them all the same. (One sign-in for all routes: argon2
    # is slow on purpose.)
    user = create_user(
        session,
        role=role,
        cities=[world.city] if role == "liaison" else [],
        committees=[world.committee] if role == "member" else [],
    )
    client.sign_in(user)
    answers = {}
    for route, route_id in zip(ROUTES, ROUTE_IDS, strict=True):
        response = call(client, route, world)
        refused = "Only administrators" in soup(response).get_text()
        answers[route_id] = (response.status_code, refused)
    assert answers == {route_id: (403, True) for route_id in ROUTE_IDS}
    changes = session.exec(
        select(AuditEvent).where(AuditEvent.user_id == user.id, AuditEvent.action != "sign_in")
    ).all()
    assert changes == []
    assert world.city.name == f"Edina {world.tag}"
    assert world.target.active is True


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_anonymous_is_sent_to_sign_in(client: WebClient, world: World, route: Route) -> None:
    response = call(client, route, world)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


# ---------------------------------------------------------------- overview and cities


def test_overview_links_to_each_area_with_counts(client: WebClient, world: World) -> None:
    page = soup(client.sign_in(world.admin).get("/admin"))
    assert page.select_one("h1").get_text() == "Administration"
    links = {a["href"] for a in page.select(".admin-link-card h2 a")}
    assert links == {
        "/admin/cities",
        "/admin/committees",
        "/admin/users",
        "/admin/jobs",
        "/admin/outbox",
    }
    values = [el.get_text() for el in page.select(".stat__value")]
    assert len(values) == 4


def test_city_list_shows_committee_counts_as_page_and_fragment(
    client: WebClient, world: World
) -> None:
    client.sign_in(world.admin)
    full = client.get("/admin/cities")
    assert full.status_code == 200
    page = soup(full)
    assert page.select_one("h1").get_text() == "Member cities"
    assert page.select_one("#city-list table caption") is not None
    row = page.select_one(f"#city-{world.city.id}")
    assert row.select_one("th").get_text(strip=True) == world.city.name
    assert row.select_one("td.num").get_text(strip=True) == "1"
    fragment = client.htmx_get("/admin/cities")
    assert fragment.status_code == 200
    assert is_fragment(fragment, "city-list")
    assert "HX-Request" in fragment.headers["vary"]


def test_create_city_redirects_and_shows_it(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.admin)
    response = client.post("/admin/cities", data={"name": f"Brooklyn Park {world.tag}", "slug": ""})
    assert response.status_code == 303
    page = soup(client.get(response.headers["location"]))
    assert f"Added Brooklyn Park {world.tag}" in page.select_one(".alert--success").get_text()
    city = session.exec(select(City).where(City.name == f"Brooklyn Park {world.tag}")).one()
    assert city.slug == f"brooklyn-park-{world.tag}"
    assert page.select_one(f"#city-{city.id} code").get_text() == city.slug


def test_create_duplicate_city_rerenders_with_what_was_typed(
    client: WebClient, world: World
) -> None:
    client.sign_in(world.admin)
    response = client.post(
        "/admin/cities", data={"name": world.city.name.lower(), "slug": "Bad Slug"}
    )
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("#name")["value"] == world.city.name.lower()
    assert page.select_one("#slug")["value"] == "Bad Slug"
    assert page.select_one("#name")["aria-invalid"] == "true"
    assert f"already a city called {world.city.name}" in page.select_one("#name-error").get_text()
    assert page.select_one("#slug-error") is not None


def test_rename_city_in_place_with_htmx(client: WebClient, session: Session, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/cities/{world.city.id}", data={"name": f"Edina Heights {world.tag}"}, htmx=True
    )
    assert response.status_code == 200
    assert is_fragment(response, "city-list")
    page = soup(response)
    assert (
        page.select_one(f"#city-{world.city.id} th").get_text(strip=True)
        == f"Edina Heights {world.tag}"
    )
    assert (
        f"Edina Heights {world.tag}"
        in page.select_one("#toasts[hx-swap-oob] .toast--success").get_text()
    )
    assert world.city.name == f"Edina Heights {world.tag}"


def test_toast_fills_the_region_that_stays_in_the_page(client: WebClient, world: World) -> None:
    """Only the content of #toasts (role=status) changes, so screen readers announce it; the
    message stays until the next action or until dismissed."""
    client.sign_in(world.admin)
    page = soup(client.get("/admin/cities"))
    region = page.select_one("body > #toasts")
    assert (region["role"], region["aria-live"]) == ("status", "polite")

    response = client.post(
        f"/admin/cities/{world.city.id}", data={"name": f"Edina Ridge {world.tag}"}, htmx=True
    )

    update = soup(response).select_one("#toasts")
    assert update["hx-swap-oob"] == "innerHTML"
    toast = update.select_one("p.toast--success")
    assert toast.get_text() == f"The city is now called Edina Ridge {world.tag}."
    assert toast.select_one("button[type=button][data-dismiss-toast]")["aria-label"] == "Dismiss"
    script = (Path(__file__).parents[2] / "jcpp/web/static/js/app.js").read_text()
    assert "setTimeout" not in script  # nothing disappears on a timer


def test_rename_city_to_a_taken_name_keeps_the_typed_name(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/cities/{world.city.id}", data={"name": world.other_city.name}, htmx=True
    )
    assert response.status_code == 422
    assert is_fragment(response, "city-list")
    field = soup(response).select_one(f"#rename-{world.city.id}")
    assert field["value"] == world.other_city.name
    assert field["aria-invalid"] == "true"
    assert (
        "already a city" in soup(response).select_one(f"#rename-{world.city.id}-error").get_text()
    )
    assert world.city.name == f"Edina {world.tag}"


def test_rename_city_without_htmx_redirects(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/cities/{world.city.id}", data={"name": f"Edina Town {world.tag}"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/cities"


# ---------------------------------------------------------------- committees


def test_committee_list_groups_by_city_with_the_rule_in_words(
    client: WebClient, world: World
) -> None:
    client.sign_in(world.admin)
    page = soup(client.get("/admin/committees"))
    edina = page.select_one(f"tbody#city-{world.city.slug}")
    assert edina.select_one("th[scope=rowgroup]").get_text() == world.city.name
    row = edina.select("tr")[1]
    assert row.select_one("th a")["href"] == f"/admin/committees/{world.committee.id}"
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells == [
        "Multicultural Advisory Committee",
        "Third Wednesday of every month at 6:30 pm",
        "1",
    ]
    assert "No committees yet." in page.select_one(f"#city-{world.other_city.slug}").get_text()
    assert is_fragment(client.htmx_get("/admin/committees"), "committee-list")


def test_create_committee_from_the_friendly_rule_fields(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.admin)
    response = client.post(
        "/admin/committees",
        data={
            "city_id": world.other_city.id,
            "name": "Police Advisory Commission",
            "kind": "pac",
            "rule_week": "-1",
            "rule_weekday": "TH",
            "rule_time": "19:00",
            "meeting_minutes": "120",
            "default_place": "Hopkins City Hall",
        },
    )
    assert response.status_code == 303
    committee = session.exec(
        select(Committee).where(Committee.city_id == world.other_city.id)
    ).one()
    assert response.headers["location"] == f"/admin/committees/{committee.id}"
    assert committee.meeting_rule == "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=-1;BYHOUR=19;BYMINUTE=0"
    assert committee.slug == f"hopkins-{world.tag}-police-advisory-commission"
    page = soup(client.get(response.headers["location"]))
    assert page.select_one("h1").get_text() == "Police Advisory Commission"
    assert "Last Thursday of every month at 7 pm" in page.select_one(".page-head").get_text()
    assert page.select_one("#rule_week option[selected]")["value"] == "-1"


def test_create_committee_with_a_bad_rule_keeps_what_was_typed(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.admin)
    data = {
        "city_id": world.other_city.id,
        "name": "Hopkins Human Rights Commission",
        "kind": "hrc",
        "meeting_rule": "FREQ=MONTHLY;BYDAY=3WE",
        "meeting_minutes": "75",
        "default_place": "Library",
    }
    response = client.post("/admin/committees", data=data)
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("#meeting_rule")["value"] == "FREQ=MONTHLY;BYDAY=3WE"
    assert page.select_one("#meeting_rule")["aria-invalid"] == "true"
    assert "time of day" in page.select_one("#meeting_rule-error").get_text()
    assert page.select_one("#name")["value"] == "Hopkins Human Rights Commission"
    assert page.select_one("#city_id option[selected]")["value"] == str(world.other_city.id)
    assert page.select_one("#kind option[selected]")["value"] == "hrc"
    assert page.select_one("#meeting_minutes")["value"] == "75"
    assert page.select_one("details.rule-fields__advanced").has_attr("open")
    assert (
        session.exec(select(Committee).where(Committee.city_id == world.other_city.id)).all() == []
    )


def test_rule_preview_says_the_rule_in_words(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    good = soup(client.htmx_get("/admin/rule-preview?rule_week=2&rule_weekday=TU&rule_time=17:15"))
    assert good.select_one("strong").get_text() == "Second Tuesday of every month at 5:15 pm"
    assert (
        good.select_one("code").get_text()
        == "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2;BYHOUR=17;BYMINUTE=15"
    )
    bad = soup(client.htmx_get("/admin/rule-preview?meeting_rule=FREQ%3DDAILY%3BBYHOUR%3D9"))
    assert "weekly, monthly or yearly" in bad.select_one(".rule-preview__problem").get_text()
    none = client.htmx_get("/admin/rule-preview")
    assert soup(none).get_text(strip=True) == "No regular meetings"


def test_edit_committee_details(client: WebClient, session: Session, world: World) -> None:
    client.sign_in(world.admin)
    page = soup(client.get(f"/admin/committees/{world.committee.id}"))
    assert page.select_one("#name")["value"] == world.committee.name
    assert page.select_one("#rule_week option[selected]")["value"] == "3"
    assert page.select_one("#rule_weekday option[selected]")["value"] == "WE"
    assert page.select_one("#rule_time")["value"] == "18:30"
    response = client.post(
        f"/admin/committees/{world.committee.id}",
        data={
            "name": "Edina MAC",
            "kind": "mac",
            "rule_week": "every",
            "rule_weekday": "MO",
            "rule_time": "12:00",
            "meeting_minutes": "60",
            "default_place": "Edina Police Department",
            "active": "on",
        },
    )
    assert response.status_code == 303
    assert world.committee.name == "Edina MAC"
    assert world.committee.meeting_rule == "FREQ=WEEKLY;BYDAY=MO;BYHOUR=12;BYMINUTE=0"
    assert world.committee.default_place == "Edina Police Department"
    event = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "update_committee", AuditEvent.entity_id == world.committee.id
        )
    ).one()
    assert event.user_id == world.admin.id
    assert event.city_id == world.city.id


def test_edit_committee_with_errors_rerenders_the_page(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/committees/{world.committee.id}",
        data={
            "name": "",
            "kind": "mac",
            "meeting_minutes": "5",
            "rule_week": "3",
            "rule_time": "18:30",
        },
        htmx=True,
    )
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("h1") is not None  # the whole page, not only the roster
    assert page.select_one("#meeting_minutes")["value"] == "5"
    assert page.select_one("#rule_weekday-error") is not None
    assert page.select_one("#name-error") is not None


# ---------------------------------------------------------------- roster


def test_roster_page_and_fragment(client: WebClient, session: Session, world: World) -> None:
    past = create_membership(
        session,
        committee=world.committee,
        person=create_person(session, name="Old Timer", title="Sgt."),
        role="police",
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2019, 12, 31),
    )
    client.sign_in(world.admin)
    full = soup(client.get(f"/admin/committees/{world.committee.id}"))
    assert full.select_one("h1").get_text() == world.committee.name
    assert [a.get_text() for a in full.select(".breadcrumbs a")] == ["Admin", "Committees"]
    roster = full.select_one("#roster")
    assert roster["hx-target"] == "this" and roster["hx-swap"] == "outerHTML"
    tables = roster.select("table")
    assert [t.select_one("caption").get_text()[:11] for t in tables] == [
        "People serv",
        "Past member",
    ]
    assert (
        tables[0].select_one(f"#membership-{world.membership.id} th").get_text(strip=True)
        == "Ana Lopez"
    )
    assert (
        tables[1].select_one(f"#membership-{past.id} th").get_text(strip=True) == "Sgt. Old Timer"
    )
    fragment = client.htmx_get(f"/admin/committees/{world.committee.id}")
    assert fragment.status_code == 200
    assert is_fragment(fragment, "roster")


def test_add_a_new_person_with_htmx(client: WebClient, session: Session, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/committees/{world.committee.id}/members",
        data={
            "name": "Maria Okafor",
            "title": "Lt.",
            "organisation": "Edina PD",
            "role": "police",
            "start_date": "2025-02-01",
        },
        htmx=True,
    )
    assert response.status_code == 200
    assert is_fragment(response, "roster")
    page = soup(response)
    names = [th.get_text(" ", strip=True) for th in page.select("table")[0].select("tbody th")]
    assert "Lt. Maria Okafor Edina PD" in names
    assert "Maria Okafor" in page.select_one("#toasts .toast--success").get_text()


def test_add_member_problem_keeps_what_was_typed(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/committees/{world.committee.id}/members",
        data={
            "name": "",
            "title": "Officer",
            "email": "not-an-email",
            "role": "member",
            "start_date": "2025-02-01",
        },
        htmx=True,
    )
    assert response.status_code == 422
    assert is_fragment(response, "roster")
    page = soup(response)
    assert page.select_one("#m-title")["value"] == "Officer"
    assert page.select_one("#m-email")["value"] == "not-an-email"
    assert page.select_one("#m-start")["value"] == "2025-02-01"
    assert page.select_one("#m-name")["aria-invalid"] == "true"
    assert page.select_one("#m-name-error") is not None
    assert page.select_one("#m-email-error") is not None
    assert (
        len(
            session.exec(
                select(Membership).where(Membership.committee_id == world.committee.id)
            ).all()
        )
        == 1
    )


def test_add_existing_person_without_htmx_redirects_to_the_roster(
    client: WebClient, session: Session, world: World
) -> None:
    person = create_person(session, name="Existing Person")
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/committees/{world.committee.id}/members",
        data={"person_id": person.id, "role": "chair", "start_date": "2024-01-01"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/committees/{world.committee.id}#roster"
    membership = session.exec(select(Membership).where(Membership.person_id == person.id)).one()
    assert membership.role == "chair"


def test_end_a_term_moves_it_to_past_members(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    page = soup(client.get(f"/admin/committees/{world.committee.id}"))
    assert page.select_one(f"#end-on-{world.membership.id}")["value"] == county_today().isoformat()
    response = client.post(
        f"/admin/memberships/{world.membership.id}/end", data={"end_date": "2024-06-30"}, htmx=True
    )
    assert response.status_code == 200
    page = soup(response)
    past_table = page.select("table")[-1]
    assert past_table.select_one(f"#membership-{world.membership.id}") is not None
    assert world.membership.end_date == dt.date(2024, 6, 30)


def test_end_a_term_defaults_to_today(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/memberships/{world.membership.id}/end", data={"end_date": ""}, htmx=True
    )
    assert response.status_code == 200
    assert world.membership.end_date == county_today()


def test_end_before_start_is_refused_and_keeps_the_date(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/memberships/{world.membership.id}/end", data={"end_date": "2021-12-31"}, htmx=True
    )
    assert response.status_code == 422
    page = soup(response)
    field = page.select_one(f"#end-on-{world.membership.id}")
    assert field["value"] == "2021-12-31"
    assert "cannot end before" in page.select_one(f"#end-on-{world.membership.id}-error").get_text()
    assert world.membership.end_date is None


def test_edit_a_term(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/memberships/{world.membership.id}",
        data={"role": "chair", "start_date": "2022-03-01", "end_date": ""},
        htmx=True,
    )
    assert response.status_code == 200
    assert (world.membership.role, world.membership.start_date) == ("chair", dt.date(2022, 3, 1))
    row = soup(response).select_one(f"#membership-{world.membership.id}")
    assert row.select_one(".badge").get_text() == "Chair"


def test_edit_a_term_with_a_bad_date_opens_its_form_with_the_message(
    client: WebClient, world: World
) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/memberships/{world.membership.id}",
        data={"role": "member", "start_date": "2022-01-01", "end_date": "soon"},
        htmx=True,
    )
    assert response.status_code == 422
    row = soup(response).select_one(f"#membership-{world.membership.id}")
    assert row.select_one("details").has_attr("open")
    assert row.select_one(f"#end-{world.membership.id}")["value"] == "soon"
    assert row.select_one(f"#end-{world.membership.id}-error") is not None


# ---------------------------------------------------------------- users


def test_user_list_with_filters_as_page_and_fragment(
    client: WebClient, session: Session, world: World
) -> None:
    member = create_user(session, role="member", name="Mo Member", committees=[world.committee])
    gone = create_user(
        session, role="liaison", name="Gone Liaison", cities=[world.other_city], active=False
    )
    client.sign_in(world.admin)
    page = soup(client.get("/admin/users"))
    rows = {row["id"]: row for row in page.select("#user-list tbody tr")}
    assert set(rows) == {f"user-{u.id}" for u in (world.admin, world.target, member, gone)}
    liaison_cells = [
        td.get_text(" ", strip=True) for td in rows[f"user-{world.target.id}"].select("td")
    ]
    assert liaison_cells[:4] == [world.target.email, "Community liaison", world.city.name, "Active"]
    member_cells = [td.get_text(strip=True) for td in rows[f"user-{member.id}"].select("td")]
    assert member_cells[2] == world.committee.name
    assert [td.get_text(strip=True) for td in rows[f"user-{gone.id}"].select("td")][
        3
    ] == "Deactivated"
    fragment = client.htmx_get("/admin/users?role=liaison&active=active")
    assert is_fragment(fragment, "user-list")
    ids = [row["id"] for row in soup(fragment).select("tbody tr")]
    assert ids == [f"user-{world.target.id}"]
    inactive = soup(client.get("/admin/users?active=inactive"))
    assert [row["id"] for row in inactive.select("#user-list tbody tr")] == [f"user-{gone.id}"]
    assert inactive.select_one("#f-active option[selected]")["value"] == "inactive"


def test_user_list_count_is_announced_in_a_region_that_stays(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.admin)
    page = soup(client.get("/admin/users"))
    fragment = soup(client.htmx_get("/admin/users?role=liaison&active=active"))

    status = page.select_one("#user-list-status")
    assert status["role"] == "status" and status.get_text() == ""
    assert status.find_parent(id="user-list") is None  # not inside what the filter swaps
    assert page.select_one("#user-list").get("aria-live") is None
    update = fragment.select_one("#user-list-status")
    assert update["hx-swap-oob"] == "innerHTML"
    assert update.get_text() == "1 user matches the filter."


def test_add_and_edit_committee_forms_share_their_fields(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    add = soup(client.get("/admin/committees")).select_one("form[action='/admin/committees']")
    edit = soup(client.get(f"/admin/committees/{world.committee.id}")).select_one(
        f"form[action='/admin/committees/{world.committee.id}']"
    )

    def fields(form) -> list[str]:  # type: ignore[no-untyped-def]
        return [f["name"] for f in form.select("input, select") if f.get("type") != "hidden"]

    shared = ["name", "kind", "rule_week", "rule_weekday", "rule_time", "meeting_rule"]
    shared += ["meeting_minutes", "default_place"]
    assert fields(add) == ["city_id", "name", "slug", *shared[1:]]
    assert fields(edit) == [*shared, "active"]
    assert edit.select_one("#name")["value"] == world.committee.name
    for form in (add, edit):
        for field in form.select("input:not([type=hidden]):not([type=checkbox]), select"):
            assert form.select_one(f"label[for='{field['id']}']") is not None


def test_create_user_then_they_can_sign_in(
    app: FastAPI, client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.admin)
    response = client.post(
        "/admin/users",
        data={
            "name": "Kim Member",
            "email": f"kim-{world.tag}@example.org",
            "role": "member",
            "committees": [world.committee.id],
            "password": "kim's first password",
        },
    )
    assert response.status_code == 303
    user = session.exec(select(User).where(User.email == f"kim-{world.tag}@example.org")).one()
    assert response.headers["location"] == f"/admin/users/{user.id}"
    page = soup(client.get(response.headers["location"]))
    assert page.select_one("h1").get_text() == "Kim Member"
    assert page.select_one(f"input[name=committees][value='{world.committee.id}']").has_attr(
        "checked"
    )
    with WebClient(app) as kim:
        kim.sign_in(user, password="kim's first password")
        assert kim.get("/").status_code == 200


def test_create_user_problem_keeps_what_was_typed_but_not_the_password(
    client: WebClient, world: World
) -> None:
    client.sign_in(world.admin)
    response = client.post(
        "/admin/users",
        data={
            "name": "Pat Liaison",
            "email": "pat@",
            "role": "liaison",
            "cities": [world.other_city.id],
            "password": "short",
        },
    )
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one("#name")["value"] == "Pat Liaison"
    assert page.select_one("#email")["value"] == "pat@"
    assert page.select_one("input[name=role][value=liaison]").has_attr("checked")
    assert page.select_one(f"input[name=cities][value='{world.other_city.id}']").has_attr("checked")
    assert not page.select_one(f"input[name=cities][value='{world.city.id}']").has_attr("checked")
    assert page.select_one("#password").get("value") in (None, "")
    assert page.select_one("#email-error") is not None
    assert page.select_one("#password-error") is not None
    assert len(page.select(".alert--error li")) == 2


def test_liaison_without_city_is_refused_with_a_message(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        "/admin/users",
        data={
            "name": "No City",
            "email": f"nocity-{world.tag}@example.org",
            "role": "liaison",
            "password": "long enough pass",
        },
    )
    assert response.status_code == 422
    assert "at least one city" in soup(response).select_one("#cities-error").get_text()


def test_edit_user_replaces_their_cities(client: WebClient, session: Session, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/users/{world.target.id}",
        data={
            "name": "Lee L.",
            "email": world.target.email,
            "role": "liaison",
            "cities": [world.other_city.id],
        },
    )
    assert response.status_code == 303
    page = soup(client.get(f"/admin/users/{world.target.id}"))
    checked = [el["value"] for el in page.select("input[name=cities][checked]")]
    assert checked == [str(world.other_city.id)]
    assert "Saved" in page.select_one(".alert--success").get_text()


def test_user_page_and_its_account_fragment(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    page = soup(client.get(f"/admin/users/{world.target.id}"))
    assert page.select_one("h1").get_text() == world.target.name
    assert [a.get_text() for a in page.select(".breadcrumbs a")] == ["Admin", "Users"]
    assert page.select_one("#name")["value"] == world.target.name
    assert page.select_one("input[name=role][value=liaison]").has_attr("checked")
    fragment = client.htmx_get(f"/admin/users/{world.target.id}")
    assert fragment.status_code == 200
    assert is_fragment(fragment, "user-account")
    account = soup(fragment).select_one("#user-account")
    assert (account["hx-target"], account["hx-swap"]) == ("this", "outerHTML")


def test_deactivate_with_htmx_ends_their_sessions(
    app: FastAPI, client: WebClient, session: Session, world: World
) -> None:
    with WebClient(app) as target:
        target.sign_in(world.target)
        assert target.get("/").status_code == 200
        client.sign_in(world.admin)
        response = client.post(f"/admin/users/{world.target.id}/deactivate", htmx=True)
        assert response.status_code == 200
        assert is_fragment(response, "user-account")
        page = soup(response)
        assert page.select_one(".badge--inactive").get_text() == "Deactivated"
        assert (
            page.select_one(f"form[hx-post='/admin/users/{world.target.id}/activate'] button")
            is not None
        )
        assert "can no longer sign in" in page.select_one("#toasts .toast").get_text()
        assert target.get("/").status_code == 303
    with WebClient(app) as again:
        refused = again.post("/login", data={"email": world.target.email, "password": PASSWORD})
        assert refused.status_code == 422
        assert "deactivated" in soup(refused).select_one("#login-error").get_text()


def test_reactivate_lets_them_sign_in_again(
    app: FastAPI, client: WebClient, session: Session, world: World
) -> None:
    world.target.active = False
    session.add(world.target)
    session.flush()
    client.sign_in(world.admin)
    response = client.post(f"/admin/users/{world.target.id}/activate")
    assert response.status_code == 303
    assert world.target.active is True
    with WebClient(app) as target:
        target.sign_in(world.target)


@pytest.mark.parametrize("htmx", [True, False])
def test_admin_cannot_deactivate_themself(client: WebClient, world: World, htmx: bool) -> None:
    client.sign_in(world.admin)
    own = soup(client.get(f"/admin/users/{world.admin.id}"))
    assert own.select_one(f"form[action='/admin/users/{world.admin.id}/deactivate']") is None
    response = client.post(f"/admin/users/{world.admin.id}/deactivate", htmx=htmx)
    assert response.status_code == 422
    assert "your own account" in soup(response).select_one("#active-error").get_text()
    assert world.admin.active is True
    assert client.get("/admin").status_code == 200


def test_admin_sets_a_password_and_unlocks(
    app: FastAPI, client: WebClient, session: Session, world: World
) -> None:
    world.target.locked_until = utcnow() + dt.timedelta(minutes=15)
    session.add(world.target)
    session.flush()
    client.sign_in(world.admin)
    page = soup(client.get(f"/admin/users/{world.target.id}"))
    assert page.select_one("#user-account .badge--cancelled").get_text() == "Locked"
    response = client.post(
        f"/admin/users/{world.target.id}/password",
        data={"password": "a brand new secret"},
        htmx=True,
    )
    assert response.status_code == 200
    assert is_fragment(response, "user-account")
    assert soup(response).select_one(".badge--cancelled") is None
    with WebClient(app) as target:
        target.sign_in(world.target, password="a brand new secret")


def test_too_short_password_is_refused_in_place(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/users/{world.target.id}/password", data={"password": "short"}, htmx=True
    )
    assert response.status_code == 422
    assert is_fragment(response, "user-account")
    assert "at least 10" in soup(response).select_one("#new-password-error").get_text()


def test_admin_setting_own_password_stays_signed_in(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    response = client.post(
        f"/admin/users/{world.admin.id}/password", data={"password": "my own new secret"}
    )
    assert response.status_code == 303
    assert client.get("/admin").status_code == 200


def test_unknown_ids_are_not_found(client: WebClient, world: World) -> None:
    client.sign_in(world.admin)
    assert client.get("/admin/committees/999999").status_code == 404
    assert client.get("/admin/users/999999").status_code == 404
    assert client.post("/admin/memberships/999999/end", data={"end_date": ""}).status_code == 404
    assert client.post("/admin/cities/999999", data={"name": "X"}).status_code == 404
