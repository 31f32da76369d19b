"""The recurring-concern pages: who sees what, deciding in place, the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session, col, select

from jcpp.models import AuditEvent, Concern, RecurringConcern
from jcpp.recurring import routes, service
from tests.analysis.helpers import load_topics
from tests.meetings.helpers import World, build_world
from tests.recurring.helpers import (
    SPEEDING,
    SPEEDING_AGAIN,
    SPEEDING_ELSEWHERE,
    concern_ids_of,
    meeting_on,
    raise_concern,
    recurring_of,
)
from tests.web import WebClient, soup


@dataclass
class Pair:
    """A concern of Richfield's committee raised again in Crystal."""

    world: World
    here: Concern
    there: Concern
    recurring: RecurringConcern

    @property
    def url(self) -> str:
        return f"/recurring/{self.recurring.id}"

    def decide(self, concern: Concern, verb: str) -> str:
        return f"{self.url}/concerns/{concern.id}/{verb}"


@pytest.fixture
def world(session: Session) -> World:
    load_topics(session)
    return build_world(session)


def _pair(session: Session, world: World, *, here_text: str = SPEEDING) -> Pair:
    here_meeting = meeting_on(session, world.committee, dt.date(2031, 1, 15))
    here = raise_concern(session, here_meeting, here_text)
    there_meeting = meeting_on(session, world.other_committee, dt.date(2031, 2, 11))
    there = raise_concern(session, there_meeting, SPEEDING_ELSEWHERE)
    service.propose_recurrences(session, meeting_id=there.meeting_id)
    recurring = recurring_of(session, there)
    assert recurring is not None
    return Pair(world, here, there, recurring)


@pytest.fixture
def pair(session: Session, world: World) -> Pair:
    return _pair(session, world)


@pytest.fixture
def local(session: Session, world: World) -> Pair:
    """Raised twice in Richfield only."""
    here_meeting = meeting_on(session, world.committee, dt.date(2031, 1, 8))
    here = raise_concern(session, here_meeting, SPEEDING)
    again_meeting = meeting_on(session, world.committee, dt.date(2031, 2, 18))
    again = raise_concern(session, again_meeting, SPEEDING_AGAIN)
    service.propose_recurrences(session, meeting_id=again.meeting_id)
    recurring = recurring_of(session, again)
    assert recurring is not None
    return Pair(world, here, again, recurring)


# ---------------------------------------------------------------- the page


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("county_staff", 200), ("liaison", 200), ("member", 200),
     ("liaison_other", 404), ("member_other", 404), ("anonymous", 303)],
)  # fmt: skip
def test_the_page_answers_each_role(client: WebClient, local: Pair, role: str, status: int) -> None:
    local.world.sign_in(client, role)
    response = client.get(local.url)
    assert response.status_code == status
    if status == 303:
        assert response.headers["location"].startswith("/login")
    if status == 200:
        assert soup(response).h1.get_text(strip=True) == local.recurring.title


def test_htmx_gets_the_body_alone(client: WebClient, local: Pair) -> None:
    local.world.sign_in(client, "member")
    response = client.htmx_get(local.url)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["vary"]
    page = soup(response)
    assert page.find("html") is None
    assert [el["id"] for el in page.find_all(id=True, recursive=False)] == ["recurring-body"]


def test_another_citys_words_are_not_shown_to_its_outsiders(client: WebClient, pair: Pair) -> None:
    pair.world.sign_in(client, "member_other")  # a member of Crystal's committee
    page = soup(client.get(pair.url))

    here, there = page.select("ol.recurring-timeline > li")
    assert pair.here.text not in here.get_text()
    assert here.find("a") is None
    assert pair.there.text in there.get_text()
    assert there.find("a")["href"] == f"/meetings/{pair.there.meeting_id}/minutes"
    # The title comes from the Richfield concern: this member gets one from Crystal's.
    title = "Drivers speed past Lincoln Elementary on Elm Street at pickup"
    assert page.h1.get_text(strip=True) == title
    assert pair.recurring.title not in page.get_text()


def test_decision_buttons_only_where_the_viewer_may_decide(client: WebClient, pair: Pair) -> None:
    pair.world.sign_in(client, "liaison")  # Richfield's liaison
    page = soup(client.get(pair.url))
    here, there = page.select("ol.recurring-timeline > li")
    assert [f["action"] for f in here.select("form")] == [
        pair.decide(pair.here, "confirm"), pair.decide(pair.here, "split"),
    ]  # fmt: skip
    assert there.select("form") == []

    staff = WebClient(client.app)
    pair.world.sign_in(staff, "county_staff")
    assert soup(staff.get(pair.url)).select("ol.recurring-timeline form") == []


# ---------------------------------------------------------------- deciding


def test_confirming_in_place(client: WebClient, session: Session, pair: Pair) -> None:
    pair.world.sign_in(client, "liaison")
    response = client.post(pair.decide(pair.here, "confirm"), data={"seen": "proposed"}, htmx=True)

    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#recurring-body") is not None
    assert "Confirmed" in page.select_one("#toasts").get_text()
    here = page.select_one(f"#raised-{pair.here.id}")
    assert here.select_one(".badge--held").get_text(strip=True) == "Confirmed"
    assert [f["action"] for f in here.select("form")] == [pair.decide(pair.here, "split")]
    assert concern_ids_of(session, pair.recurring)[pair.here.id or 0] == "confirmed"


def test_splitting_with_a_plain_form_redirects_back_with_a_message(
    client: WebClient, session: Session, pair: Pair
) -> None:
    pair.world.sign_in(client, "liaison_other")  # Crystal's liaison splits Crystal's concern
    response = client.post(pair.decide(pair.there, "split"), data={"seen": "proposed"})

    assert response.status_code == 303
    assert response.headers["location"] == pair.url
    page = soup(client.get(pair.url))
    assert "Split off" in page.select_one(".alert--success").get_text()
    assert concern_ids_of(session, pair.recurring)[pair.there.id or 0] == "split"


def test_a_stale_decision_is_refused_with_the_page_as_it_is(
    client: WebClient, session: Session, pair: Pair
) -> None:
    pair.world.sign_in(client, "liaison")
    client.post(pair.decide(pair.here, "split"), data={"seen": "proposed"}, htmx=True)
    events = len(session.exec(select(AuditEvent.id)).all())

    response = client.post(pair.decide(pair.here, "confirm"), data={"seen": "proposed"}, htmx=True)

    assert response.status_code == 409
    page = soup(response)
    assert "after the page was loaded" in page.select_one(".alert--warn").get_text()
    here = page.select_one(f"#raised-{pair.here.id}")
    assert "Split off" in here.get_text()
    assert concern_ids_of(session, pair.recurring)[pair.here.id or 0] == "split"
    assert len(session.exec(select(AuditEvent.id)).all()) == events


@pytest.mark.parametrize(
    ("role", "status"), [("county_staff", 403), ("member", 403), ("anonymous", 303)]
)
def test_others_cannot_decide(
    client: WebClient, session: Session, pair: Pair, role: str, status: int
) -> None:
    pair.world.sign_in(client, role)
    response = client.post(pair.decide(pair.here, "confirm"), data={"seen": "proposed"})
    assert response.status_code == status
    assert concern_ids_of(session, pair.recurring)[pair.here.id or 0] == "proposed"


def test_a_decision_needs_the_csrf_token(client: WebClient, session: Session, pair: Pair) -> None:
    pair.world.sign_in(client, "liaison")
    response = client.post(pair.decide(pair.here, "confirm"), data={"seen": ""}, csrf=False)
    assert response.status_code == 403
    assert concern_ids_of(session, pair.recurring)[pair.here.id or 0] == "proposed"


# ---------------------------------------------------------------- the list and its CSV


@pytest.mark.parametrize(
    ("role", "listed"),
    [("admin", True), ("county_staff", True), ("liaison", True), ("member", True),
     ("liaison_other", False), ("member_other", False)],
)  # fmt: skip
def test_the_list_shows_what_touches_the_viewer(
    client: WebClient, local: Pair, role: str, listed: bool
) -> None:
    local.world.sign_in(client, role)
    page = soup(client.get("/recurring"))
    assert (page.select_one(f"#recurring-{local.recurring.id}") is not None) is listed


def _interpreters_raised_twice(session: Session, world: World, day: dt.date) -> RecurringConcern:
    """A concern of Richfield's committee raised on `day` and again 41 days later."""
    desk = "A member asked why interpreters are not at the front desk on weekends."
    desk_again = "Interpreters are still not at the front desk on weekends, a member said."
    for when, text in ((day, desk), (day + dt.timedelta(days=41), desk_again)):
        meeting = meeting_on(session, world.committee, when)
        concern = raise_concern(session, meeting, text, topics=("language-access",))
    service.propose_recurrences(session, meeting_id=concern.meeting_id)
    interpreters = recurring_of(session, concern)
    assert interpreters is not None
    return interpreters


def test_the_list_filters_in_place(
    client: WebClient, session: Session, world: World, pair: Pair
) -> None:
    interpreters = _interpreters_raised_twice(session, world, dt.date(2031, 1, 8))
    world.sign_in(client, "county_staff")
    crystal = world.other_city.slug

    response = client.htmx_get(f"/recurring?city={crystal}")

    page = soup(response)
    assert page.find("html") is None
    rows = {tr["id"] for tr in page.select("#recurring-list tbody tr")}
    assert f"recurring-{pair.recurring.id}" in rows
    assert f"recurring-{interpreters.id}" not in rows
    download = page.select_one("#recurring-list a[download]")
    assert download["href"] == f"/recurring?city={crystal}&format=csv"
    everything = {tr["id"] for tr in soup(client.get("/recurring")).select("tbody tr")}
    assert {f"recurring-{pair.recurring.id}", f"recurring-{interpreters.id}"} <= everything


def test_the_list_comes_a_page_at_a_time_and_the_pages_keep_the_filters(
    client: WebClient, session: Session, world: World, pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    interpreters = _interpreters_raised_twice(session, world, dt.date(2031, 3, 8))
    monkeypatch.setattr(routes, "PER_PAGE", 1)
    world.sign_in(client, "county_staff")
    richfield = world.city.slug

    first = soup(client.get(f"/recurring?city={richfield}"))
    second = soup(client.get(f"/recurring?city={richfield}&page=2"))
    past_the_end = soup(client.get(f"/recurring?city={richfield}&page=9"))

    def rows(page: Any) -> list[str]:
        return [tr["id"] for tr in page.select("#recurring-list tbody tr")]

    assert rows(first) == [f"recurring-{interpreters.id}"]  # the most recently raised first
    assert rows(second) == rows(past_the_end) == [f"recurring-{pair.recurring.id}"]
    assert "2 recurring concerns match these filters. These are 1–1." in first.get_text(" ")
    assert first.select_one(".pager a[rel=next]")["href"] == f"/recurring?city={richfield}&page=2"
    assert second.select_one(".pager a[rel=prev]")["href"] == f"/recurring?city={richfield}&page=1"
    assert second.select_one(".pager a[rel=next]") is None
    download = client.get(f"/recurring?city={richfield}&format=csv")
    table = list(csv.reader(io.StringIO(download.text)))
    assert len(table) == 3  # the heading and both, whatever the page


def test_the_csv_is_the_filtered_list_with_formulas_neutralised(
    client: WebClient, session: Session, world: World
) -> None:
    formula = "=HYPERLINK(1) speeding past Lincoln Elementary on Elm Street at pickup"
    risky = _pair(session, world, here_text=formula)
    world.sign_in(client, "liaison")
    response = client.get(f"/recurring?format=csv&city={world.other_city.slug}")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Title", "Times raised"]
    (mine,) = [row for row in rows[1:] if row[0] == str(risky.recurring.id)]
    assert mine[1].startswith("'=HYPERLINK(1)")
    assert mine[2] == "2"
    assert mine[3] == "; ".join(sorted([world.city.name, world.other_city.name]))
    assert mine[-1] == f"http://testserver/recurring/{risky.recurring.id}"


def test_the_recurring_concern_audit_events_name_the_city(
    client: WebClient, session: Session, pair: Pair
) -> None:
    pair.world.sign_in(client, "admin")
    client.post(pair.decide(pair.there, "confirm"), data={"seen": "proposed"})
    event = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    assert event is not None
    assert (event.action, event.city_id) == ("confirm_recurrence", pair.world.other_city.id)
