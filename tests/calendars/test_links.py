"""Calendar links: made on the Subscribe page (shown once), used by a calendar app that cannot
sign in, removed; what a link opens (its owner's scope, no more); the public feed."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import FastAPI
from icalendar import Calendar
from sqlmodel import Session, select

from jcpp.config import get_settings
from jcpp.models import ApiToken
from jcpp.tokens.service import create_token
from tests.calendars.helpers import (
    TODAY,
    events_by_uid,
    local_meeting_start,
    parse,
)
from tests.factories import create_committee, create_meeting
from tests.meetings.helpers import World
from tests.web import WebClient, soup

BASE = get_settings().base_url


def make_link(client: WebClient, feed: str, name: str = "Work phone") -> tuple[str, str]:
    """Make a link on the Subscribe page; (its https address, made relative; its webcal one)."""
    form = soup(client.get("/account/calendars")).select_one("#make-link form")
    assert form is not None
    token = form.select_one('input[name="csrf_token"]')
    assert token is not None and token["value"]  # the form's own, as a browser sends it
    data = {"feed": feed, "name": name, "csrf_token": str(token["value"])}
    response = client.post("/account/calendars", data=data, csrf=False)
    assert response.status_code == 200, response.text[:500]
    page = soup(response)
    address = page.select_one("#link-https")
    webcal = page.select_one("#new-link a.button")
    assert address is not None and webcal is not None
    https = str(address["value"])
    assert https.startswith(BASE + "/")
    assert str(webcal["href"]) == re.sub(r"^https?://", "webcal://", https)
    return https.removeprefix(BASE), str(webcal["href"])


def test_a_link_made_on_the_subscribe_page_opens_the_feed_without_signing_in(
    client: WebClient, app: FastAPI, session: Session, world: World, county_clock: dt.date
) -> None:
    meeting = create_meeting(
        session, committee=world.committee, start_at=local_meeting_start(TODAY)
    )
    world.sign_in(client, "member")
    page = client.get(f"/account/calendars?feed=committee/{world.committee.slug}")
    assert page.status_code == 200
    chosen = soup(page).select_one("#feed option[selected]")
    assert chosen is not None and chosen["value"] == f"committee/{world.committee.slug}"

    path, webcal = make_link(client, f"committee/{world.committee.slug}")
    token = path.split("token=")[1]
    assert path == f"/committees/{world.committee.slug}/calendar.ics?token={token}"
    assert webcal.startswith("webcal://")

    with WebClient(app) as calendar_app:
        calendar = parse(calendar_app.get(path))
    assert set(events_by_uid(calendar)) == {
        f"meeting-{meeting.id}@{get_settings().calendar_domain}"
    }

    listing = client.get("/account/calendars")
    assert token not in listing.text  # shown once, only its first letters after
    row = soup(listing).select_one("#calendar-links tbody tr")
    assert row is not None and "Work phone" in row.text and token[:11] in row.text
    stored = session.get(ApiToken, int(str(row["id"]).removeprefix("calendar-link-")))
    assert stored is not None and stored.last_used_at is not None
    assert token not in stored.token_hash


def test_a_removed_link_stops_working(
    client: WebClient, app: FastAPI, world: World, county_clock: dt.date
) -> None:
    world.sign_in(client, "liaison")
    path, _ = make_link(client, f"city/{world.city.slug}")
    with WebClient(app) as calendar_app:
        assert calendar_app.get(path).status_code == 200
        row = soup(client.get("/account/calendars")).select_one("#calendar-links tbody tr")
        assert row is not None
        link_id = str(row["id"]).removeprefix("calendar-link-")

        remove = row.select_one('form input[name="csrf_token"]')
        assert remove is not None
        removed = client.post(
            f"/account/calendars/{link_id}/revoke",
            data={"csrf_token": str(remove["value"])},
            csrf=False,
        )
        assert removed.status_code == 303
        assert removed.headers["location"] == "/account/calendars?removed=1"
        refused = calendar_app.get(path)
    assert refused.status_code == 403
    assert "does not work" in refused.text
    listing = soup(client.get("/account/calendars?removed=1"))
    assert "is removed" in listing.text
    assert listing.select_one(f"#calendar-link-{link_id} form") is None  # no Remove any more


def test_a_link_never_opens_a_committee_its_owner_may_not_see(
    client: WebClient, session: Session, world: World, county_clock: dt.date
) -> None:
    _, raw = create_token(session, user=world.users["member"], name="Phone", scope="calendar")
    second = create_committee(session, city=world.city, name="Richfield Police Advisory")
    session.commit()  # a refused request rolls back what was not committed

    def get(path: str) -> int:
        return int(client.get(path, params={"token": raw}).status_code)

    assert get(f"/committees/{world.committee.slug}/calendar.ics") == 200
    assert get(f"/cities/{world.city.slug}/calendar.ics") == 200
    assert get(f"/committees/{second.slug}/calendar.ics") == 404  # same city, not his committee
    assert get(f"/committees/{world.other_committee.slug}/calendar.ics") == 404
    assert get(f"/cities/{world.other_city.slug}/calendar.ics") == 404
    # The token is for feeds only: the meeting pages still want a signed-in browser.
    assert client.get("/committees", params={"token": raw}).status_code == 303


def test_a_link_follows_its_owner_today(
    client: WebClient, session: Session, world: World, county_clock: dt.date
) -> None:
    member = world.users["member"]
    _, raw = create_token(session, user=member, name="Phone", scope="calendar")
    feed = f"/committees/{world.committee.slug}/calendar.ics"
    assert client.get(feed, params={"token": raw}).status_code == 200

    member.active = False
    session.add(member)
    session.flush()
    assert client.get(feed, params={"token": raw}).status_code == 403


def test_api_tokens_expired_links_and_made_up_tokens_open_no_feed(
    client: WebClient, session: Session, world: World, county_clock: dt.date
) -> None:
    admin = world.users["admin"]
    _, api = create_token(session, user=admin, name="Warehouse", scope="api")
    _, expired = create_token(
        session,
        user=admin,
        name="Old phone",
        scope="calendar",
        expires_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    feed = f"/committees/{world.committee.slug}/calendar.ics"
    session.commit()  # a refused request rolls back what was not committed
    for token in (api, expired, "jcpp_made-up", "", "x" * 300):
        response = client.get(feed, params={"token": token})
        assert response.status_code == 403, token
    # A refused link says so, even for a committee that does not exist: nothing is revealed.
    assert client.get("/committees/none/calendar.ics", params={"token": api}).status_code == 403


def test_the_subscribe_page_refuses_an_unknown_calendar_or_a_missing_name(
    client: WebClient, session: Session, world: World
) -> None:
    world.sign_in(client, "member")
    other = client.post(
        "/account/calendars",
        data={"feed": f"committee/{world.other_committee.slug}", "name": "Phone"},
    )
    assert other.status_code == 422
    assert "Choose one of the calendars" in other.text
    unnamed = client.post(
        "/account/calendars", data={"feed": f"committee/{world.committee.slug}", "name": "  "}
    )
    assert unnamed.status_code == 422
    assert "Give the token a name" in unnamed.text or "name" in unnamed.text
    made = session.exec(select(ApiToken).where(ApiToken.user_id == world.users["member"].id))
    assert made.all() == []


def test_the_subscribe_page_offers_only_what_the_user_sees(client: WebClient, world: World) -> None:
    world.sign_in(client, "member")
    options = [o["value"] for o in soup(client.get("/account/calendars")).select("#feed option")]
    assert options == [f"city/{world.city.slug}", f"committee/{world.committee.slug}"]


def test_one_cannot_remove_anothers_link_nor_an_api_token_here(
    client: WebClient, session: Session, world: World
) -> None:
    theirs, _ = create_token(session, user=world.users["admin"], name="Admin's", scope="calendar")
    api, _ = create_token(session, user=world.users["member"], name="API", scope="api")
    world.sign_in(client, "member")
    assert client.post(f"/account/calendars/{theirs.id}/revoke").status_code == 404
    assert client.post(f"/account/calendars/{api.id}/revoke").status_code == 404
    session.refresh(theirs)
    session.refresh(api)
    assert theirs.revoked_at is None and api.revoked_at is None


# --- the public feed ---------------------------------------------------------------------------

PUBLIC_PROPERTIES = {
    "UID",
    "DTSTAMP",
    "LAST-MODIFIED",
    "SEQUENCE",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "LOCATION",
    "STATUS",
}


def test_the_public_feed_is_not_found_until_public_pages_are_on(
    client: WebClient, app: FastAPI, session: Session, world: World, county_clock: dt.date
) -> None:
    held = create_meeting(
        session,
        committee=world.committee,
        start_at=local_meeting_start(dt.date(2026, 2, 18)),
        status="held",
    )
    cancelled = create_meeting(
        session,
        committee=world.committee,
        start_at=local_meeting_start(dt.date(2026, 3, 18)),
        status="cancelled",
    )
    feed = f"/public/{world.committee.slug}/calendar.ics"
    session.commit()  # a refused request rolls back what was not committed
    assert client.get(feed).status_code == 404
    world.sign_in(client, "admin")
    assert client.get(feed).status_code == 404  # not even for an admin: it is not public
    assert client.get("/public/no-such-committee/calendar.ics").status_code == 404

    world.committee.public_pages = True
    session.add(world.committee)
    session.flush()
    with WebClient(app) as resident:
        response = resident.get(feed)
    calendar = parse(response)

    assert response.headers["cache-control"] == "public, no-cache"
    events = events_by_uid(calendar)
    domain = get_settings().calendar_domain
    assert set(events) == {f"meeting-{held.id}@{domain}", f"meeting-{cancelled.id}@{domain}"}
    for event in events.values():
        assert set(event) == PUBLIC_PROPERTIES, set(event) ^ PUBLIC_PROPERTIES
        assert not event.subcomponents  # no alarm, nothing else
        assert str(event["LOCATION"]) == "City Hall, Council Chambers"
    assert str(events[f"meeting-{cancelled.id}@{domain}"]["STATUS"]) == "CANCELLED"
    assert str(events[f"meeting-{held.id}@{domain}"]["SUMMARY"]) == "Richfield MAC"
    assert b"/meetings/" not in response.content
    assert str(Calendar.from_ical(response.content)["X-WR-CALNAME"]) == "Richfield MAC"


def test_the_pages_link_to_their_calendars(
    client: WebClient, session: Session, world: World, county_clock: dt.date
) -> None:
    meeting = create_meeting(
        session, committee=world.committee, start_at=local_meeting_start(TODAY)
    )
    world.sign_in(client, "member")

    page = soup(client.get(f"/meetings/{meeting.id}"))
    link = page.find("a", string="Add to my calendar")
    assert link is not None
    assert len(parse(client.get(str(link["href"]))).events) == 1

    committee_page = soup(client.get(f"/committees/{world.committee.id}"))
    subscribe = committee_page.select_one('a[href^="/account/calendars?feed="]')
    assert subscribe is not None
    chosen = soup(client.get(str(subscribe["href"]))).select_one("#feed option[selected]")
    assert chosen is not None and chosen["value"] == f"committee/{world.committee.slug}"

    listing = soup(client.get("/committees"))
    city_link = listing.select_one(f'a[href="/account/calendars?feed=city/{world.city.slug}"]')
    assert city_link is not None
    chosen = soup(client.get(str(city_link["href"]))).select_one("#feed option[selected]")
    assert chosen is not None and chosen["value"] == f"city/{world.city.slug}"
