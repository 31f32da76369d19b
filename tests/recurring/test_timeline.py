"""One concern across two cities and three months, with its follow-ups: the timeline and the
flags are checked against what happened, by hand.

Richfield MAC, Jan 15: speeding past Lincoln Elementary (A). Follow-up "speed study" (F1) from
  that meeting: acknowledged Jan 20, in progress Feb 1.
Richfield MAC, Feb 19: raised again (B) while F1 is in progress → "while a follow-up was open".
  Follow-up "crossing guard" (F2) from that meeting: declined Feb 28 (closed, not done).
  F1: reported done Feb 25, verified done by the liaison Mar 5.
Crystal MAC, Mar 12: raised again (C) after F1 was verified done, F2 declined → "after it was
  marked done" only.
Richfield MAC, Mar 18: a concern proposed with it (D) that the liaison split off: no flags, not
  counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from jcpp.auth.permissions import load_viewer
from jcpp.models import Concern, FollowUp, RecurringConcern
from jcpp.recurring import service
from jcpp.recurring.flags import DONE, OPEN
from jcpp.recurring.view import RecurringFilters, list_recurring, recurring_page
from tests.analysis.helpers import load_topics
from tests.meetings.helpers import World, build_world
from tests.recurring.helpers import follow_up_for, meeting_on, raise_concern, recurring_of
from tests.web import WebClient, soup

CHICAGO = ZoneInfo("America/Chicago")
A = "Residents said drivers are speeding past Lincoln Elementary on Elm Street at pickup."
B = "Parents again raised speeding past Lincoln Elementary on Elm Street at pickup time."
C = "Ms. Farah said drivers speed past Lincoln Elementary on Elm Street at pickup too."
D = "Speeding past Lincoln Elementary on Elm Street at pickup: Ms. Noor wants a speed hump."


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2031, month, day, hour, tzinfo=CHICAGO).astimezone(dt.UTC)


@dataclass
class Story:
    world: World
    a: Concern
    b: Concern
    c: Concern
    d: Concern
    f1: FollowUp
    f2: FollowUp
    recurring: RecurringConcern


@pytest.fixture
def story(session: Session) -> Story:
    load_topics(session)
    world = build_world(session)
    richfield, crystal = world.committee, world.other_committee
    a = raise_concern(session, meeting_on(session, richfield, dt.date(2031, 1, 15)), A)
    b = raise_concern(session, meeting_on(session, richfield, dt.date(2031, 2, 19)), B)
    c = raise_concern(session, meeting_on(session, crystal, dt.date(2031, 3, 12)), C)
    d = raise_concern(session, meeting_on(session, richfield, dt.date(2031, 3, 18)), D)
    for concern in (b, c, d):  # as each meeting's minutes were analysed
        service.propose_recurrences(session, meeting_id=concern.meeting_id)
    f1 = follow_up_for(
        session, a, title="Speed study on Elm Street",
        history=[(at(1, 20), "acknowledged"), (at(2, 1), "in_progress"),
                 (at(2, 25), "reported_done"), (at(3, 5), "verified_done")],
    )  # fmt: skip
    f2 = follow_up_for(session, b, title="Crossing guard", history=[(at(2, 28), "declined")])
    recurring = recurring_of(session, a)
    assert recurring is not None
    liaison = load_viewer(session, world.users["liaison"])
    service.split_member(session, recurring.id or 0, d.id or 0, by=liaison)
    return Story(world, a, b, c, d, f1, f2, recurring)


def test_the_timeline_and_flags_as_they_happened(session: Session, story: Story) -> None:
    view = recurring_page(
        session, story.recurring.id or 0, viewer=load_viewer(session, story.world.users["admin"])
    )

    timeline = [
        (r.concern.id, r.day, r.city.id, r.member.state, r.counts, r.flags) for r in view.raised
    ]
    city, other = story.world.city.id, story.world.other_city.id
    assert timeline == [
        (story.a.id, dt.date(2031, 1, 15), city, "proposed", True, frozenset()),
        (story.b.id, dt.date(2031, 2, 19), city, "proposed", True, {OPEN}),
        (story.c.id, dt.date(2031, 3, 12), other, "proposed", True, {DONE}),
        (story.d.id, dt.date(2031, 3, 18), city, "split", False, frozenset()),
    ]
    assert view.flags == {OPEN, DONE}
    assert view.times == 3
    assert {c.id for c in view.cities} == {city, other}
    assert (view.first_day, view.last_day) == (dt.date(2031, 1, 15), dt.date(2031, 3, 12))
    assert [(f.follow_up.id, f.status_label) for f in view.follow_ups] == [
        (story.f1.id, "Verified done"),
        (story.f2.id, "Declined"),
    ]
    assert view.open_follow_ups == 0
    assert view.title == "Drivers are speeding past Lincoln Elementary on Elm Street at pickup"


def test_a_follow_up_reopened_before_the_third_meeting_makes_it_both(
    session: Session, story: Story
) -> None:
    from jcpp.models import FollowUpEvent

    session.add(
        FollowUpEvent(
            follow_up_id=story.f1.id or 0, kind="status", from_status="verified_done",
            to_status="open", at=at(3, 10), comment="Still speeding",
        )
    )  # fmt: skip
    session.flush()
    view = recurring_page(
        session, story.recurring.id or 0, viewer=load_viewer(session, story.world.users["admin"])
    )
    assert [r.flags for r in view.raised if r.concern.id == story.c.id] == [{OPEN, DONE}]


def test_the_list_filters_by_city_topic_and_flag(session: Session, story: Story) -> None:
    staff = load_viewer(session, story.world.users["county_staff"])
    mine = story.recurring.id

    def listed(**filters: str) -> bool:
        views, _ = list_recurring(session, viewer=staff, filters=RecurringFilters(**filters))
        return mine in {v.recurring.id for v in views}

    assert listed()
    assert listed(city=story.world.other_city.slug)
    assert listed(topic="traffic-safety") and not listed(topic="language-access")
    assert listed(flag=OPEN) and listed(flag=DONE)
    assert not listed(city="no-such-city")


def test_the_page_shows_the_timeline_in_order_with_its_flags(
    client: WebClient, story: Story
) -> None:
    client.sign_in(story.world.users["liaison"])
    page = soup(client.get(f"/recurring/{story.recurring.id}"))

    items = page.select("ol.recurring-timeline > li")
    headings = [li.h3.get_text(" ", strip=True) for li in items]
    assert [h.split(" · ")[0] for h in headings] == [
        "Jan 15, 2031", "Feb 19, 2031", "Mar 12, 2031", "Mar 18, 2031",
    ]  # fmt: skip
    assert story.world.other_city.name in headings[2]
    flags = [[b.get_text(strip=True) for b in li.select(".recurring-flag")] for li in items]
    assert flags == [
        [],
        ["Raised again while a follow-up was open"],
        ["Raised again after a follow-up was marked done"],
        [],
    ]
    assert {f.get_text(strip=True) for f in page.select("#flags-h ~ ul .recurring-flag")} == {
        "Raised again while a follow-up was open",
        "Raised again after a follow-up was marked done",
    }
    cells = page.select("#follow-ups-h ~ div tbody td:nth-of-type(3)")
    statuses = [td.get_text(strip=True) for td in cells]
    assert statuses == ["Verified done", "Declined"]
