from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from jcpp.audit import service as audit
from jcpp.models.base import utcnow
from tests.factories import create_city, create_user
from tests.web import WebClient, soup

UTC = dt.UTC


def test_audit_log_filters_by_city_as_page_and_fragment(
    client: WebClient, session: Session
) -> None:
    here, there = create_city(session), create_city(session)
    actor = create_user(session, role="admin", name="Ada Admin")
    audit.record(
        session,
        user_id=actor.id,
        action="update_meeting",
        entity_type="meeting",
        entity_id=1,
        city_id=here.id,
        summary="Moved to the library",
        before={"place": "City Hall"},
        after={"place": "Library"},
    )
    audit.record(
        session,
        user_id=actor.id,
        action="update_meeting",
        entity_type="meeting",
        entity_id=2,
        city_id=there.id,
        summary="Elsewhere",
    )
    session.flush()
    client.sign_in(create_user(session, role="county_staff"))

    page = client.get(f"/audit?city={here.id}")
    fragment = client.htmx_get(f"/audit?city={here.id}")

    assert page.status_code == fragment.status_code == 200
    assert soup(page).select_one("html") is not None
    assert soup(fragment).select_one("html") is None
    for response in (page, fragment):
        rows = soup(response).select("#audit-results tbody tr")
        assert len(rows) == 1
        assert "Moved to the library" in rows[0].get_text()
        assert "Library" in rows[0].select_one("details").get_text()
    assert "HX-Request" in page.headers["vary"]


def test_audit_log_pages_when_long(client: WebClient, session: Session) -> None:
    city = create_city(session)
    for n in range(55):
        audit.record(
            session,
            user_id=None,
            action="test_event",
            entity_type="meeting",
            entity_id=n,
            city_id=city.id,
            summary=f"event {n}",
        )
    session.flush()
    client.sign_in(create_user(session, role="admin"))

    first = soup(client.get(f"/audit?city={city.id}"))
    second = soup(client.htmx_get(f"/audit?city={city.id}&page=2"))

    assert len(first.select("#audit-results tbody tr")) == 50
    assert len(second.select("#audit-results tbody tr")) == 5
    assert first.select_one("a[rel=next]")["href"] == f"/audit?city={city.id}&page=2"


def _event(session: Session, *, action: str, city_id: int | None, at: dt.datetime) -> int:
    event = audit.record(
        session,
        user_id=None,
        action=action,
        entity_type="meeting",
        entity_id=None,
        city_id=city_id,
        summary=f"{action} at {at.isoformat()}",
    )
    event.at = at
    session.flush()
    assert event.id is not None
    return event.id


def _shown(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        row.select("td")[3].get_text() for row in soup(response).select("#audit-results tbody tr")
    ]


def test_filter_form_sent_as_a_browser_sends_it_lists_everything(
    client: WebClient, session: Session
) -> None:
    city = create_city(session)
    _event(
        session, action="create_meeting", city_id=city.id, at=dt.datetime(2026, 3, 2, tzinfo=UTC)
    )
    client.sign_in(create_user(session, role="county_staff"))
    empty_form = {"action": "", "user": "", "city": "", "since": "", "until": ""}

    page = client.get("/audit", params=empty_form)
    fragment = client.htmx_get("/audit", params=empty_form)

    assert page.status_code == fragment.status_code == 200
    assert soup(page).select_one("h1").get_text() == "Audit log"
    assert soup(fragment).select_one("h1") is None
    for response in (page, fragment):
        assert "create_meeting at 2026-03-02T00:00:00+00:00" in _shown(response)


def test_filters_that_cannot_be_meant_are_ignored(client: WebClient, session: Session) -> None:
    city = create_city(session)
    _event(
        session, action="create_meeting", city_id=city.id, at=dt.datetime(2026, 3, 2, tzinfo=UTC)
    )
    client.sign_in(create_user(session, role="admin"))
    nonsense = {
        "city": str(city.id),
        "user": "somebody",
        "since": "last week",
        "until": "2026-02-30",
        "action": "DROP TABLE",
        "page": "two",
    }

    for response in (
        client.get("/audit", params=nonsense),
        client.htmx_get("/audit", params=nonsense),
    ):
        assert response.status_code == 200
        assert _shown(response) == ["create_meeting at 2026-03-02T00:00:00+00:00"]
    page = soup(client.get("/audit", params=nonsense))
    assert page.select_one("#f-city option[selected]")["value"] == str(city.id)
    assert page.select_one("#f-since")["value"] == ""


def test_date_filters_are_county_calendar_days(client: WebClient, session: Session) -> None:
    city = create_city(session)
    # 10:30 pm on March 10 in Chicago is already March 11 in UTC.
    late_evening = dt.datetime(2026, 3, 11, 3, 30, tzinfo=UTC)
    _event(session, action="update_meeting", city_id=city.id, at=late_evening)
    # 8 pm on March 11 in Chicago (March 12 in UTC).
    _event(
        session,
        action="update_meeting",
        city_id=city.id,
        at=dt.datetime(2026, 3, 12, 1, tzinfo=UTC),
    )
    client.sign_in(create_user(session, role="county_staff"))

    until_tenth = client.get("/audit", params={"city": city.id, "until": "2026-03-10"})
    from_eleventh = client.htmx_get("/audit", params={"city": city.id, "since": "2026-03-11"})
    only_eleventh = client.get(
        "/audit", params={"city": city.id, "since": "2026-03-11", "until": "2026-03-11"}
    )

    assert _shown(until_tenth) == ["update_meeting at 2026-03-11T03:30:00+00:00"]
    assert _shown(from_eleventh) == ["update_meeting at 2026-03-12T01:00:00+00:00"]
    assert _shown(only_eleventh) == ["update_meeting at 2026-03-12T01:00:00+00:00"]


def test_action_filter_offers_known_and_recent_actions(client: WebClient, session: Session) -> None:
    city = create_city(session)
    now = utcnow()
    _event(session, action="recent_thing", city_id=city.id, at=now - dt.timedelta(days=3))
    _event(session, action="ancient_thing", city_id=city.id, at=now - dt.timedelta(days=400))
    client.sign_in(create_user(session, role="admin"))

    page = soup(client.get("/audit"))
    chosen = soup(client.get("/audit", params={"action": "ancient_thing"}))

    offered = [o["value"] for o in page.select("#f-action option") if o["value"]]
    assert set(audit.KNOWN_ACTIONS) <= set(offered)  # even ones never recorded in this database
    assert "recent_thing" in offered
    assert "ancient_thing" not in offered  # the filter does not read ten years of events
    assert chosen.select_one("#f-action option[selected]")["value"] == "ancient_thing"
    assert _shown_text(chosen) == ["ancient thing"]


def _shown_text(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.select("td")[2].get_text() for row in page.select("#audit-results tbody tr")]


def test_result_count_is_announced_in_a_region_that_stays(
    client: WebClient, session: Session
) -> None:
    city = create_city(session)
    for day in (1, 2):
        _event(
            session,
            action="create_meeting",
            city_id=city.id,
            at=dt.datetime(2026, 3, day, tzinfo=UTC),
        )
    client.sign_in(create_user(session, role="county_staff"))

    page = soup(client.get("/audit", params={"city": city.id}))
    fragment = soup(client.htmx_get("/audit", params={"city": city.id}))

    status = page.select_one("#audit-status")
    assert status["role"] == "status" and status.get_text() == ""
    assert status.find_parent(id="audit-results") is None  # the swap target does not hold it
    assert page.select_one("#audit-results").get("aria-live") is None
    form = page.select_one("form.filters")
    assert (form["hx-target"], form["hx-swap"]) == ("#audit-results", "outerHTML")
    update = fragment.select_one("#audit-status")
    assert update["hx-swap-oob"] == "innerHTML"
    assert update.get_text() == "2 events match the filters."
    assert page.select_one("#audit-status[hx-swap-oob]") is None


def test_audit_log_says_who_signed_in(client: WebClient, session: Session) -> None:
    county = create_user(session, role="county_staff", email="kim.staff@example.org")
    client.sign_in(county)

    rows = soup(client.get("/audit?action=sign_in")).select("#audit-results tbody tr")

    assert len(rows) == 1
    what = rows[0].select("td")[3].get_text(strip=True)
    assert what == "Signed in as kim.staff@example.org"
