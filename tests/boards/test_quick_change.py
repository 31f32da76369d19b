"""The board's quick status change: in place over htmx, as the lifecycle allows; refusals
say why and change nothing."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from jcpp.models import AuditEvent, FollowUp, FollowUpEvent
from tests.boards.helpers import create_follow_up
from tests.factories import create_meeting
from tests.meetings.helpers import World
from tests.web import WebClient, soup


def board_url(world: World) -> str:
    return f"/cities/{world.city.slug}/follow-ups"


def status_url(world: World, follow_up: FollowUp) -> str:
    return f"{board_url(world)}/{follow_up.id}/status"


@pytest.fixture
def follow_up(session: Session, world: World) -> FollowUp:
    meeting = create_meeting(session, committee=world.committee)
    return create_follow_up(
        session, meeting=meeting, title="Stop data at the next meeting",
        owner_user=world.users["member"], topics=("traffic-stops",),
    )  # fmt: skip


def fresh(session: Session, follow_up: FollowUp) -> FollowUp:
    session.expire_all()
    row = session.get(FollowUp, follow_up.id)
    assert row is not None
    return row


def move(client: WebClient, world: World, follow_up: FollowUp, to: str, **kw: object):  # type: ignore[no-untyped-def]
    """Post a quick change from the board, as shown at version 1 unless told."""
    htmx = bool(kw.pop("htmx", False))
    data = {"to": to, "version": "1", **{k: str(v) for k, v in kw.items()}}
    return client.post(status_url(world, follow_up), data=data, htmx=htmx)


def events(session: Session, follow_up: FollowUp) -> list[FollowUpEvent]:
    return list(
        session.exec(select(FollowUpEvent).where(FollowUpEvent.follow_up_id == follow_up.id))
    )


def test_liaison_moves_a_card_in_place_and_the_filters_stay(
    client: WebClient, session: Session, world: World, follow_up: FollowUp
) -> None:
    other = create_follow_up(session, meeting=create_meeting(session, committee=world.committee))
    world.sign_in(client, "liaison")
    page = soup(client.get(board_url(world) + "?topic=traffic-stops"))
    form = page.select_one(f"#follow-up-{follow_up.id} form")
    assert form["hx-post"] == status_url(world, follow_up)
    assert [o["value"] for o in form.select("select[name=to] option")] == [
        "acknowledged", "declined", "in_progress", "reported_done",
    ]  # fmt: skip
    sent = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    assert sent["version"] == "1" and sent["topic"] == "traffic-stops"

    response = client.post(
        status_url(world, follow_up), data={**sent, "to": "acknowledged"}, htmx=True
    )
    assert response.status_code == 200
    answer = soup(response)
    assert answer.select_one(f"#column-acknowledged #follow-up-{follow_up.id}") is not None
    assert answer.select_one(f"#follow-up-{other.id}") is None  # still filtered by topic
    assert answer.select_one("#toasts .toast--success").get_text(strip=True) == (
        "“Stop data at the next meeting” is now acknowledged."
    )
    changed = fresh(session, follow_up)
    assert (changed.status, changed.version) == ("acknowledged", 2)
    assert [(e.from_status, e.to_status) for e in events(session, follow_up)] == [
        ("open", "acknowledged")
    ]
    assert session.exec(
        select(AuditEvent).where(
            AuditEvent.entity_type == "follow_up", AuditEvent.entity_id == follow_up.id
        )
    ).first()


def test_a_change_by_someone_else_since_the_board_was_loaded_is_refused_with_the_board_now(
    client: WebClient, session: Session, world: World, follow_up: FollowUp
) -> None:
    world.sign_in(client, "admin")
    move(client, world, follow_up, "acknowledged", htmx=True)
    world.sign_in(client, "liaison")
    response = move(client, world, follow_up, "declined", comment="No", htmx=True)
    assert response.status_code == 409
    answer = soup(response)
    assert answer.select_one(f"#column-acknowledged #follow-up-{follow_up.id}") is not None
    toast = answer.select_one("#toasts .toast--error").get_text(strip=True)
    assert toast.startswith("Ada Admin changed this follow-up after this page was loaded")
    assert fresh(session, follow_up).status == "acknowledged"
    assert len(events(session, follow_up)) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to": "declined", "version": "1"}, "Give the reason it is declined."),
        ({"to": "verified_done", "version": "1"}, "cannot be marked verified done"),
        ({"to": "lost", "version": "1"}, "Choose the new status."),
        ({"to": "acknowledged", "version": ""}, "Reload the board"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(
    client: WebClient,
    session: Session,
    world: World,
    follow_up: FollowUp,
    data: dict[str, str],
    message: str,
) -> None:
    world.sign_in(client, "liaison")
    response = client.post(status_url(world, follow_up), data=data, htmx=True)
    assert response.status_code == 422
    assert response.headers["HX-Reswap"] == "none"
    assert message in soup(response).select_one("#toasts .toast--error").get_text()
    assert fresh(session, follow_up).status == "open"
    assert events(session, follow_up) == []


@pytest.mark.parametrize(
    ("role", "status"),
    [("county_staff", 403), ("member_other", 404), ("liaison_other", 404), ("anonymous", 303)],
)
def test_people_who_may_not_change_it_are_refused(
    client: WebClient, session: Session, world: World, follow_up: FollowUp, role: str, status: int
) -> None:
    world.sign_in(client, role)
    response = move(client, world, follow_up, "acknowledged")
    assert response.status_code == status
    assert fresh(session, follow_up).status == "open"


def test_the_owner_may_only_report_progress_and_sees_only_those_choices(
    client: WebClient, session: Session, world: World, follow_up: FollowUp
) -> None:
    not_his = create_follow_up(session, meeting=create_meeting(session, committee=world.committee))
    world.sign_in(client, "member")
    page = soup(client.get(board_url(world)))
    options = page.select(f"#follow-up-{follow_up.id} select[name=to] option")
    assert [o["value"] for o in options] == ["in_progress", "reported_done"]
    assert page.select_one(f"#follow-up-{not_his.id} form") is None
    assert move(client, world, follow_up, "acknowledged", htmx=True).status_code == 403
    assert move(client, world, not_his, "reported_done").status_code == 403
    done = move(client, world, follow_up, "reported_done", htmx=True)
    assert done.status_code == 200
    assert fresh(session, follow_up).status == "reported_done"


def test_county_staff_see_the_board_without_change_forms(
    client: WebClient, world: World, follow_up: FollowUp
) -> None:
    world.sign_in(client, "county_staff")
    page = soup(client.get(board_url(world)))
    assert page.select_one(f"#follow-up-{follow_up.id}") is not None
    assert page.select("#follow-up-board form") == []


def test_a_follow_up_of_another_city_is_not_on_this_board(
    client: WebClient, session: Session, world: World
) -> None:
    elsewhere = create_follow_up(
        session, meeting=create_meeting(session, committee=world.other_committee)
    )
    world.sign_in(client, "admin")
    response = move(client, world, elsewhere, "acknowledged")
    assert response.status_code == 404
    assert fresh(session, elsewhere).status == "open"


def test_without_javascript_the_change_comes_back_to_the_filtered_board_with_its_message(
    client: WebClient, session: Session, world: World, follow_up: FollowUp
) -> None:
    world.sign_in(client, "liaison")
    response = move(client, world, follow_up, "reported_done", topic="traffic-stops")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"{board_url(world)}?topic=traffic-stops#follow-up-{follow_up.id}"
    )
    page = soup(client.get(f"{board_url(world)}?topic=traffic-stops"))
    assert page.select_one(".alert--success").get_text(strip=True) == (
        "“Stop data at the next meeting” is now reported done."
    )
    assert page.select_one(f"#column-reported-done #follow-up-{follow_up.id}") is not None
    again = soup(client.get(board_url(world)))
    assert again.select_one(".alert--success") is None  # shown once
