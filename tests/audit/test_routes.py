from __future__ import annotations

from sqlmodel import Session

from jcpp.audit import service as audit
from tests.factories import create_city, create_user
from tests.web import WebClient, soup


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
