"""Public pages over HTTP, both databases: known residents' names never reach a visitor, police
and officers' names do, and every state that is not public is a 404 for everyone."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlmodel import Session, select

from jcpp.models import AuditEvent, Committee, FollowUp, Minutes, MinutesRevision, PublicMinutes
from jcpp.models.base import utcnow
from tests.factories import create_meeting, create_minutes
from tests.public.conftest import (
    ADDED_WORDS,
    CONTACTS,
    KEPT_WORDS,
    RESIDENT_WORDS,
    Town,
    review,
)
from tests.web import WebClient, soup


def visible_text(response: object) -> str:
    """Everything a visitor can read on the page, markup and attributes included."""
    return response.text  # type: ignore[attr-defined,no-any-return]


def assert_no_resident(text: str) -> None:
    for word in (*RESIDENT_WORDS, *ADDED_WORDS, *CONTACTS):
        assert re.search(re.escape(word), text, re.IGNORECASE) is None, word


def published_and_reviewed(client: WebClient, town: Town) -> None:
    client.sign_in(town.world.users["liaison"])
    assert review(client, town).status_code == 303
    client.cookies.clear()  # a visitor from now on
    client._csrf, client.signed_in = None, False


def test_the_public_pages_show_no_resident_and_keep_police_and_officers(
    client: WebClient, session: Session, town: Town
) -> None:
    published_and_reviewed(client, town)
    pages = [client.get("/public"), client.get(f"/public/{town.slug}"), client.get(town.public_url)]
    assert [page.status_code for page in pages] == [200, 200, 200]
    feed = client.get(f"/public/{town.slug}/calendar.ics")  # jcpp.calendars serves it
    assert feed.status_code == 200 and "BEGIN:VEVENT" in feed.text
    for page in [*pages, feed]:
        assert_no_resident(visible_text(page))
    meeting_page = soup(pages[2])
    minutes = meeting_page.select_one(".minutes-body").get_text(" ")
    for word in KEPT_WORDS:
        assert word in minutes
    assert "Lt. Okafor will bring stop data" in minutes
    assert "[resident] said drivers race past" in minutes
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in meeting_page.select(".follow-up-table tbody tr")
    ]
    assert rows == [
        ["Call [resident] back about interpreters", "[resident]", "Apr 15, 2026", "In progress"],
        ["Bring stop data", "Lt. Okafor", "", "Open"],
    ]
    # The calendar links the meeting's page and the committee's feed.
    calendar = soup(pages[1])
    assert calendar.select_one(f"a[href='{town.public_url}']") is not None
    assert calendar.select_one(f"a[href='/public/{town.slug}/calendar.ics']") is not None
    index = soup(pages[0])
    assert index.select_one(f"a[href='/public/{town.slug}']") is not None


def test_a_follow_up_written_after_the_review_hides_a_resident_by_default(
    client: WebClient, session: Session, town: Town
) -> None:
    published_and_reviewed(client, town)
    session.add(
        FollowUp(
            meeting_id=town.meeting.id or 0,
            title="Tomás Rivera will ask Sgt. Moua",
            owner_text="rivera",
        )
    )
    session.flush()
    page = client.get(town.public_url)
    assert_no_resident(page.text)
    assert "[resident] will ask Sgt. Moua" in soup(page).select_one(".follow-up-table").get_text(
        " "
    )


def test_the_public_layout_carries_nothing_of_a_signed_in_visitor(
    client: WebClient, town: Town
) -> None:
    published_and_reviewed(client, town)
    client.sign_in(town.world.users["liaison"])
    for url in ("/public", f"/public/{town.slug}", town.public_url):
        response = client.get(url)
        assert response.status_code == 200
        assert "set-cookie" not in response.headers
        assert response.headers["cache-control"] == "public, max-age=300"
        page = soup(response)
        assert page.select("nav.site-nav, form[action='/logout'], [data-csrf]") == []
        assert "csrf" not in response.text and town.world.users["liaison"].name not in response.text


def test_an_anonymous_visit_sets_no_cookie(client: WebClient, town: Town) -> None:
    published_and_reviewed(client, town)
    for url in ("/public", f"/public/{town.slug}", town.public_url):
        response = client.get(url)
        assert response.status_code == 200 and "set-cookie" not in response.headers
    assert "set-cookie" in client.get("/login").headers  # the app's own pages do make one


# ---------------------------------------------------------------- not public: 404


def _reviewed(session: Session, meeting_id: int, revision: int) -> None:
    session.add(PublicMinutes(meeting_id=meeting_id, revision=revision, text="Reviewed text."))
    session.flush()


def _new_revision(session: Session, minutes: Minutes) -> None:
    minutes.current_revision += 1
    session.add(
        MinutesRevision(
            meeting_id=minutes.meeting_id, number=minutes.current_revision, text="Changed."
        )
    )
    session.add(minutes)
    session.flush()


STATES = {
    "draft, reviewed": lambda s, t: (_set_status(s, t, "draft"), _reviewed(s, t.meeting.id, 1)),
    "approved, reviewed": lambda s, t: (
        _set_status(s, t, "approved"),
        _reviewed(s, t.meeting.id, 1),
    ),
    "published, not reviewed": lambda s, t: None,
    "published, an older revision reviewed": lambda s, t: (
        _reviewed(s, t.meeting.id, 1),
        _new_revision(s, t.minutes),
        _set_status(s, t, "published"),
    ),
    "public pages off": lambda s, t: (
        _reviewed(s, t.meeting.id, 1),
        _public_pages(s, t.world.committee, False),
    ),
    "committee archived": lambda s, t: (
        _reviewed(s, t.meeting.id, 1),
        _archive(s, t.world.committee),
    ),
    "no minutes": lambda s, t: None,
}


def _set_status(session: Session, town: Town, status: str) -> None:
    town.minutes.status = status
    session.add(town.minutes)
    session.flush()


def _public_pages(session: Session, committee: Committee, on: bool) -> None:
    committee.public_pages = on
    session.add(committee)
    session.flush()


def _archive(session: Session, committee: Committee) -> None:
    committee.archived_at = utcnow()
    session.add(committee)
    session.flush()


@pytest.mark.parametrize("role", ["anonymous", "liaison", "admin"])
@pytest.mark.parametrize("state", [*STATES, "reviewed and published (the control)"])
def test_every_state_that_is_not_public_is_404(
    client: WebClient, session: Session, town: Town, state: str, role: str
) -> None:
    meeting_id = town.meeting.id or 0
    if state == "no minutes":
        meeting_id = create_meeting(session, committee=town.world.committee, status="held").id or 0
    elif state in STATES:
        STATES[state](session, town)
    else:
        _reviewed(session, meeting_id, 1)
    town.world.sign_in(client, role)
    response = client.get(f"/public/{town.slug}/meetings/{meeting_id}")
    assert response.status_code == (200 if state not in STATES else 404)
    if response.status_code == 404:
        assert "Reviewed text." not in response.text
        # The resident's error page: the public layout, nothing of a signed-in session.
        page = soup(response)
        assert page.select_one("body.public") is not None
        assert page.select_one("body[data-csrf]") is None
        assert "Sign out" not in response.text
        assert page.select_one("main a[href='/public']") is not None


def test_another_committees_public_meeting_is_404_under_this_slug(
    client: WebClient, session: Session, town: Town
) -> None:
    other = town.world.other_committee
    _public_pages(session, other, True)
    meeting = create_meeting(session, committee=other, status="held")
    create_minutes(session, meeting=meeting, texts=["Other minutes."], status="published")
    _reviewed(session, meeting.id or 0, 1)
    assert client.get(f"/public/{other.slug}/meetings/{meeting.id}").status_code == 200
    assert client.get(f"/public/{town.slug}/meetings/{meeting.id}").status_code == 404
    assert client.get(f"/public/{town.slug}/meetings/999999999").status_code == 404


def test_a_committee_without_public_pages_has_no_calendar_and_is_not_listed(
    client: WebClient, session: Session, town: Town
) -> None:
    other = town.world.other_committee
    assert client.get(f"/public/{other.slug}").status_code == 404
    assert client.get("/public/no-such-committee").status_code == 404
    listed = {a["href"] for a in soup(client.get("/public")).select("main a")}
    assert f"/public/{town.slug}" in listed and f"/public/{other.slug}" not in listed


def test_unpublishing_or_editing_withdraws_the_public_page(
    client: WebClient, session: Session, town: Town
) -> None:
    published_and_reviewed(client, town)
    assert client.get(town.public_url).status_code == 200
    client.sign_in(town.world.users["liaison"])
    base = f"/meetings/{town.meeting.id}/minutes"
    assert client.post(base + "/unpublish", data={"revision": "1"}).status_code in (200, 303)
    assert client.get(town.public_url).status_code == 404
    assert client.post(base + "/publish", data={"revision": "1"}).status_code in (200, 303)
    assert client.get(town.public_url).status_code == 200  # the same revision, still reviewed
    saved = client.post(base, data={"text": "New text naming Yasmin Haddad.", "base_revision": "1"})
    assert saved.status_code == 303
    client.post(base + "/approve", data={"revision": "2"})
    client.post(base + "/publish", data={"revision": "2"})
    assert (
        session.exec(select(Minutes.status).where(Minutes.meeting_id == town.meeting.id)).one()
        == "published"
    )
    assert client.get(town.public_url).status_code == 404  # revision 2 is not reviewed yet
    page = soup(client.get(town.review_url))
    assert "the minutes have changed since" in page.get_text(" ")
    assert review(client, town, revision="2").status_code == 303
    response = client.get(town.public_url)
    assert response.status_code == 200 and "New text naming [resident]." in response.text


# ---------------------------------------------------------------- the review


def test_the_review_page_marks_each_name_with_its_default(client: WebClient, town: Town) -> None:
    client.sign_in(town.world.users["liaison"])
    response = client.get(town.review_url)
    assert response.status_code == 200
    page = soup(response)
    boxes = {box["aria-label"]: box.has_attr("checked") for box in page.select("input[name=hide]")}
    assert boxes == {
        "Hide Grace Lindqvist": False,
        "Hide Marcus Okafor": False,
        "Hide Yasmin Haddad": True,
        "Hide Tomás Rivera": True,
        "Hide Lucy Xiong": True,
        "Hide Ms. Gonzalez": True,
    }
    marked = {mark.get_text(): mark["class"][0] for mark in page.select(".public-marked mark")}
    assert marked["Lt. Okafor"] == "name-keep" and marked["tomás rivera"] == "name-hide"
    assert (
        page.select_one("main form button[type=submit]").get_text(strip=True)
        == "Save and show on the public page"
    )


def test_saving_the_review_keeps_what_the_liaison_chose(
    client: WebClient, session: Session, town: Town
) -> None:
    client.sign_in(town.world.users["liaison"])
    # She lets the guest's name stand and hides the chair's.
    response = client.post(
        town.review_url,
        data={
            "revision": "1",
            "hide": [
                f"person:{town.people['Grace Lindqvist']}",
                f"person:{town.people['Yasmin Haddad']}",
                f"person:{town.people['Tomás Rivera']}",
                f"person:{town.people['Lucy Xiong']}",
            ],
            "added": "Dwayne Brooks\n\n  dwayne   brooks ",
        },
    )
    assert response.status_code == 303
    stored = session.exec(
        select(PublicMinutes).where(PublicMinutes.meeting_id == town.meeting.id)
    ).one()
    decisions = {item["name"]: item["hide"] for item in json.loads(stored.redactions)}
    assert decisions["Ms. Gonzalez"] is False and decisions["Grace Lindqvist"] is True
    assert decisions["Dwayne Brooks"] is True and len(decisions) == 7
    assert (
        "\n[resident] called the meeting" in stored.text and "Ms. Gonzalez, a guest" in stored.text
    )
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "public_minutes_reviewed")
    ).all()[-1]
    assert "Haddad" not in (event.summary + json.dumps(event.after))
    # The page shows the choices as saved.
    page = soup(client.get(town.review_url + "?done=saved"))
    assert page.select_one("[role=status]") is not None
    assert page.select_one("textarea[name=added]").get_text() == "Dwayne Brooks"
    boxes = {box["aria-label"]: box.has_attr("checked") for box in page.select("input[name=hide]")}
    assert boxes["Hide Ms. Gonzalez"] is False and boxes["Hide Grace Lindqvist"] is True


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"revision": "2"}, 409, "revision 1 is now the newest"),
        ({"added": "x" * 121}, 422, "longer than 120 characters"),
        ({"added": "\n".join(f"Name {n}" for n in range(51))}, 422, "at most 50 names"),
    ],
)
def test_a_refused_review_says_why_and_saves_nothing(
    client: WebClient,
    session: Session,
    town: Town,
    change: dict[str, str],
    status: int,
    message: str,
) -> None:
    client.sign_in(town.world.users["liaison"])
    response = review(client, town, **change)
    assert response.status_code == status
    assert message in soup(response).get_text(" ")
    assert (
        session.exec(
            select(PublicMinutes).where(PublicMinutes.meeting_id == town.meeting.id)
        ).first()
        is None
    )


@pytest.mark.parametrize("state", ["public pages off", "draft"])
def test_only_approved_or_published_minutes_of_a_public_committee_are_reviewed(
    client: WebClient, session: Session, town: Town, state: str
) -> None:
    if state == "draft":
        _set_status(session, town, "draft")
    else:
        _public_pages(session, town.world.committee, False)
    client.sign_in(town.world.users["liaison"])
    page = soup(client.get(town.review_url))
    assert page.select("form input[name=hide]") == []
    response = client.post(town.review_url, data={"revision": "1"})
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("role", "status"),
    [("member", 403), ("county_staff", 403), ("liaison_other", 404), ("anonymous", 303)],
)
def test_only_editors_review(client: WebClient, town: Town, role: str, status: int) -> None:
    town.world.sign_in(client, role)
    assert client.get(town.review_url).status_code == status
    assert client.post(
        town.review_url, data={"revision": "1"}, csrf=role != "anonymous"
    ).status_code in (status, 403)


# ---------------------------------------------------------------- the switch


def test_the_admin_turns_public_pages_on_and_off(
    client: WebClient, session: Session, town: Town
) -> None:
    other = town.world.other_committee
    url = f"/admin/committees/{other.id}/public-pages"
    client.sign_in(town.world.users["admin"])
    page = soup(client.get(f"/admin/committees/{other.id}"))
    assert page.select_one(f"form[action='{url}'] button").get_text() == "Turn public pages on"
    assert client.post(url, data={"public_pages": "on"}).status_code == 303
    session.refresh(other)
    assert other.public_pages is True
    assert client.get(f"/public/{other.slug}").status_code == 200
    notice = soup(client.get(f"/admin/committees/{other.id}")).get_text(" ")
    assert f"Public pages of {other.name} are on." in notice
    assert client.post(url, data={"public_pages": "off"}).status_code == 303
    assert client.get(f"/public/{other.slug}").status_code == 404


@pytest.mark.parametrize("role", ["liaison", "county_staff", "member"])
def test_only_an_admin_turns_public_pages_on(
    client: WebClient, session: Session, town: Town, role: str
) -> None:
    other = town.world.committee
    _public_pages(session, other, False)
    town.world.sign_in(client, role)
    response = client.post(
        f"/admin/committees/{other.id}/public-pages", data={"public_pages": "on"}
    )
    assert response.status_code == 403
    session.refresh(other)
    assert other.public_pages is False


def test_the_minutes_page_links_the_review_for_a_public_committee(
    client: WebClient, town: Town
) -> None:
    client.sign_in(town.world.users["liaison"])
    page = soup(client.get(f"/meetings/{town.meeting.id}/minutes"))
    assert page.select_one(f"a[href='{town.review_url}']") is not None


def test_guests_listed_on_the_attendance_line_are_hidden_unless_the_liaison_keeps_them(
    client: WebClient, session: Session, town: Town
) -> None:
    start = town.meeting.start_at + dt.timedelta(days=28)
    meeting = create_meeting(session, committee=town.world.committee, start_at=start, status="held")
    text = (
        "Guests: Keisha Jackson, Saw Lah Soe\n\n"
        "# Public comment\n"
        "Keisha Jackson said videos of fights are shared online. Lt. Okafor offered to speak "
        "with Keisha after the meeting. Saw Lah Soe asked about teens out after midnight.\n"
    )
    create_minutes(session, meeting=meeting, texts=[text], status="published")
    session.commit()
    client.sign_in(town.world.users["liaison"])
    url = f"/meetings/{meeting.id}/minutes/public"

    page = soup(client.get(url))
    boxes = {box["aria-label"]: box.has_attr("checked") for box in page.select("input[name=hide]")}
    assert boxes["Hide Keisha Jackson"] is True and boxes["Hide Saw Lah Soe"] is True
    hidden = [box["value"] for box in page.select("input[name=hide][checked]")]
    saved = client.post(url, data={"revision": "1", "hide": hidden, "added": ""})
    assert saved.status_code == 303
    client.cookies.clear()  # a visitor from now on
    client._csrf, client.signed_in = None, False

    public = client.get(f"/public/{town.slug}/meetings/{meeting.id}").text
    assert "Lt. Okafor offered to speak with [resident] after the meeting" in public
    for word in ("Keisha", "Jackson", "Saw Lah Soe"):
        assert word not in public
