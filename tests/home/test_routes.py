from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from jcpp.models import City
from jcpp.models.base import utcnow
from tests.factories import create_committee, create_meeting, create_user
from tests.web import WebClient, soup


def test_liaison_home_lists_her_cities_meetings_missing_minutes_and_nothing_else(
    client: WebClient, session: Session
) -> None:
    mine, other = create_committee(session), create_committee(session)
    liaison = create_user(session, role="liaison", cities=[session.get_one(City, mine.city_id)])
    three_days_ago = utcnow() - dt.timedelta(days=3)
    held = create_meeting(session, committee=mine, start_at=three_days_ago, status="held")
    create_meeting(session, committee=other, start_at=three_days_ago, status="held")
    client.sign_in(liaison)

    page = soup(client.get("/"))

    missing = page.select_one("section[aria-labelledby=missing-h] table")
    assert [a["href"] for a in missing.select("a[href^='/meetings/']")] == [f"/meetings/{held.id}"]
    assert page.select_one("#cities-h") is None  # the all-cities overview is for county staff
    figures = [" ".join(li.get_text().split()) for li in page.select(".stat-row li")]
    assert figures == [
        "0 meetings in the next 30 days",
        "1 past meeting without minutes",
        "1 committee you can see",
    ]


def test_county_staff_home_shows_every_city(client: WebClient, session: Session) -> None:
    committees = [create_committee(session), create_committee(session)]
    client.sign_in(create_user(session, role="county_staff"))

    page = soup(client.get("/"))

    rows = page.select("section[aria-labelledby=cities-h] tbody tr")
    names = {row.find("td").get_text() for row in rows}
    assert {session.get_one(City, c.city_id).name for c in committees} <= names
    assert page.select_one("#missing-h") is None  # county staff do not write minutes
