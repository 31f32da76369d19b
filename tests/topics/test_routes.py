"""Topic list pages: reading for everyone signed in, changes by county staff and admins."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from jcpp.models import AuditEvent, MeetingTopic, Topic
from jcpp.topics.service import ensure_default_topics
from tests.factories import create_meeting
from tests.meetings.helpers import World, build_world
from tests.web import WebClient, soup

EDITORS = ("admin", "county_staff")
READERS = ("liaison", "member")


@pytest.fixture
def world(session: Session) -> World:
    ensure_default_topics(session)
    return build_world(session)


def topic(session: Session, slug: str) -> Topic:
    session.expire_all()
    return session.exec(select(Topic).where(Topic.slug == slug)).one()


def form_of(row: Topic, **kw: str) -> dict[str, str]:
    data = {
        "name": row.name,
        "description": row.description,
        "terms": "\n".join(row.terms),
        "exclusions": "\n".join(row.exclusions),
        "version": str(row.version),
    }
    data.update(kw)
    return data


@pytest.mark.parametrize("role", [*EDITORS, *READERS])
def test_list_page_shows_every_topic_in_use_with_counts(
    client: WebClient, session: Session, world: World, role: str
) -> None:
    youth = topic(session, "youth")
    meeting = create_meeting(session, committee=world.committee)
    session.add(MeetingTopic(meeting_id=meeting.id or 0, topic_id=youth.id or 0, state="proposed"))
    session.flush()
    client.sign_in(world.users[role])

    page = soup(client.get("/topics"))

    assert page.select_one("h1").get_text(strip=True) == "Topic list"
    row = page.select_one("#topic-youth")
    assert row.select_one("th a")["href"] == "/topics/youth"
    cells = [td.get_text(strip=True) for td in row.select("td")]
    assert cells[0] == "In use" and int(cells[3]) >= 1  # "To review"
    assert len(page.select("#topic-list tbody tr")) >= 26
    assert bool(page.select_one("#add-topic form")) is (role in EDITORS)


def test_list_filter_answers_htmx_with_the_list_alone(
    client: WebClient, session: Session, world: World
) -> None:
    topic(session, "gun-violence").active = False
    session.flush()
    client.sign_in(world.users["member"])
    response = client.htmx_get("/topics?show=retired")
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    fragment = soup(response)
    assert fragment.select_one("html") is None
    assert fragment.select_one("section")["id"] == "topic-list"
    assert "topic-gun-violence" in [tr["id"] for tr in fragment.select("tbody tr")]
    assert fragment.select_one("#topic-youth") is None


@pytest.mark.parametrize("role", READERS)
def test_liaisons_and_members_read_a_topic_without_a_form(
    client: WebClient, session: Session, world: World, role: str
) -> None:
    client.sign_in(world.users[role])
    page = soup(client.get("/topics/youth"))
    assert page.select_one("h1").get_text(strip=True) == "Youth"
    assert page.select_one("#topic-editor form") is None
    terms = [li.get_text() for li in page.select("#topic-editor ul[aria-labelledby=terms-h] li")]
    assert terms == topic(session, "youth").terms
    assert client.post("/topics/youth", data=form_of(topic(session, "youth"))).status_code == 403


def test_topic_page_htmx_answers_with_the_editor_alone(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.users["county_staff"])
    full = soup(client.get("/topics/youth"))
    assert full.select_one("#topic-editor textarea#terms").get_text() == "\n".join(
        topic(session, "youth").terms
    )
    fragment = soup(client.htmx_get("/topics/youth"))
    assert fragment.select_one("html") is None
    assert fragment.select_one("section")["id"] == "topic-editor"


def test_county_staff_edit_a_topic_in_place(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.users["county_staff"])
    youth = topic(session, "youth")
    version = youth.version
    data = form_of(
        youth, name="Youth and schools", terms="youth\r\n\r\nschool resource officer\r\n"
    )

    response = client.post("/topics/youth", data=data, htmx=True)

    assert response.status_code == 200
    fragment = soup(response)
    assert fragment.select_one("#name")["value"] == "Youth and schools"
    assert (
        fragment.select_one(".toast").get_text(strip=True) == "Saved the topic Youth and schools."
    )
    assert fragment.select_one("input[name=version]")["value"] == str(version + 1)
    saved = topic(session, "youth")
    assert (saved.name, saved.terms) == ("Youth and schools", ["youth", "school resource officer"])


def test_plain_post_redirects_with_a_notice(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.users["admin"])
    response = client.post(
        "/topics/youth", data=form_of(topic(session, "youth"), description="Kids")
    )
    assert (response.status_code, response.headers["location"]) == (303, "/topics/youth")
    page = soup(client.get("/topics/youth"))
    assert page.select_one(".alert--success").get_text(strip=True) == "Saved the topic Youth."


def test_invalid_edit_is_422_with_the_typed_values(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.users["county_staff"])
    data = form_of(topic(session, "youth"), name="", terms="curfew|strong")
    for htmx in (True, False):
        response = client.post("/topics/youth", data=data, htmx=htmx)
        assert response.status_code == 422
        page = soup(response)
        assert page.select_one("#name")["aria-invalid"] == "true"
        assert page.select_one("#terms").get_text() == "curfew|strong"
        assert page.select_one("#terms-error").get_text().startswith("“curfew|strong”")
        assert (page.select_one("html") is None) is htmx
    assert topic(session, "youth").name == "Youth"


def test_stale_edit_is_409_and_shows_the_stored_topic(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.users["county_staff"])
    youth = topic(session, "youth")
    old = form_of(youth, name="Young people")
    assert client.post("/topics/youth", data=form_of(youth, name="Youth first")).status_code == 303

    response = client.post("/topics/youth", data=old, htmx=True)

    assert response.status_code == 409
    fragment = soup(response)
    assert "changed the topic" in fragment.select_one(".alert--warn p").get_text()
    assert fragment.select_one("#name")["value"] == "Youth first"
    assert fragment.select_one(".alert--warn details dd").get_text() == "Young people"
    assert topic(session, "youth").name == "Youth first"


def test_add_topic_goes_to_its_page_or_says_what_is_wrong(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.users["county_staff"])
    data = {
        "name": "Animal control",
        "slug": "",
        "description": "Dogs",
        "terms": "loose dog\nbarking",
    }
    response = client.post("/topics", data=data)
    assert (response.status_code, response.headers["location"]) == (303, "/topics/animal-control")
    assert topic(session, "animal-control").terms == ["loose dog", "barking"]

    again = client.post("/topics", data=data)
    assert again.status_code == 422
    page = soup(again)
    assert page.select_one("#add-topic #name")["value"] == "Animal control"
    assert page.select_one("#add-topic #name-error") is not None


def test_retire_restore_and_merge_from_the_topic_page(
    client: WebClient, session: Session, world: World
) -> None:
    client.sign_in(world.users["county_staff"])
    page = soup(client.get("/topics/youth"))
    assert page.select_one("form[action='/topics/youth/retire'] button")

    assert client.post("/topics/youth/retire").headers["location"] == "/topics/youth"
    assert not topic(session, "youth").active
    page = soup(client.get("/topics/youth"))
    assert "retired" in page.select_one(".alert--success").get_text().lower()
    assert page.select_one("form[action='/topics/youth/restore']")

    client.post("/topics/youth/restore")
    assert topic(session, "youth").active

    bad = client.post("/topics/youth/merge", data={"into": ""})
    assert bad.status_code == 422
    assert soup(bad).select_one("#into")["aria-invalid"] == "true"

    done = client.post("/topics/youth/merge", data={"into": "community-education"})
    assert done.headers["location"] == "/topics/community-education"
    assert topic(session, "youth").merged_into_id == topic(session, "community-education").id
    target_page = soup(client.get("/topics/community-education"))
    assert [a["href"] for a in target_page.select("section[aria-labelledby=merged-from-h] a")] == [
        "/topics/youth"
    ]
    actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert {"retire_topic", "restore_topic", "merge_topic"} <= set(actions)


def test_unknown_topic_is_404(client: WebClient, world: World) -> None:
    client.sign_in(world.users["member"])
    assert client.get("/topics/no-such-topic").status_code == 404


@pytest.mark.parametrize("url", ["/topics", "/topics/youth"])
def test_anonymous_visitors_are_sent_to_sign_in(client: WebClient, world: World, url: str) -> None:
    assert client.get(url).headers["location"].startswith("/login")
