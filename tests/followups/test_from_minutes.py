"""Follow-ups made from the minutes: of an action item (owner and due date prefilled) and of a
concern (its wording and topics), each with its "created" history row, linked both ways and
shown on both sides."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, col, select

from jcpp.analysis import actions
from jcpp.analysis.review import ReviewChanged, concern_fingerprint, reject_concern
from jcpp.analysis.store import store_analysis
from jcpp.auth.permissions import load_viewer
from jcpp.errors import NotFound, NotPermitted
from jcpp.models import AuditEvent, FollowUpConcern, FollowUpTopic, Meeting, Topic
from tests.analysis.helpers import (
    OWNER,
    TEXT,
    WORRY,
    add_revision,
    fake_analysis,
    load_topics,
    slug_id,
    the_action,
    the_concern,
)
from tests.factories import create_meeting
from tests.followups.helpers import events
from tests.meetings.helpers import World, build_world, local_start
from tests.web import WebClient, soup

NEXT = "Lt. Okafor will bring stop data to the next meeting."


@pytest.fixture
def world(session: Session) -> World:
    load_topics(session)
    return build_world(session)


def analysed(session: Session, world: World, text: str = TEXT, **found: object) -> Meeting:
    """A meeting of the world's committee whose minutes `text` were analysed as `found` says
    (by default: the concern WORRY about language access, Sgt. Moua's action item)."""
    meeting = local_start(session, world.committee, dt.date(2026, 3, 18))
    number = add_revision(session, meeting, text)
    found.setdefault("concerns", [(WORRY, ["language-access"])])
    found.setdefault("actions", [(OWNER, "Sgt. Moua", dt.date(2026, 3, 3))])
    analysis = fake_analysis(text, **found)  # type: ignore[arg-type]
    store_analysis(
        session, meeting_id=meeting.id or 0, revision_number=number, text=text,
        analysis=analysis, topic_list_version="v",
    )  # fmt: skip
    return meeting


def audits(session: Session, action: str) -> list[AuditEvent]:
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def test_an_action_items_follow_up_starts_with_its_created_row_and_one_audit_event(
    session: Session, world: World
) -> None:
    meeting = analysed(session, world)
    liaison = load_viewer(session, world.users["liaison"])
    before = len(audits(session, "create_follow_up"))
    item = the_action(session, meeting)
    follow_up = actions.convert_action_to_follow_up(
        session, meeting.id or 0, item.id or 0, by=liaison
    )
    [created] = events(session, follow_up.id or 0)
    assert (created.kind, created.from_status, created.to_status, created.user_id) == (
        "created",
        None,
        "open",
        liaison.id,
    )
    [audit] = audits(session, "create_follow_up")[before:]
    assert (audit.entity_id, audit.city_id, audit.before) == (
        follow_up.id,
        world.city.id,
        {"action_item_state": "proposed"},
    )
    assert audit.after is not None and audit.after["owner"] == "Sgt. Moua"


def test_an_action_due_at_the_next_meeting_is_due_on_that_meetings_day(
    session: Session, world: World
) -> None:
    text = f"Old business. {NEXT} Adjourned."
    meeting = analysed(session, world, text, concerns=[], actions=[(NEXT, "Lt. Okafor", None)])
    cancelled = local_start(session, world.committee, dt.date(2026, 4, 15))
    cancelled.status = "cancelled"
    local_start(session, world.committee, dt.date(2026, 5, 20))
    local_start(session, world.other_committee, dt.date(2026, 4, 1))
    liaison = load_viewer(session, world.users["liaison"])
    item = the_action(session, meeting)
    follow_up = actions.convert_action_to_follow_up(
        session, meeting.id or 0, item.id or 0, by=liaison
    )
    assert (follow_up.owner_text, follow_up.due_date) == ("Lt. Okafor", dt.date(2026, 5, 20))


def test_an_action_due_at_the_next_meeting_has_no_due_date_when_none_is_planned(
    session: Session, world: World
) -> None:
    text = f"Old business. {NEXT} Adjourned."
    meeting = analysed(session, world, text, concerns=[], actions=[(NEXT, "Lt. Okafor", None)])
    liaison = load_viewer(session, world.users["liaison"])
    item = the_action(session, meeting)
    follow_up = actions.convert_action_to_follow_up(
        session, meeting.id or 0, item.id or 0, by=liaison
    )
    assert follow_up.due_date is None


def test_a_concerns_follow_up_takes_its_wording_and_topics_and_confirms_it(
    session: Session, world: World
) -> None:
    meeting = analysed(session, world)
    liaison = load_viewer(session, world.users["liaison"])
    concern = the_concern(session, meeting)
    seen = concern_fingerprint(concern, [slug_id(session, "language-access")])
    follow_up = actions.convert_concern_to_follow_up(
        session, meeting.id or 0, concern.id or 0, by=liaison, seen=seen
    )
    assert (follow_up.title, follow_up.owner_text, follow_up.status) == (WORRY, None, "open")
    links = session.exec(
        select(FollowUpConcern.concern_id).where(FollowUpConcern.follow_up_id == follow_up.id)
    ).all()
    assert links == [concern.id]
    topics = session.exec(
        select(Topic.slug)
        .join(FollowUpTopic, col(FollowUpTopic.topic_id) == Topic.id)
        .where(FollowUpTopic.follow_up_id == follow_up.id)
    ).all()
    assert topics == ["language-access"]
    assert (concern.state, concern.reviewed_by_id) == ("confirmed", liaison.id)
    assert [e.kind for e in events(session, follow_up.id or 0)] == ["created"]
    again = actions.convert_concern_to_follow_up(
        session, meeting.id or 0, concern.id or 0, by=liaison, seen=seen
    )
    assert again.id == follow_up.id


def test_a_concern_rejected_since_the_page_was_loaded_gets_no_follow_up(
    session: Session, world: World
) -> None:
    meeting = analysed(session, world)
    concern = the_concern(session, meeting)
    seen = concern_fingerprint(concern, [slug_id(session, "language-access")])
    admin = load_viewer(session, world.users["admin"])
    reject_concern(session, meeting.id or 0, concern.id or 0, by=admin)
    liaison = load_viewer(session, world.users["liaison"])
    with pytest.raises(ReviewChanged, match="Ada Admin rejected this concern"):
        actions.convert_concern_to_follow_up(
            session, meeting.id or 0, concern.id or 0, by=liaison, seen=seen
        )
    assert session.exec(select(FollowUpConcern)).all() == []


@pytest.mark.parametrize(
    ("role", "error"),
    [("county_staff", NotPermitted), ("member", NotPermitted), ("liaison_other", NotFound)],
)
def test_only_editors_make_follow_ups_of_concerns(
    session: Session, world: World, role: str, error: type[Exception]
) -> None:
    meeting = analysed(session, world)
    concern = the_concern(session, meeting)
    with pytest.raises(error):
        actions.convert_concern_to_follow_up(
            session, meeting.id or 0, concern.id or 0, by=load_viewer(session, world.users[role])
        )
    assert session.exec(select(FollowUpConcern)).all() == []


def test_a_concern_of_another_meeting_is_not_found(session: Session, world: World) -> None:
    meeting = analysed(session, world)
    other = create_meeting(session, committee=world.committee)
    liaison = load_viewer(session, world.users["liaison"])
    with pytest.raises(NotFound):
        actions.convert_concern_to_follow_up(
            session, other.id or 0, the_concern(session, meeting).id or 0, by=liaison
        )


def test_the_review_panel_links_concern_and_action_to_their_follow_ups(
    client: WebClient, session: Session, world: World
) -> None:
    meeting = analysed(session, world)
    concern, item = the_concern(session, meeting), the_action(session, meeting)
    base = f"/meetings/{meeting.id}/minutes"
    client.sign_in(world.users["liaison"])
    page = soup(client.get(base))
    buttons = page.select("#minutes-review .review-concern button")
    assert "Make a follow-up (concern 1)" in [b.get_text(" ", strip=True) for b in buttons]

    made = client.post(f"{base}/review/concerns/{concern.id}/follow-up", data={}, htmx=True)
    assert made.status_code == 200
    panel = soup(made)
    status = panel.select_one("#minutes-review [role=status]")
    assert status is not None and status.get_text() == f"Follow-up created: {WORRY}"
    link = panel.select_one("#minutes-review .review-concern a.badge")
    follow_up_id = session.exec(select(FollowUpConcern.follow_up_id)).one()
    assert link is not None and link["href"] == f"/follow-ups/{follow_up_id}"
    assert link.get_text() == f"Follow-up: {WORRY}"
    labels = [b.get_text(" ", strip=True) for b in panel.select(".review-concern button")]
    assert not any(label.startswith("Make a follow-up") for label in labels)

    client.post(f"{base}/review/actions/{item.id}/follow-up", data={})
    session.refresh(item)
    for who in ("liaison", "member"):  # both sides, for editors and readers
        reader = WebClient(client.app).sign_in(world.users[who]) if who == "member" else client
        page = soup(reader.get(base))
        action_link = page.select_one("#minutes-review .review-action a.badge")
        assert action_link is not None and action_link["href"] == f"/follow-ups/{item.follow_up_id}"
        fu_page = soup(reader.get(f"/follow-ups/{item.follow_up_id}"))
        origin = fu_page.select_one("#follow-up-facts a[href$='/minutes#minutes-review']")
        assert origin is not None


def test_a_plain_post_goes_back_to_the_minutes(
    client: WebClient, session: Session, world: World
) -> None:
    meeting = analysed(session, world)
    concern = the_concern(session, meeting)
    client.sign_in(world.users["admin"])
    made = client.post(f"/meetings/{meeting.id}/minutes/review/concerns/{concern.id}/follow-up")
    assert (made.status_code, made.headers["location"]) == (303, f"/meetings/{meeting.id}/minutes")
