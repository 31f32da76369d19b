"""Two people on one meeting (review M4): every change form is refused with 409 when its part of
the meeting changed since the page was loaded, shows what is stored next to what was submitted
and keeps what was typed; a change elsewhere on the meeting is no conflict."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session, select

from jcpp.models import AgendaItem, Attendance
from tests.meetings.helpers import Scene
from tests.meetings.test_routes import (
    agenda_titles,
    basis_of,
    is_full_page,
    radio_checked,
    version_move,
    version_of,
)
from tests.web import WebClient, soup


@pytest.fixture
def two(app: Any, scene: Scene) -> Iterator[tuple[WebClient, WebClient]]:
    """The liaison ("ours") and the admin ("theirs"), each in a browser of their own."""
    with WebClient(app) as ours, WebClient(app) as theirs:
        scene.world.sign_in(ours, "liaison")
        scene.world.sign_in(theirs, "admin")
        yield ours, theirs


def opened(client: WebClient, scene: Scene, path: str = "") -> BeautifulSoup:
    return soup(client.get(scene.url + path))


def form_for(page: BeautifulSoup, action: str) -> Any:
    return page.select_one(f'form[action="{action}"]')


def conflict_rows(section: Any) -> dict[str, tuple[str, str]]:
    return {
        tr.select_one("th").get_text(" ", strip=True).removesuffix(" differs"): (
            tr.select_one("td[data-side=stored]").get_text(strip=True),
            tr.select_one("td[data-side=submitted]").get_text(strip=True),
        )
        for tr in section.select(".conflict table tbody tr")
    }


# --- attendance -----------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_attendance_from_a_stale_page_is_409_showing_both_and_keeping_the_choices(
    session: Session, scene: Scene, two: tuple[WebClient, WebClient], htmx: bool
) -> None:
    ours, theirs = two
    url, person = f"{scene.url}/attendance", f"person-{scene.person.id}"
    basis = basis_of(form_for(opened(ours, scene), url))
    theirs.post(url, data={person: "present", "guest_count": "0", "version": "1"})

    mine = {person: "absent", "guest_count": "2"}
    response = ours.post(url, data={**mine, **basis}, htmx=htmx)

    assert response.status_code == 409
    assert is_full_page(response) is not htmx
    section = soup(response).select_one("#attendance")
    assert section.select_one(".conflict[role=alert]") is not None
    assert conflict_rows(section) == {
        "Amina Hassan": ("Present", "Absent"),
        "Guests": ("0", "2"),
    }
    assert radio_checked(section, scene.person.id) == "absent"  # what was chosen is kept
    assert section.select_one("#attendance-guest_count")["value"] == "2"
    again = basis_of(section.select_one("form"))
    assert again["version"] == "2"
    [row] = session.exec(select(Attendance).where(Attendance.meeting_id == scene.meeting.id))
    assert row.status == "present"

    saved = ours.post(url, data={**mine, **again}, htmx=htmx)
    assert saved.status_code == (200 if htmx else 303)
    session.refresh(row)
    assert row.status == "absent"


# --- the agenda -----------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_editing_an_item_someone_changed_is_409_showing_both_and_keeping_the_text(
    session: Session, scene: Scene, two: tuple[WebClient, WebClient], htmx: bool
) -> None:
    ours, theirs = two
    url = f"{scene.url}/agenda/{scene.item.id}"
    editor = opened(ours, scene, f"/agenda/{scene.item.id}/edit").select_one(
        f"#agenda-edit-{scene.item.id}"
    )
    basis = basis_of(editor)
    theirs.post(url, data={"title": "Call to order", "notes": "Chair: Amina", "version": "1"})

    mine = {"title": "Call to order and welcome", "notes": "Chair: Bao"}
    response = ours.post(url, data={**mine, **basis}, htmx=htmx)

    assert response.status_code == 409
    section = soup(response).select_one("#agenda")
    assert conflict_rows(section) == {
        "Title": ("Call to order", "Call to order and welcome"),
        "Presenter": ("—", "—"),
        "Notes": ("Chair: Amina", "Chair: Bao"),
    }
    form = section.select_one(f"#agenda-edit-{scene.item.id}")
    assert form.select_one(f"#agenda-{scene.item.id}-title")["value"] == mine["title"]
    assert form.select_one(f"#agenda-{scene.item.id}-notes").get_text() == "Chair: Bao"
    again = basis_of(form)
    assert again["version"] == "2"
    session.refresh(scene.item)
    assert scene.item.notes == "Chair: Amina"

    saved = ours.post(url, data={**mine, **again}, htmx=htmx)
    assert saved.status_code == (200 if htmx else 303)
    session.refresh(scene.item)
    assert scene.item.notes == "Chair: Bao"


def test_editing_an_item_someone_removed_puts_the_text_in_the_add_form(
    session: Session, scene: Scene, two: tuple[WebClient, WebClient]
) -> None:
    ours, theirs = two
    editor = opened(ours, scene, f"/agenda/{scene.item.id}/edit")
    basis = basis_of(editor.select_one(f"#agenda-edit-{scene.item.id}"))
    theirs.post(f"{scene.url}/agenda/{scene.item.id}/delete", data={"version": "1"})

    response = ours.post(
        f"{scene.url}/agenda/{scene.item.id}",
        data={"title": "Call to order", "presenter": "Chair Hassan", **basis},
        htmx=True,
    )

    assert response.status_code == 409
    section = soup(response).select_one("#agenda")
    assert "was removed" in section.select_one(".conflict[role=alert]").get_text()
    assert section.select_one("#agenda-title")["value"] == "Call to order"
    assert section.select_one("#agenda-presenter")["value"] == "Chair Hassan"
    assert agenda_titles(section) == []


def test_adding_to_an_agenda_someone_changed_is_409_and_keeps_the_item(
    session: Session, scene: Scene, two: tuple[WebClient, WebClient]
) -> None:
    ours, theirs = two
    add = f"{scene.url}/agenda"
    basis = basis_of(form_for(opened(ours, scene), add))
    theirs.post(add, data={"title": "Chief's report", "version": "1"})

    response = ours.post(add, data={"title": "Open forum", **basis}, htmx=True)

    assert response.status_code == 409
    section = soup(response).select_one("#agenda")
    assert agenda_titles(section) == ["Call to order", "Chief's report"]
    assert "“Open forum” was not added" in section.select_one(".conflict").get_text()
    assert section.select_one("#agenda-title")["value"] == "Open forum"
    again = basis_of(section.select_one("#agenda-add-form"))
    assert ours.post(add, data={"title": "Open forum", **again}, htmx=True).status_code == 200


@pytest.mark.parametrize("action", ["move", "delete"])
def test_moving_or_removing_on_a_stale_agenda_is_409_and_changes_nothing(
    session: Session, scene: Scene, two: tuple[WebClient, WebClient], action: str
) -> None:
    ours, theirs = two
    url = f"{scene.url}/agenda/{scene.item.id}/{action}"
    basis = basis_of(form_for(opened(ours, scene), url))
    theirs.post(f"{scene.url}/agenda", data={"title": "Chief's report", "version": "1"})

    response = ours.post(url, data={"direction": "down", **basis}, htmx=True)

    assert response.status_code == 409
    alert = soup(response).select_one("#agenda .conflict[role=alert]").get_text(" ", strip=True)
    verb = "moved" if action == "move" else "removed"
    assert f"Nothing was {verb}" in alert and "“Call to order”" in alert
    titles = [i.title for i in session.exec(select(AgendaItem).order_by(AgendaItem.position))]
    assert titles[-2:] == ["Call to order", "Chief's report"]


# --- status and details ---------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_a_stale_status_button_is_409_and_changes_nothing(
    session: Session, scene: Scene, two: tuple[WebClient, WebClient], htmx: bool
) -> None:
    ours, theirs = two
    held = opened(ours, scene).select_one("#status-held").find_parent("form")
    theirs.post(f"{scene.url}/status", data={"status": "cancelled", "version": "1"})

    response = ours.post(
        f"{scene.url}/status", data={"status": "held", **basis_of(held)}, htmx=htmx
    )

    assert response.status_code == 409
    head = soup(response).select_one("#meeting-head")
    assert "it is now cancelled" in head.select_one("[role=alert]").get_text(" ", strip=True)
    assert head.select_one(".badge--cancelled") is not None
    session.refresh(scene.meeting)
    assert scene.meeting.status == "cancelled"


def test_a_change_elsewhere_on_the_meeting_does_not_make_the_details_stale(
    session: Session, scene: Scene, two: tuple[WebClient, WebClient]
) -> None:
    ours, theirs = two
    basis = basis_of(opened(ours, scene).select_one("#meeting-details form"))
    theirs.post(
        f"{scene.url}/attendance",
        data={f"person-{scene.person.id}": "present", "guest_count": "0", "version": "1"},
    )
    theirs.post(f"{scene.url}/agenda", data={"title": "Chief's report", "version": "2"})

    details = {"date": "2026-03-18", "start": "18:30", "end": "20:00", "place": "Library"}
    response = ours.post(scene.url, data={**details, **basis}, htmx=True)

    assert response.status_code == 200
    # The page's other forms were loaded at version 1, and 1 → 4 is not only this change:
    # they keep their version (and are checked by what they saw).
    assert version_move(soup(response)) is None
    session.refresh(scene.meeting)
    assert scene.meeting.place == "Library" and scene.meeting.version == 4


# --- the other forms of the agenda keep what was typed --------------------------------------------


def test_agenda_actions_send_back_open_editors_and_the_add_form_to_be_kept(
    client: WebClient, session: Session, scene: Scene
) -> None:
    adjourn = AgendaItem(meeting_id=scene.meeting.id or 0, position=2, title="Adjourn")
    session.add(adjourn)
    session.flush()
    scene.world.sign_in(client, "liaison")
    page = opened(client, scene, f"/agenda/{adjourn.id}/edit")
    move = form_for(page, f"{scene.url}/agenda/{scene.item.id}/move")
    assert move["hx-include"] == ".agenda-editing"
    editing = page.select_one(f"#agenda-edit-{adjourn.id} input.agenda-editing")
    assert (editing["name"], editing["value"]) == ("editing", str(adjourn.id))

    moved = client.post(
        f"{scene.url}/agenda/{scene.item.id}/move",
        data={"direction": "down", "editing": str(adjourn.id), "version": "1"},
        htmx=True,
    )

    section = soup(moved).select_one("#agenda")
    order = [li["id"] for li in section.select("ol.agenda > li")]
    assert order == [f"agenda-item-{adjourn.id}", f"agenda-item-{scene.item.id}"]
    assert section.select_one(f"#agenda-edit-{adjourn.id}").has_attr("hx-preserve")
    assert section.select_one("#agenda-add-form").has_attr("hx-preserve")
    # Cancel closes its own edit form only.
    cancelled = client.htmx_get(
        f"{scene.url}/agenda?close={adjourn.id}&editing={adjourn.id}&editing={scene.item.id}"
    )
    section = soup(cancelled).select_one("#agenda")
    assert section.select_one(f"#agenda-edit-{adjourn.id}") is None
    assert section.select_one(f"#agenda-edit-{scene.item.id}").has_attr("hx-preserve")


def test_moving_the_first_item_up_changes_nothing(
    client: WebClient, session: Session, scene: Scene
) -> None:
    scene.world.sign_in(client, "liaison")
    response = client.post(
        f"{scene.url}/agenda/{scene.item.id}/move",
        data={"direction": "up", "version": "1"},
        htmx=True,
    )
    assert response.status_code == 200
    assert version_move(soup(response)) is None
    assert version_of(session, scene.meeting) == 1
