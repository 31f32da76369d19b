"""The served calendars, parsed back with icalendar: events, UIDs across edits, SEQUENCE,
cancellations, times across a daylight saving change, the time zone, the window, escaping,
ETag, and who gets which feed (signed in)."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI
from icalendar import Calendar
from sqlmodel import Session

from jcpp.config import get_settings
from jcpp.models import Meeting
from tests.calendars.helpers import (
    CHICAGO,
    TODAY,
    events_by_uid,
    local_meeting_start,
    parse,
)
from tests.factories import create_committee, create_meeting
from tests.meetings.helpers import World
from tests.web import WebClient

DOMAIN = get_settings().calendar_domain


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.id}@{DOMAIN}"


def test_a_meeting_file_holds_the_meeting_in_county_time(
    client: WebClient, session: Session, world: World
) -> None:
    start = local_meeting_start(dt.date(2026, 3, 18))
    meeting = create_meeting(
        session, committee=world.committee, start_at=start, place="Richfield City Hall"
    )
    world.sign_in(client, "member")

    calendar = parse(client.get(f"/meetings/{meeting.id}/calendar.ics"))

    assert str(calendar["METHOD"]) == "PUBLISH"
    assert [tz.tz_name for tz in calendar.timezones] == ["America/Chicago"]
    (event,) = calendar.events
    assert str(event["UID"]) == uid(meeting)
    assert event.start == dt.datetime(2026, 3, 18, 18, 30, tzinfo=CHICAGO)
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert event.end == dt.datetime(2026, 3, 18, 20, 0, tzinfo=CHICAGO)
    assert event.sequence == 0
    assert event.stamp == meeting.updated_at.replace(microsecond=0) == event.last_modified
    assert str(event["SUMMARY"]) == "Richfield MAC"
    assert str(event["LOCATION"]) == "Richfield City Hall"
    assert str(event["STATUS"]) == "CONFIRMED"
    page = f"{get_settings().base_url}/meetings/{meeting.id}"
    assert str(event["URL"]) == page
    assert page in str(event["DESCRIPTION"])
    disposition = client.get(f"/meetings/{meeting.id}/calendar.ics").headers["content-disposition"]
    assert disposition == f'attachment; filename="meeting-{meeting.id}.ics"'


def test_a_meeting_without_an_end_lasts_the_committees_usual_length(
    client: WebClient, session: Session, world: World
) -> None:
    world.committee.meeting_minutes = 120
    start = local_meeting_start(dt.date(2026, 4, 15))
    meeting = create_meeting(session, committee=world.committee, start_at=start, end_at=None)
    world.sign_in(client, "liaison")

    (event,) = parse(client.get(f"/meetings/{meeting.id}/calendar.ics")).events

    assert event.end - event.start == dt.timedelta(hours=2)


def test_uid_stays_sequence_grows_and_a_cancelled_meeting_stays_as_cancelled(
    client: WebClient, session: Session, world: World, county_clock: dt.date
) -> None:
    start = local_meeting_start(dt.date(2026, 3, 18))
    meeting = create_meeting(session, committee=world.committee, start_at=start)
    other = create_meeting(
        session, committee=world.committee, start_at=local_meeting_start(dt.date(2026, 4, 15))
    )
    feed = f"/committees/{world.committee.slug}/calendar.ics"
    world.sign_in(client, "liaison")
    before = events_by_uid(parse(client.get(feed)))
    assert before[uid(meeting)].sequence == 0

    moved = client.post(
        f"/meetings/{meeting.id}",
        data={
            "date": "2026-03-19",
            "start": "19:00",
            "end": "20:30",
            "place": "Library",
            "version": "1",
        },
    )
    assert moved.status_code == 303, moved.text[:300]
    after_move = events_by_uid(parse(client.get(feed)))
    event = after_move[uid(meeting)]
    assert event.start == dt.datetime(2026, 3, 19, 19, 0, tzinfo=CHICAGO)
    assert str(event["LOCATION"]) == "Library"
    assert event.sequence == 1
    assert event.stamp >= before[uid(meeting)].stamp

    cancelled = client.post(
        f"/meetings/{meeting.id}/status", data={"status": "cancelled", "version": "2"}
    )
    assert cancelled.status_code == 303, cancelled.text[:300]
    after_cancel = events_by_uid(parse(client.get(feed)))

    assert set(after_cancel) == {uid(meeting), uid(other)}  # the same UIDs, none added
    event = after_cancel[uid(meeting)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Cancelled: Richfield MAC"
    assert event.sequence == 2
    assert after_cancel[uid(other)].sequence == 0
    assert str(after_cancel[uid(other)]["STATUS"]) == "CONFIRMED"


def test_times_stay_at_local_wall_clock_across_the_spring_change(
    client: WebClient, session: Session, world: World, county_clock: dt.date
) -> None:
    """Daylight saving time began on March 8, 2026: 6:30 pm is 00:30 UTC before, 23:30 after."""
    before = create_meeting(
        session, committee=world.committee, start_at=dt.datetime(2026, 3, 5, 0, 30, tzinfo=dt.UTC)
    )
    after = create_meeting(
        session,
        committee=world.committee,
        start_at=dt.datetime(2026, 3, 18, 23, 30, tzinfo=dt.UTC),
    )
    world.sign_in(client, "county_staff")

    calendar = parse(client.get(f"/committees/{world.committee.slug}/calendar.ics"))
    events = events_by_uid(calendar)

    for meeting, day in ((before, 4), (after, 18)):
        event = events[uid(meeting)]
        assert event.start.replace(tzinfo=None) == dt.datetime(2026, 3, day, 18, 30)
        assert event["DTSTART"].params["TZID"] == "America/Chicago"
        assert event.start.astimezone(dt.UTC) == meeting.start_at
    # The calendar's own VTIMEZONE (what a calendar app without the tz database goes by) gives
    # the same offsets on either side of the change.
    (timezone,) = calendar.timezones
    zone = timezone.to_tz()
    assert dt.datetime(2026, 3, 4, 18, 30, tzinfo=zone).utcoffset() == dt.timedelta(hours=-6)
    assert dt.datetime(2026, 3, 18, 18, 30, tzinfo=zone).utcoffset() == dt.timedelta(hours=-5)
    assert {"STANDARD", "DAYLIGHT"} <= {c.name for c in timezone.subcomponents}


def test_feeds_keep_two_years_of_past_meetings_and_every_later_one(
    client: WebClient, session: Session, world: World, county_clock: dt.date
) -> None:
    too_old = create_meeting(
        session,
        committee=world.committee,
        start_at=local_meeting_start(dt.date(2024, 3, 1)),
    )
    oldest_kept = create_meeting(
        session,
        committee=world.committee,
        start_at=local_meeting_start(dt.date(2024, 3, 2), hour=0, minute=5),
    )
    far_ahead = create_meeting(
        session,
        committee=world.committee,
        start_at=local_meeting_start(dt.date(2027, 12, 15)),
    )
    world.sign_in(client, "member")

    events = events_by_uid(parse(client.get(f"/committees/{world.committee.slug}/calendar.ics")))

    assert dt.date(2026, 3, 2) == TODAY
    assert uid(too_old) not in events
    assert uid(oldest_kept) in events
    assert uid(far_ahead) in events


def test_a_city_feed_holds_the_city_committees_the_viewer_sees(
    client: WebClient, app: FastAPI, session: Session, world: World, county_clock: dt.date
) -> None:
    second = create_committee(session, city=world.city, name="Richfield Police Advisory")
    own = create_meeting(session, committee=world.committee, start_at=local_meeting_start(TODAY))
    others = create_meeting(session, committee=second, start_at=local_meeting_start(TODAY))
    elsewhere = create_meeting(
        session, committee=world.other_committee, start_at=local_meeting_start(TODAY)
    )
    feed = f"/cities/{world.city.slug}/calendar.ics"

    liaison = parse(world.sign_in(client, "liaison").get(feed))
    assert set(events_by_uid(liaison)) == {uid(own), uid(others)}
    assert str(liaison["X-WR-CALNAME"]) == f"{world.city.name}: committee meetings"
    assert str(liaison["REFRESH-INTERVAL"].to_ical().decode()) == "PT1H"
    assert liaison["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(liaison["X-PUBLISHED-TTL"]) == "PT1H"
    with WebClient(app) as other_browser:
        member = parse(world.sign_in(other_browser, "member").get(feed))
    assert set(events_by_uid(member)) == {uid(own)}  # not the city's other committee
    assert uid(elsewhere) not in events_by_uid(member)


def test_another_citys_feeds_are_not_found(client: WebClient, world: World) -> None:
    world.sign_in(client, "liaison")
    other = world.other_committee
    assert client.get(f"/committees/{other.slug}/calendar.ics").status_code == 404
    assert client.get(f"/cities/{world.other_city.slug}/calendar.ics").status_code == 404
    assert client.get("/committees/no-such-committee/calendar.ics").status_code == 404
    assert client.get("/cities/no-such-city/calendar.ics").status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client: WebClient, world: World) -> None:
    response = client.get(f"/committees/{world.committee.slug}/calendar.ics")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_user_text_is_escaped_and_cannot_add_lines(
    client: WebClient, session: Session, world: World, county_clock: dt.date
) -> None:
    world.committee.name = "Richfield MAC, Youth; Elders\r\nBEGIN:VEVENT"
    place = "Room 1, Hall; B\\C\r\nEND:VEVENT\nBEGIN:VEVENT\x07"
    meeting = create_meeting(
        session, committee=world.committee, start_at=local_meeting_start(TODAY), place=place
    )
    world.sign_in(client, "admin")

    response = client.get(f"/committees/{world.committee.slug}/calendar.ics")
    calendar = parse(response)

    lines = response.content.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 1  # the user's text made no line of its own
    assert lines.count(b"END:VEVENT") == 1
    (event,) = calendar.events
    assert str(event["UID"]) == uid(meeting)
    assert str(event["LOCATION"]) == "Room 1, Hall; B\\C END:VEVENT BEGIN:VEVENT"
    assert str(event["SUMMARY"]) == "Richfield MAC, Youth; Elders BEGIN:VEVENT"
    assert str(calendar["X-WR-CALNAME"]) == "Richfield MAC, Youth; Elders BEGIN:VEVENT"


def test_an_unchanged_feed_answers_304_and_a_change_gives_a_new_etag(
    client: WebClient, session: Session, world: World, county_clock: dt.date
) -> None:
    meeting = create_meeting(
        session, committee=world.committee, start_at=local_meeting_start(TODAY)
    )
    feed = f"/committees/{world.committee.slug}/calendar.ics"
    world.sign_in(client, "liaison")
    first = client.get(feed)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    assert "last-modified" not in first.headers

    again = client.get(feed, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert client.get(feed, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304

    client.post(f"/meetings/{meeting.id}/status", data={"status": "cancelled", "version": "1"})
    changed = client.get(feed, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert str(Calendar.from_ical(changed.content).events[0]["STATUS"]) == "CANCELLED"


def test_the_same_feed_twice_is_the_same_bytes(
    client: WebClient, session: Session, world: World, county_clock: dt.date
) -> None:
    """Nothing in a feed depends on the moment it is asked for (DTSTAMP, UIDs, the zone)."""
    create_meeting(session, committee=world.committee, start_at=local_meeting_start(TODAY))
    world.sign_in(client, "member")
    feed = f"/committees/{world.committee.slug}/calendar.ics"
    assert client.get(feed).content == client.get(feed).content


def test_an_empty_feed_still_names_the_county_time_zone(
    client: WebClient, world: World, county_clock: dt.date
) -> None:
    world.sign_in(client, "liaison")
    calendar = parse(client.get(f"/committees/{world.committee.slug}/calendar.ics"))
    assert calendar.events == []
    assert [tz.tz_name for tz in calendar.timezones] == ["America/Chicago"]
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Chicago"
