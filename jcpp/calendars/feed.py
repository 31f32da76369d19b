"""Meetings as iCalendar (RFC 5545, RFC 7986): one meeting's file and the subscribable feeds.

Every event, whichever file or feed it comes in:

- UID `meeting-<id>@<JCPP_CALENDAR_DOMAIN>`: the same for the meeting's whole life (new time,
  place or status) and in every feed, so a calendar that has a committee's feed and its city's
  shows the meeting once, and a cancelled meeting replaces the event it was.
- SEQUENCE `version - 1` (0 for a new meeting, as RFC 5545 wants): every change of the meeting
  raises it.
- DTSTAMP and LAST-MODIFIED: when the meeting last changed. DTSTAMP is not the time of the
  request, so a feed's bytes change only when its meetings do (the ETag rests on that).
- DTSTART/DTEND in the county's time zone (TZID, with its VTIMEZONE in the calendar): a 6:30 pm
  meeting stays at 6:30 pm on either side of a daylight saving change. Without an end time the
  committee's usual meeting length is used.
- A cancelled meeting stays, with STATUS:CANCELLED and "Cancelled:" before its summary (not
  every calendar app shows the status); the others are STATUS:CONFIRMED.

The public feed (`public=True`) tells what residents may know and nothing else: date, time,
place, committee name and status; no link, no description, no city page of the app.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import STATUS, Calendar, Event, Timezone, vDuration

from jcpp.models import City, Committee, Meeting

PRODID = "-//JCPP//Meeting calendars//EN"
# How often subscribed calendars should look for changes (REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH = dt.timedelta(hours=1)
STATUS_WORDS = {"scheduled": "Scheduled", "held": "Held", "cancelled": "Cancelled"}
# Control characters are not allowed in iCalendar text (RFC 5545 3.3.11): user text loses them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Entry:
    """One meeting with what its event shows."""

    meeting: Meeting
    committee: Committee
    city: City


def one_line(value: str) -> str:
    """User text for a one-line property: no control characters, whitespace runs as one space."""
    return " ".join(_CONTROL.sub(" ", value.replace("\r", " ").replace("\n", " ")).split())


def many_lines(value: str) -> str:
    """User text for DESCRIPTION: line breaks kept (icalendar writes them as \\n)."""
    lines = _CONTROL.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines)


def event_uid(meeting_id: int, domain: str) -> str:
    return f"meeting-{meeting_id}@{domain}"


def _end(meeting: Meeting, committee: Committee) -> dt.datetime:
    if meeting.end_at is not None and meeting.end_at > meeting.start_at:
        return meeting.end_at
    return meeting.start_at + dt.timedelta(minutes=max(committee.meeting_minutes, 1))


def _event(entry: Entry, *, zone: ZoneInfo, domain: str, base_url: str, public: bool) -> Event:
    meeting, committee, city = entry.meeting, entry.committee, entry.city
    assert meeting.id is not None
    cancelled = meeting.status == "cancelled"
    name = one_line(committee.name)
    summary = f"Cancelled: {name}" if cancelled else name
    changed = meeting.updated_at.astimezone(dt.UTC)
    event = Event.new(
        uid=event_uid(meeting.id, domain),
        stamp=changed,
        last_modified=changed,
        sequence=max(meeting.version - 1, 0),
        start=meeting.start_at.astimezone(zone),
        end=_end(meeting, committee).astimezone(zone),
        summary=summary,
        location=one_line(meeting.place) if meeting.place else None,
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
    )
    if not public:
        url = f"{base_url.rstrip('/')}/meetings/{meeting.id}"
        event.url = url
        status = STATUS_WORDS.get(meeting.status, meeting.status)
        event.description = many_lines(
            f"{committee.name} ({city.name}): {status.lower()} meeting.\n"
            f"Agenda, attendance and minutes: {url}"
        )
    return event


def build_calendar(
    entries: Sequence[Entry],
    *,
    name: str,
    calendar_uid: str,
    zone: ZoneInfo,
    domain: str,
    base_url: str,
    today: dt.date,
    public: bool = False,
) -> bytes:
    """The iCalendar file of `entries` (METHOD:PUBLISH), with the county zone's VTIMEZONE."""
    calendar = Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        calscale="GREGORIAN",
        name=one_line(name),
        uid=calendar_uid,
    )
    # RFC 7986 wants VALUE=DURATION on REFRESH-INTERVAL; Outlook reads X-PUBLISHED-TTL.
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    calendar.add("X-WR-TIMEZONE", zone.key)
    for entry in entries:
        calendar.add_component(
            _event(entry, zone=zone, domain=domain, base_url=base_url, public=public)
        )
    calendar.subcomponents.insert(0, _timezone(entries, zone, today))
    body: bytes = calendar.to_ical()
    return body


def _timezone(entries: Sequence[Entry], zone: ZoneInfo, today: dt.date) -> Timezone:
    """The zone's VTIMEZONE from a year before the first meeting (or today) to two years after
    the last: whole years, so the feed changes no more often than its meetings do."""
    years = [e.meeting.start_at.astimezone(zone).year for e in entries] + [today.year]
    return Timezone.from_tzid(
        zone.key,
        first_date=dt.date(min(years) - 1, 1, 1),
        last_date=dt.date(max(years) + 2, 1, 1),
    )
