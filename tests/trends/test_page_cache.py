"""Trend results drawn once per data version (`jcpp.trends.page_cache`): the next view gives back
what was drawn, a change to the data or a name shows at once, and one viewer's results never
reach a viewer who may see other cities."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import Tag
from sqlmodel import Session

from jcpp.trends import routes
from tests.trends.dashboard_data import fixed_clock
from tests.trends.test_dashboard_signals import DAYS, persisting, raised_again
from tests.web import WebClient, soup

__all__ = ["fixed_clock"]


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The template of each results block drawn from here on (by the real drawing)."""
    drawn: list[str] = []
    real = routes.render_block_text

    def counted(request: object, template: str, block: str, context: dict[str, object]) -> str:
        drawn.append(template)
        return real(request, template, block, context)  # type: ignore[arg-type]

    monkeypatch.setattr(routes, "render_block_text", counted)
    return drawn


def results(client: WebClient, url: str) -> Tag:
    found = soup(client.get(url)).select_one("#trend-results")
    assert found is not None
    return found


def titles(block: Tag) -> list[str]:
    return [title.get_text() for title in block.select(".signal__title")]


def test_the_results_are_drawn_once_until_the_data_changes(
    client: WebClient, session: Session, fixed_clock: dt.date, draws: list[str]
) -> None:
    world = persisting(session)
    world.sign_in(client, "county_staff")
    first = results(client, "/trends")
    assert draws == ["trends/dashboard.html"]
    assert str(results(client, "/trends")) == str(first)
    part = soup(client.htmx_get("/trends")).select_one("#trend-results")
    assert str(part) == str(first), "htmx gets the same block"
    assert draws == ["trends/dashboard.html"], "the later views give back what was drawn"

    # Other filters, another view: each drawn for itself.
    results(client, f"/trends?city={world.city.slug}")
    results(client, "/trends/matrix")
    results(client, "/trends/topics/traffic-safety")
    assert len(draws) == 4

    # One more meeting raising it: the next view counts it.
    march = first.select_one("tr[data-row='traffic-safety'] td[data-column='2043-03']")
    assert march is not None and march.get_text() == "1"
    raised_again(session, world)
    again = results(client, "/trends")
    march = again.select_one("tr[data-row='traffic-safety'] td[data-column='2043-03']")
    assert march is not None and march.get_text() == "2"
    assert f"{len(DAYS) + 1} meetings in a row" in again.get_text()

    # A renamed city: no count changed, and the next view has the new name.
    renamed = f"{world.city.name} Falls"
    world.city.name = renamed
    session.add(world.city)
    session.commit()
    assert renamed in results(client, f"/trends?city={world.city.slug}").get_text()


def test_a_liaison_never_gets_the_results_drawn_for_county_staff(
    client: WebClient, session: Session, fixed_clock: dt.date, draws: list[str]
) -> None:
    world = persisting(session)
    world.sign_in(client, "county_staff")
    county = titles(results(client, "/trends"))
    assert any(title.startswith("Youth raised") for title in county)
    world.sign_in(client, "liaison")
    hers = titles(results(client, "/trends"))
    assert len(draws) == 2, "drawn again for her cities"
    assert hers and not any(title.startswith("Youth") for title in hers)
