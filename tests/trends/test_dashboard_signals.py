"""The signals panel of the dashboard: each signal's words and a link to its evidence, and only
the signals of the viewer's cities."""

from __future__ import annotations

import datetime as dt

from bs4 import Tag
from sqlmodel import Session

from jcpp.trends import persisting as persisting_rule
from jcpp.trends.service import add_months
from tests.analysis.helpers import load_topics
from tests.meetings.helpers import World, build_world
from tests.trends.dashboard_data import analysed, fixed_clock
from tests.web import WebClient, soup

__all__ = ["fixed_clock"]

# A meeting on the 3rd of each month up to this one (the clock is at Mar 10, 2043), as many as
# "persisting" asks for.
DAYS = [add_months(dt.date(2043, 3, 3), -n) for n in reversed(range(persisting_rule.MIN_MEETINGS))]


def persisting(session: Session) -> World:
    """Traffic safety at each of Richfield's last meetings; youth at Crystal's."""
    load_topics(session)
    world = build_world(session)
    for day in DAYS:
        text = f"On {day:%B} {day.day} residents again reported speeding on Elm Street."
        analysed(session, world.committee.id or 0, day, text, {"traffic-safety": ["speeding"]})
        text = f"On {day:%B} {day.day} the youth council asked about curfews."
        analysed(session, world.other_committee.id or 0, day, text, {"youth": ["youth council"]})
    return world


def raised_again(session: Session, world: World) -> None:
    """Minutes of one more Richfield meeting this month raising traffic safety."""
    analysed(
        session,
        world.committee.id or 0,
        dt.date(2043, 3, 9),
        "Residents again reported speeding on Elm Street.",
        {"traffic-safety": ["speeding"]},
    )


def signal_items(client: WebClient) -> list[Tag]:
    page = soup(client.get("/trends"))
    assert page.select_one("#signals-h") is not None
    return page.select(".signal-list > li")


def test_a_signal_says_its_numbers_in_words_and_links_to_its_evidence(
    client: WebClient, session: Session, fixed_clock: dt.date
) -> None:
    world = persisting(session)
    world.sign_in(client, "county_staff")
    items = signal_items(client)
    titles = [item.select_one(".signal__title").get_text() for item in items]
    traffic = next(i for i, t in zip(items, titles, strict=True) if "Traffic safety" in t)
    assert "signal--persisting" in traffic["class"]
    words = traffic.select_one(".signal__words").get_text()
    assert f"Raised at each of the last {len(DAYS)} meetings" in words
    link = traffic.select_one("a")
    assert link is not None and link.get_text(strip=True).startswith("See the evidence")
    evidence = soup(client.get(str(link["href"])))
    cities = {li["data-city"] for li in evidence.select(".evidence-list > li")}
    assert cities == {world.city.slug}
    assert len(evidence.select(".evidence-list > li")) == len(DAYS)
    assert any("Youth" in title for title in titles)
    # Choosing a city narrows the signals to it.
    part = soup(client.htmx_get(f"/trends?city={world.other_city.slug}"))
    titles = [li.select_one(".signal__title").get_text() for li in part.select(".signal-list > li")]
    assert titles and all("Youth" in title for title in titles)


def test_a_liaison_sees_only_the_signals_of_her_cities(
    client: WebClient, session: Session, fixed_clock: dt.date
) -> None:
    world = persisting(session)
    world.sign_in(client, "liaison")
    titles = [item.select_one(".signal__title").get_text() for item in signal_items(client)]
    assert any("Traffic safety" in title for title in titles)
    assert not any("Youth" in title or world.other_city.name in title for title in titles)
    part = soup(client.htmx_get("/trends?topic=youth"))  # her cities, this topic: nothing
    assert part.select(".signal-list > li") == []
    assert part.select_one(".trend-signals .empty") is not None
