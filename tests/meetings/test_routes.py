from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session, select

from jcpp.models import AgendaItem, Attendance, Meeting
from tests.factories import create_membership, create_minutes, create_person
from tests.meetings.helpers import (
    ALL_ROLES,
    EDITORS,
    Scene,
    expected_status,
    local_start,
)
from tests.web import WebClient, soup

UTC = dt.UTC


def fragment_root(response: Any) -> Any:
    """The first element of an htmx answer, which must not be a whole page."""
    page = soup(response)
    assert page.select_one("html") is None, "an htmx answer must be a fragment"
    return page.find(True)


def is_full_page(response: Any) -> bool:
    return soup(response).select_one("html") is not None


def version_of(session: Session, meeting: Meeting) -> int:
    session.refresh(meeting)
    return meeting.version


def at(session: Session, scene: Scene, **data: str) -> dict[str, str]:
    """Form data sent from a page loaded now (its version)."""
    return {**data, "version": str(version_of(session, scene.meeting))}


def basis_of(form: Any) -> dict[str, str]:
    """What a form on a page says it was loaded with."""
    return {
        "version": form.select_one("input[name=version]")["value"],
        "fingerprint": form.select_one("input[name=fingerprint]")["value"],
    }


def version_move(page: BeautifulSoup) -> Any:
    """The out-of-band element that moves the page's forms to the new version."""
    return page.select_one("input.meeting-version[hx-swap-oob]")


# --- the permission matrix ------------------------------------------------------------------------

# (method, path under the meeting, form data, answer when allowed, needs edit rights)
ROUTES: list[tuple[str, str, dict[str, str], int, bool]] = [
    ("GET", "", {}, 200, False),
    ("GET", "/agenda", {}, 200, False),
    ("GET", "/agenda/{item}/edit", {}, 200, True),
    (
        "POST",
        "",
        {
            "date": "2026-03-18",
            "start": "19:00",
            "end": "20:30",
            "place": "Library",
            "version": "1",
        },
        303,
        True,
    ),
    ("POST", "/status", {"status": "held", "version": "1"}, 303, True),
    (
        "POST",
        "/attendance",
        {"person-{person}": "present", "guest_count": "2", "version": "1"},
        303,
        True,
    ),
    ("POST", "/agenda", {"title": "Chief's report", "version": "1"}, 303, True),
    ("POST", "/agenda/{item}", {"title": "Welcome", "version": "1"}, 303, True),
    ("POST", "/agenda/{item}/move", {"direction": "down", "version": "1"}, 303, True),
    ("POST", "/agenda/{item}/delete", {"version": "1"}, 303, True),
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    "route", ROUTES, ids=[f"{m} {p or '/'} {'write' if w else 'read'}" for m, p, _, _, w in ROUTES]
)
def test_every_route_for_every_role(
    client: WebClient,
    session: Session,
    scene: Scene,
    role: str,
    route: tuple[str, str, dict[str, str], int, bool],
) -> None:
    method, path, data, ok, write = route
    session.add(AgendaItem(meeting_id=scene.meeting.id or 0, position=2, title="Adjourn"))
    session.flush()  # so that "move down" has somewhere to go
    fill = {"item": scene.item.id, "person": scene.person.id}
    url = scene.url + path.format(**fill)
    form = {key.format(**fill): value for key, value in data.items()}
    scene.world.sign_in(client, role)

    response = client.get(url) if method == "GET" else client.post(url, data=form)

    expected = expected_status(role, write=write, ok=ok)
    assert response.status_code == expected
    if expected == 303:
        target = "/login" if role == "anonymous" else scene.url
        assert response.headers["location"].startswith(target)
    if method == "POST":
        changed = version_of(session, scene.meeting) > 1
        assert changed is (role in EDITORS)


# --- the page -------------------------------------------------------------------------------------


def test_meeting_page_shows_breadcrumbs_details_and_minutes_card(
    client: WebClient, scene: Scene
) -> None:
    scene.world.sign_in(client, "member")
    page = soup(client.get(scene.url))
    crumbs = [li.get_text(strip=True) for li in page.select(".breadcrumbs li")]
    assert crumbs == [scene.world.city.name, "Richfield MAC", "Mar 18, 2026"]
    assert page.select_one("h1").get_text(strip=True) == "Meeting of Wed Mar 18, 2026"
    facts = {
        d.get_text(strip=True): d.find_next_sibling("dd").get_text(" ", strip=True)
        for d in page.select("#meeting-details dl.facts dt")
    }
    assert facts["Time"].startswith("6:30 pm – 8 pm")  # county time, not UTC
    assert facts["Place"] == "City Hall, Council Chambers"
    assert page.select_one("#meeting-head .badge--scheduled").get_text() == "Scheduled"
    assert page.select_one("#minutes-none").get_text() == "No minutes yet."
    assert page.select_one("a[href$='/minutes']")["href"] == f"{scene.url}/minutes"


def test_readers_see_the_page_without_forms(client: WebClient, scene: Scene) -> None:
    scene.world.sign_in(client, "county_staff")
    page = soup(client.get(scene.url))
    forms = [f["action"] for f in page.select("main form")]
    assert forms == []
    assert page.select_one("#attendance table th[scope=row]").get_text() == "Amina Hassan"
    assert [li.get_text(strip=True) for li in page.select("#agenda ol.agenda li")] == [
        "Call to order"
    ]


def test_editors_see_every_form(client: WebClient, scene: Scene) -> None:
    scene.world.sign_in(client, "liaison")
    page = soup(client.get(scene.url))
    actions = {f["action"] for f in page.select("main form")}
    base = scene.url
    assert {
        base,
        f"{base}/status",
        f"{base}/attendance",
        f"{base}/agenda",
        f"{base}/agenda/{scene.item.id}/move",
        f"{base}/agenda/{scene.item.id}/delete",
    } <= actions
    cancel = page.select_one("#status-cancelled").find_parent("form")
    assert cancel.has_attr("hx-confirm")
    for form in page.select("main form[method=post]"):
        version = form.select_one("input[name=version]")
        assert version["value"] == "1" and "meeting-version--1" in version["class"]
        assert len(form.select_one("input[name=fingerprint]")["value"]) == 16
    assert page.select_one("#meeting-head .actions")["role"] == "group"


def test_minutes_card_shows_status_revisions_and_author(
    client: WebClient, session: Session, scene: Scene
) -> None:
    author = scene.world.users["liaison"]
    create_minutes(session, meeting=scene.meeting, texts=["one", "two", "three"], author=author)
    scene.world.sign_in(client, "member")
    page = soup(client.get(scene.url))
    card = page.select_one("#minutes-h").find_parent("section")
    facts = {
        d.get_text(strip=True): d.find_next_sibling("dd").get_text(" ", strip=True)
        for d in card.select("dt")
    }
    assert facts["Status"] == "Draft" and facts["Revisions"] == "3"
    assert card.select_one(".badge").get_text() == "Minutes draft"  # as on the minutes pages
    assert facts["Last saved"].endswith(f"by {author.name}")


# --- details: save, 422 and the conflict ----------------------------------------------------------

NEW_DETAILS = {"date": "2026-03-19", "start": "18:00", "end": "19:30", "place": "Library"}


def test_save_details_with_htmx_answers_block_and_new_head(
    client: WebClient, session: Session, scene: Scene
) -> None:
    scene.world.sign_in(client, "liaison")
    response = client.post(scene.url, data={**NEW_DETAILS, "version": "1"}, htmx=True)
    assert response.status_code == 200
    root = fragment_root(response)
    assert root["id"] == "meeting-details"
    page = soup(response)
    head = page.select_one("#meeting-head")
    assert head["hx-swap-oob"] == "true"
    assert head.select_one("h1").get_text(strip=True) == "Meeting of Thu Mar 19, 2026"
    assert root.select_one("input[name=version]")["value"] == "2"
    moved = version_move(page)
    assert moved["value"] == "2" and moved["hx-swap-oob"] == "outerHTML:.meeting-version--1"
    assert page.select_one("#toasts .toast").get_text() == "Meeting details saved."
    session.refresh(scene.meeting)
    assert scene.meeting.start_at == dt.datetime(2026, 3, 19, 23, 0, tzinfo=UTC)


def test_save_details_as_plain_form_redirects(
    client: WebClient, session: Session, scene: Scene
) -> None:
    scene.world.sign_in(client, "admin")
    response = client.post(scene.url, data={**NEW_DETAILS, "version": "1"})
    assert response.status_code == 303
    page = soup(client.get(response.headers["location"]))
    assert page.select_one("h1").get_text(strip=True) == "Meeting of Thu Mar 19, 2026"


@pytest.mark.parametrize("htmx", [False, True])
def test_invalid_details_are_422_with_messages_and_input_kept(
    client: WebClient, session: Session, scene: Scene, htmx: bool
) -> None:
    scene.world.sign_in(client, "liaison")
    data = {"date": "March 19", "start": "18:00", "end": "17:00", "place": "Gym", "version": "1"}
    response = client.post(scene.url, data=data, htmx=htmx)
    assert response.status_code == 422
    assert is_full_page(response) is not htmx
    page = soup(response)
    section = page.select_one("#meeting-details")
    assert section.select_one("details")["open"] is not None
    assert "date of the meeting" in section.select_one("#details-date-error").get_text()
    assert "end after it starts" in section.select_one("#details-end-error").get_text()
    assert section.select_one("#details-date")["value"] == "March 19"
    assert section.select_one("#details-place")["value"] == "Gym"
    assert section.select_one("#details-date")["aria-describedby"] == "details-date-error"
    assert version_of(session, scene.meeting) == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_stale_save_is_409_showing_both_and_keeping_input(
    app: Any, session: Session, scene: Scene, htmx: bool
) -> None:
    with WebClient(app) as ours, WebClient(app) as theirs:
        scene.world.sign_in(ours, "liaison")
        scene.world.sign_in(theirs, "admin")
        opened = soup(ours.get(scene.url))
        basis = basis_of(opened.select_one("#meeting-details form"))
        saved = theirs.post(
            scene.url,
            data={
                "date": "2026-03-18",
                "start": "18:30",
                "place": "Fire station 3",
                "version": "1",
            },
        )
        assert saved.status_code == 303

        mine = {"date": "2026-03-18", "start": "19:00", "end": "20:00", "place": "Library"}
        response = ours.post(scene.url, data={**mine, **basis}, htmx=htmx)

    assert response.status_code == 409
    assert is_full_page(response) is not htmx
    section = soup(response).select_one("#meeting-details")
    assert section.select_one(".conflict[role=alert]") is not None
    rows = {
        tr.select_one("th").get_text(" ", strip=True).split()[0]: (
            tr.select_one("td[data-side=stored]").get_text(strip=True),
            tr.select_one("td[data-side=submitted]").get_text(strip=True),
        )
        for tr in section.select(".conflict table tbody tr")
    }
    assert rows["Place"] == ("Fire station 3", "Library")
    assert rows["Date"] == ("Wed Mar 18, 2026", "Wed Mar 18, 2026")
    assert rows["Starts"] == ("6:30 pm", "7 pm")
    assert rows["Ends"] == ("—", "8 pm")
    place_row = section.select(".conflict tbody tr")[3]
    assert "differs" in place_row.select_one("th").get_text()  # not colour alone
    # The form keeps what the user typed, and now carries the stored version.
    assert section.select_one("#details-place")["value"] == "Library"
    assert section.select_one("#details-start")["value"] == "19:00"
    assert section.select_one("input[name=version]")["value"] == "2"
    session.refresh(scene.meeting)
    assert scene.meeting.place == "Fire station 3"


def test_saving_again_after_the_conflict_keeps_the_users_input(
    client: WebClient, session: Session, scene: Scene
) -> None:
    scene.world.sign_in(client, "liaison")
    basis = basis_of(soup(client.get(scene.url)).select_one("#meeting-details form"))
    scene.meeting.place = "Fire station 3"  # someone else's change: version 1 → 2
    scene.meeting.version = 2
    session.flush()
    first = client.post(scene.url, data={**NEW_DETAILS, **basis}, htmx=True)
    assert first.status_code == 409
    again = basis_of(soup(first).select_one("#meeting-details form"))
    second = client.post(scene.url, data={**NEW_DETAILS, **again}, htmx=True)
    assert second.status_code == 200
    session.refresh(scene.meeting)
    assert scene.meeting.place == "Library"


# --- status ---------------------------------------------------------------------------------------


def test_mark_as_held_with_htmx_answers_head_and_version(
    client: WebClient, session: Session, scene: Scene
) -> None:
    scene.world.sign_in(client, "liaison")
    response = client.post(
        f"{scene.url}/status", data={"status": "held", "version": "1"}, htmx=True
    )
    assert response.status_code == 200
    root = fragment_root(response)
    assert root["id"] == "meeting-head"
    assert not root.has_attr("hx-swap-oob")
    page = soup(response)
    assert page.select_one("#meeting-head .badge--held").get_text() == "Held"
    assert page.select_one("#status-held") is None  # already held
    moved = version_move(page)
    assert moved["hx-swap-oob"] == "outerHTML:.meeting-version--1" and moved["value"] == "2"
    assert page.select_one("#toasts .toast").get_text() == "Marked as held."


def test_cancel_meeting_shows_a_notice(client: WebClient, session: Session, scene: Scene) -> None:
    scene.world.sign_in(client, "admin")
    response = client.post(f"{scene.url}/status", data={"status": "cancelled", "version": "1"})
    assert response.status_code == 303
    page = soup(client.get(scene.url))
    assert page.select_one("#meeting-head .badge--cancelled").get_text() == "Cancelled"
    assert "cancelled" in page.select_one("#meeting-head .alert--warn").get_text()


def test_unknown_status_is_422(client: WebClient, session: Session, scene: Scene) -> None:
    scene.world.sign_in(client, "liaison")
    response = client.post(
        f"{scene.url}/status", data={"status": "postponed", "version": "1"}, htmx=True
    )
    assert response.status_code == 422
    assert "scheduled, held or cancelled" in soup(response).select_one(".toast").get_text()
    assert version_of(session, scene.meeting) == 1


# --- attendance -----------------------------------------------------------------------------------


def radio_checked(page: BeautifulSoup, person_id: int | None) -> str | None:
    checked = page.select_one(f"input[name=person-{person_id}][checked]")
    return checked["value"] if checked else None


def test_attendance_checklist_follows_the_roster_of_the_meeting_date(
    client: WebClient, session: Session, scene: Scene
) -> None:
    left = create_membership(
        session,
        committee=scene.world.committee,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2026, 2, 28),
    )
    joined = create_membership(
        session, committee=scene.world.committee, start_date=dt.date(2026, 4, 1)
    )
    scene.world.sign_in(client, "liaison")
    page = soup(client.get(scene.url))
    legends = [lg.get_text(" ", strip=True) for lg in page.select("#attendance fieldset legend")]
    assert legends == ["Amina Hassan Chair"]
    names = {left.person_id, joined.person_id}
    assert not any(page.select(f"input[name=person-{pid}]") for pid in names)
    fieldset = page.select_one("#attendance fieldset")
    radios = fieldset.select("input[type=radio]")
    assert [r["value"] for r in radios] == ["present", "absent", "excused"]
    assert all(r.find_parent("label") for r in radios)


@pytest.mark.parametrize("htmx", [False, True])
def test_save_attendance(client: WebClient, session: Session, scene: Scene, htmx: bool) -> None:
    other = create_person(session, name="Bao Vang")
    create_membership(session, committee=scene.world.committee, person=other)
    scene.world.sign_in(client, "liaison")
    data = {
        f"person-{scene.person.id}": "present",
        f"person-{other.id}": "excused",
        "guest_count": "4",
        "guest_organisations": "CAPI, Somali Community Center",
        "version": "1",
    }
    response = client.post(f"{scene.url}/attendance", data=data, htmx=htmx)
    if htmx:
        assert response.status_code == 200
        root = fragment_root(response)
        assert root["id"] == "attendance"
        page = soup(response)
        assert version_move(page)["value"] == "2"
        assert page.select_one("#attendance-save").get_text() == "Save attendance"
        assert page.select_one("#toasts .toast").get_text() == "Attendance saved."
    else:
        assert response.status_code == 303
        assert response.headers["location"].endswith("#attendance")
        page = soup(client.get(scene.url))
    totals = [li.get_text(" ", strip=True) for li in page.select(".attendance-totals li")]
    assert totals == ["1 present", "0 absent", "1 excused", "4 guests"]
    assert radio_checked(page, scene.person.id) == "present"
    assert radio_checked(page, other.id) == "excused"
    assert page.select_one("#attendance-guest_count")["value"] == "4"
    rows = session.exec(select(Attendance).where(Attendance.meeting_id == scene.meeting.id))
    assert len(rows.all()) == 2


@pytest.mark.parametrize("htmx", [False, True])
def test_invalid_attendance_is_422_and_keeps_choices(
    client: WebClient, session: Session, scene: Scene, htmx: bool
) -> None:
    scene.world.sign_in(client, "liaison")
    data = {f"person-{scene.person.id}": "late", "guest_count": "many", "version": "1"}
    response = client.post(f"{scene.url}/attendance", data=data, htmx=htmx)
    assert response.status_code == 422
    assert is_full_page(response) is not htmx
    page = soup(response)
    section = page.select_one("#attendance")
    error = section.select_one(f"#person-{scene.person.id}-error")
    assert "present, absent or excused" in error.get_text()
    fieldset = error.find_parent("fieldset")
    assert fieldset["aria-describedby"] == f"person-{scene.person.id}-error"
    assert "whole number" in section.select_one("#attendance-guest_count-error").get_text()
    assert section.select_one("#attendance-guest_count")["value"] == "many"
    assert version_of(session, scene.meeting) == 1


def test_people_recorded_earlier_stay_on_the_checklist(
    client: WebClient, session: Session, scene: Scene
) -> None:
    gone = create_person(session, name="Former Member")
    session.add(
        Attendance(meeting_id=scene.meeting.id or 0, person_id=gone.id or 0, status="absent")
    )
    session.flush()
    scene.world.sign_in(client, "member")
    page = soup(client.get(scene.url))
    rows = {
        tr.select_one("th").get_text(strip=True): tr.select("td")[0].get_text(strip=True)
        for tr in page.select("#attendance tbody tr")
    }
    assert rows["Former Member"] == "Not on the roster on this date"


# --- agenda ---------------------------------------------------------------------------------------


def agenda_titles(page: BeautifulSoup) -> list[str]:
    return [span.get_text() for span in page.select("#agenda .agenda__title")]


def test_agenda_block_as_page_and_fragment(client: WebClient, scene: Scene) -> None:
    scene.world.sign_in(client, "member")
    full = client.get(f"{scene.url}/agenda")
    assert full.status_code == 200 and is_full_page(full)
    part = client.htmx_get(f"{scene.url}/agenda")
    assert fragment_root(part)["id"] == "agenda"
    assert "HX-Request" in part.headers["vary"]


def test_add_agenda_item_with_htmx(client: WebClient, session: Session, scene: Scene) -> None:
    scene.world.sign_in(client, "liaison")
    response = client.post(
        f"{scene.url}/agenda",
        data={
            "title": "Chief's report",
            "presenter": "Chief Alvarez",
            "notes": "Stop data",
            "version": "1",
        },
        htmx=True,
    )
    assert response.status_code == 200
    assert fragment_root(response)["id"] == "agenda"
    page = soup(response)
    assert agenda_titles(page) == ["Call to order", "Chief's report"]
    assert page.select_one("#agenda-title")["value"] == ""  # the add form is cleared
    assert not page.select_one("#agenda-add-form").has_attr("hx-preserve")
    assert version_move(page)["value"] == "2"


@pytest.mark.parametrize("htmx", [False, True])
def test_add_agenda_item_without_title_is_422(
    client: WebClient, session: Session, scene: Scene, htmx: bool
) -> None:
    scene.world.sign_in(client, "liaison")
    response = client.post(
        f"{scene.url}/agenda",
        data={"title": "", "presenter": "Lt. Okafor", "version": "1"},
        htmx=htmx,
    )
    assert response.status_code == 422
    assert is_full_page(response) is not htmx
    page = soup(response)
    assert "Enter a title" in page.select_one("#agenda-title-error").get_text()
    assert page.select_one("#agenda-presenter")["value"] == "Lt. Okafor"


@pytest.mark.parametrize("htmx", [False, True])
def test_edit_form_inline(client: WebClient, scene: Scene, htmx: bool) -> None:
    scene.world.sign_in(client, "liaison")
    url = f"{scene.url}/agenda/{scene.item.id}/edit"
    response = client.htmx_get(url) if htmx else client.get(url)
    assert response.status_code == 200
    if htmx:
        assert fragment_root(response)["id"] == "agenda"
    else:
        assert is_full_page(response)
    page = soup(response)
    title = page.select_one(f"#agenda-{scene.item.id}-title")
    assert title.name == "input" and title["value"] == "Call to order"
    # A full page puts focus in the title; htmx does it by the Edit link's id (the title's).
    assert title.has_attr("autofocus") is not htmx
    form = title.find_parent("form")
    assert form["hx-post"] == f"{scene.url}/agenda/{scene.item.id}"


def test_edit_agenda_item_saves_and_refuses_an_empty_title(
    client: WebClient, session: Session, scene: Scene
) -> None:
    scene.world.sign_in(client, "liaison")
    url = f"{scene.url}/agenda/{scene.item.id}"
    refused = client.post(url, data={"title": " ", "notes": "kept", "version": "1"}, htmx=True)
    assert refused.status_code == 422
    page = soup(refused)
    assert page.select_one(f"#agenda-{scene.item.id}-title-error") is not None
    assert page.select_one(f"#agenda-{scene.item.id}-notes").get_text() == "kept"
    saved = client.post(url, data={"title": "Welcome and introductions", "version": "1"}, htmx=True)
    assert saved.status_code == 200
    assert agenda_titles(soup(saved)) == ["Welcome and introductions"]


def test_move_and_delete_agenda_items_with_buttons(
    client: WebClient, session: Session, scene: Scene
) -> None:
    scene.world.sign_in(client, "liaison")
    for title in ("Chief's report", "Adjourn"):
        client.post(f"{scene.url}/agenda", data=at(session, scene, title=title), htmx=True)
    items = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == scene.meeting.id)).all()
    adjourn = next(i for i in items if i.title == "Adjourn")
    moved = client.post(
        f"{scene.url}/agenda/{adjourn.id}/move", data=at(session, scene, direction="up"), htmx=True
    )
    page = soup(moved)
    assert agenda_titles(page) == ["Call to order", "Adjourn", "Chief's report"]
    up = page.select_one(f"#agenda-up-{adjourn.id}")
    assert up.name == "button" and "Move up" in up.get_text()
    assert page.select_one(f"#agenda-up-{scene.item.id}").has_attr("disabled")  # first item
    assert not page.select_one("#agenda-h").has_attr("autofocus")
    deleted = client.post(
        f"{scene.url}/agenda/{scene.item.id}/delete", data=at(session, scene), htmx=True
    )
    assert agenda_titles(soup(deleted)) == ["Adjourn", "Chief's report"]
    assert soup(deleted).select_one("#agenda-h").has_attr("autofocus")  # focus after removing
    positions = sorted(
        i.position
        for i in session.exec(select(AgendaItem).where(AgendaItem.meeting_id == scene.meeting.id))
    )
    assert positions == [1, 2]


def test_agenda_item_of_another_meeting_is_404(
    client: WebClient, session: Session, scene: Scene
) -> None:
    other = local_start(session, scene.world.committee, dt.date(2026, 4, 15))
    scene.world.sign_in(client, "admin")
    response = client.post(
        f"/meetings/{other.id}/agenda/{scene.item.id}/delete", data={"version": "1"}
    )
    assert response.status_code == 404
    assert client.get(f"/meetings/{other.id}/agenda/{scene.item.id}/edit").status_code == 404
