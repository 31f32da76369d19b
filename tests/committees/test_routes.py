from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from jcpp.models import AuditEvent, Meeting
from tests.factories import create_meeting, create_membership, create_person
from tests.meetings.helpers import ALL_ROLES, EDITORS, World, expected_status
from tests.web import WebClient, soup

UTC = dt.UTC


def meeting_count(session: Session, committee_id: int | None) -> int:
    return len(session.exec(select(Meeting).where(Meeting.committee_id == committee_id)).all())


# --- GET /committees ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_committee_list_for_each_role(client: WebClient, world: World, role: str) -> None:
    world.sign_in(client, role)
    response = client.get("/committees")
    if role == "anonymous":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")
        return
    assert response.status_code == 200
    page = soup(response)
    links = {a["href"] for a in page.select("table a[href^='/committees/']")}
    own = f"/committees/{world.committee.id}"
    other = f"/committees/{world.other_committee.id}"
    assert (own in links) is (role not in ("liaison_other", "member_other"))
    assert (other in links) is (role not in ("liaison", "member"))


def test_committee_list_groups_by_city_and_shows_rule_and_missing_minutes(
    client: WebClient, session: Session, world: World
) -> None:
    create_meeting(
        session,
        committee=world.committee,
        start_at=dt.datetime(2025, 3, 19, 23, 30, tzinfo=UTC),
        status="held",
    )
    world.sign_in(client, "county_staff")
    page = soup(client.get("/committees"))
    headings = [h.get_text(strip=True) for h in page.select("main section.card > h2")]
    assert headings.index(world.other_city.name) < headings.index(world.city.name)
    row = page.select_one(f"#city-{world.city.id} tbody tr")
    cells = row.select("td")
    assert "third wednesday" in cells[0].get_text().lower()
    assert cells[2].select_one("a")["href"].startswith("/meetings/")  # last held
    assert cells[3].select_one(".badge--missing").get_text(strip=True) == "1"


# --- GET /committees/{id} -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_committee_page_for_each_role(client: WebClient, world: World, role: str) -> None:
    world.sign_in(client, role)
    response = client.get(f"/committees/{world.committee.id}")
    assert response.status_code == expected_status(role, write=False, ok=200)
    if response.status_code != 200:
        return
    page = soup(response)
    assert page.select_one("h1").get_text(strip=True) == "Richfield MAC"
    can_plan = page.select_one("#schedule-form") is not None
    assert can_plan is (role in EDITORS)
    assert (page.select_one("#new-meeting-form") is not None) is (role in EDITORS)


def test_committee_page_shows_header_and_current_roster(
    client: WebClient, session: Session, world: World
) -> None:
    chair = create_person(session, name="Amina Hassan")
    create_membership(session, committee=world.committee, person=chair, role="chair")
    gone = create_person(session, name="Former Member")
    create_membership(session, committee=world.committee, person=gone, end_date=dt.date(2021, 1, 1))
    world.sign_in(client, "member")
    page = soup(client.get(f"/committees/{world.committee.id}"))
    facts = {
        dt_.get_text(strip=True): dt_.find_next_sibling("dd").get_text(" ", strip=True)
        for dt_ in page.select("dl.facts dt")
    }
    assert facts["Meets"].lower().startswith("third wednesday")
    assert facts["Usual place"] == "City Hall, Council Chambers"
    breadcrumbs = [li.get_text(strip=True) for li in page.select(".breadcrumbs li")]
    assert breadcrumbs == ["Committees", world.city.name, "Richfield MAC"]
    roster = [li.get_text(" ", strip=True) for li in page.select(".roster li")]
    assert len(roster) == 1 and roster[0].startswith("Amina Hassan")
    assert "Chair" in roster[0]
    assert page.select_one("form[action$='/schedule']") is None  # read-only for members


def test_meeting_list_filters_as_page_and_as_fragment(
    client: WebClient, session: Session, world: World
) -> None:
    held = create_meeting(
        session,
        committee=world.committee,
        start_at=dt.datetime(2025, 5, 21, 23, 30, tzinfo=UTC),
        status="held",
    )
    create_meeting(
        session,
        committee=world.committee,
        start_at=dt.datetime(2025, 6, 18, 23, 30, tzinfo=UTC),
        status="cancelled",
    )
    world.sign_in(client, "liaison")
    url = f"/committees/{world.committee.id}?status=held&year=2025"

    full = client.get(url)
    assert full.status_code == 200
    page = soup(full)
    assert page.select_one("html") is not None
    assert page.select_one("#f-status option[selected]")["value"] == "held"
    assert page.select_one("#f-year option[selected]")["value"] == "2025"
    form = page.select_one("#meeting-filters")
    assert form["hx-get"] == f"/committees/{world.committee.id}"
    assert form["hx-push-url"] == "true" and form["hx-target"] == "#meeting-list"

    fragment = client.htmx_get(url)
    assert fragment.status_code == 200
    assert "HX-Request" in fragment.headers["vary"]
    part = soup(fragment)
    assert part.select_one("html") is None
    root = part.find(True)
    assert root["id"] == "meeting-list"
    links = [a["href"] for a in part.select("tbody a")]
    assert links == [f"/meetings/{held.id}"]


def test_meeting_list_missing_minutes_only(
    client: WebClient, session: Session, world: World
) -> None:
    past = create_meeting(
        session,
        committee=world.committee,
        start_at=dt.datetime(2025, 5, 21, 23, 30, tzinfo=UTC),
        status="held",
    )
    create_meeting(
        session, committee=world.committee, start_at=dt.datetime(2099, 5, 20, 23, 30, tzinfo=UTC)
    )
    world.sign_in(client, "member")
    part = soup(client.htmx_get(f"/committees/{world.committee.id}?missing=1"))
    rows = part.select("tbody tr")
    assert [r.select_one("a")["href"] for r in rows] == [f"/meetings/{past.id}"]
    assert rows[0].select_one(".badge--missing").get_text(strip=True) == "Missing"


def test_meeting_list_pages_newest_first(client: WebClient, session: Session, world: World) -> None:
    for day in range(1, 26):
        create_meeting(
            session,
            committee=world.committee,
            start_at=dt.datetime(2025, 1, day, 23, 30, tzinfo=UTC),
        )
    world.sign_in(client, "admin")
    first = soup(client.get(f"/committees/{world.committee.id}?year=2025"))
    assert len(first.select("#meeting-list tbody tr")) == 20
    older = first.select_one(".pager a[rel=next]")["href"]
    assert "year=2025" in older and "page=2" in older
    second = soup(client.get(older))
    dates = [a.get_text() for a in second.select("#meeting-list tbody a")]
    assert len(dates) == 5 and dates[-1].endswith("Jan 1, 2025")


# --- POST /committees/{id}/schedule ---------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_schedule_for_each_role(
    client: WebClient, session: Session, world: World, role: str
) -> None:
    world.sign_in(client, role)
    response = client.post(f"/committees/{world.committee.id}/schedule", data={"months": "2"})
    assert response.status_code == expected_status(role, write=True, ok=303)
    scheduled = meeting_count(session, world.committee.id)
    if role in EDITORS:
        assert response.headers["location"].startswith(f"/committees/{world.committee.id}?")
        assert scheduled == 2
        notice = soup(client.get(response.headers["location"])).select_one(".alert--success")
        assert notice.get_text(strip=True) == "Scheduled 2 new meetings."
    else:
        assert scheduled == 0


def test_schedule_twice_with_htmx_reports_existing(
    client: WebClient, session: Session, world: World
) -> None:
    world.sign_in(client, "liaison")
    url = f"/committees/{world.committee.id}/schedule"
    first = client.post(url, data={"months": "3"}, htmx=True)
    assert first.status_code == 200
    part = soup(first)
    assert part.select_one("html") is None
    assert part.find(True)["id"] == "meeting-list"
    assert len(part.select("#meeting-list tbody tr")) == 3
    assert part.select_one("#toasts[hx-swap-oob] .toast").get_text() == (
        "Scheduled 3 new meetings."
    )
    assert part.select_one("#schedule-form")["hx-swap-oob"] == "true"

    second = soup(client.post(url, data={"months": "3"}, htmx=True))
    assert second.select_one("#toasts .toast").get_text() == (
        "No new meetings were needed; 3 dates already had a meeting."
    )
    assert meeting_count(session, world.committee.id) == 3
    events = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "schedule_meetings", AuditEvent.entity_id == world.committee.id
        )
    )
    assert [(e.city_id, e.user_id) for e in events] == [
        (world.city.id, world.users["liaison"].id)
    ] * 2


def test_schedule_keeps_the_list_filters(client: WebClient, session: Session, world: World) -> None:
    create_meeting(
        session,
        committee=world.committee,
        start_at=dt.datetime(2025, 5, 21, 23, 30, tzinfo=UTC),
        status="held",
    )
    world.sign_in(client, "admin")
    response = client.post(
        f"/committees/{world.committee.id}/schedule",
        data={"months": "2", "status": "held"},
        htmx=True,
    )
    rows = soup(response).select("#meeting-list tbody tr")
    assert len(rows) == 1  # the new meetings are scheduled, not held


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("months", ["0", "13", "three", ""])
def test_schedule_with_bad_months_is_422(
    client: WebClient, session: Session, world: World, months: str, htmx: bool
) -> None:
    world.sign_in(client, "liaison")
    response = client.post(
        f"/committees/{world.committee.id}/schedule", data={"months": months}, htmx=htmx
    )
    assert response.status_code == 422
    page = soup(response)
    assert (page.select_one("html") is None) is htmx
    if htmx:
        assert response.headers["hx-retarget"] == "#schedule-form"
        assert page.find(True)["id"] == "schedule-form"
    error = page.select_one("#schedule-months-error")
    assert "1 to 12" in error.get_text()
    assert page.select_one("#schedule-months")["aria-invalid"] == "true"
    assert page.select_one("#schedule-months")["value"] == months
    assert meeting_count(session, world.committee.id) == 0


# --- POST /committees/{id}/meetings ---------------------------------------------------------------

NEW_MEETING = {"date": "2026-12-16", "start": "18:30", "end": "20:00", "place": "Library"}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_create_meeting_for_each_role(
    client: WebClient, session: Session, world: World, role: str
) -> None:
    world.sign_in(client, role)
    response = client.post(f"/committees/{world.committee.id}/meetings", data=NEW_MEETING)
    assert response.status_code == expected_status(role, write=True, ok=303)
    meetings = session.exec(select(Meeting).where(Meeting.committee_id == world.committee.id))
    created = list(meetings)
    if role in EDITORS:
        [meeting] = created
        assert response.headers["location"] == f"/meetings/{meeting.id}"
        assert meeting.start_at == dt.datetime(2026, 12, 17, 0, 30, tzinfo=UTC)
        assert meeting.end_at == dt.datetime(2026, 12, 17, 2, 0, tzinfo=UTC)
        assert meeting.place == "Library" and not meeting.from_rule
    else:
        assert created == []


def test_create_meeting_with_htmx_redirects_to_it(
    client: WebClient, session: Session, world: World
) -> None:
    world.sign_in(client, "liaison")
    response = client.post(
        f"/committees/{world.committee.id}/meetings", data=NEW_MEETING, htmx=True
    )
    assert response.status_code == 204
    meeting = session.exec(select(Meeting).where(Meeting.committee_id == world.committee.id)).one()
    assert response.headers["hx-redirect"] == f"/meetings/{meeting.id}"
    event = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "create_meeting", AuditEvent.entity_id == meeting.id
        )
    ).one()
    assert event.city_id == world.city.id and event.entity_id == meeting.id


@pytest.mark.parametrize("htmx", [False, True])
def test_create_meeting_with_bad_input_is_422_and_keeps_input(
    client: WebClient, session: Session, world: World, htmx: bool
) -> None:
    world.sign_in(client, "liaison")
    data = {"date": "2026-13-40", "start": "19:00", "end": "18:00", "place": "Fire station 2"}
    response = client.post(f"/committees/{world.committee.id}/meetings", data=data, htmx=htmx)
    assert response.status_code == 422
    page = soup(response)
    assert (page.select_one("html") is None) is htmx
    assert "date of the meeting" in page.select_one("#new-date-error").get_text()
    assert "end after it starts" in page.select_one("#new-end-error").get_text()
    assert page.select_one("#new-place")["value"] == "Fire station 2"
    assert page.select_one("#new-date")["value"] == "2026-13-40"
    assert meeting_count(session, world.committee.id) == 0


def test_create_meeting_at_a_taken_time_is_422(
    client: WebClient, session: Session, world: World
) -> None:
    create_meeting(
        session,
        committee=world.committee,
        start_at=dt.datetime(2026, 12, 17, 0, 30, tzinfo=UTC),
    )
    world.sign_in(client, "admin")
    response = client.post(f"/committees/{world.committee.id}/meetings", data=NEW_MEETING)
    assert response.status_code == 422
    assert "already has a meeting" in soup(response).select_one("#new-start-error").get_text()


def test_new_meeting_form_is_prefilled_from_the_rule(client: WebClient, world: World) -> None:
    world.sign_in(client, "liaison")
    page = soup(client.get(f"/committees/{world.committee.id}"))
    assert page.select_one("#new-start")["value"] == "18:30"
    assert page.select_one("#new-end")["value"] == "20:00"
    assert page.select_one("#new-place")["value"] == "City Hall, Council Chambers"
