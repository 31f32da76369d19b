"""The review panel's forms when they are refused: a clear message, nothing changed, nothing
the person typed lost (POST /meetings/{id}/minutes/review/...)."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from sqlmodel import Session, select

from jcpp.analysis import actions, review
from jcpp.analysis.store import store_analysis
from jcpp.analysis.view import get_review
from jcpp.auth.permissions import load_viewer
from jcpp.models import ConcernTopic, FollowUp, Meeting, MeetingTopic
from tests.analysis.helpers import (
    TEXT,
    WORRY,
    add_revision,
    fake_analysis,
    last_event,
    slug_id,
    the_action,
    the_concern,
)
from tests.meetings.helpers import World
from tests.web import WebClient, soup


def url(meeting: Meeting, rest: str) -> str:
    return f"/meetings/{meeting.id}/minutes/review/{rest}"


def concern_seen(session: Session, world: World, meeting: Meeting) -> str:
    """The `seen` the liaison's page carries for the meeting's concern."""
    liaison = load_viewer(session, world.users["liaison"])
    [item] = get_review(session, meeting.id or 0, viewer=liaison).concerns
    return item.seen


def concern_topics(session: Session, meeting: Meeting) -> set[int]:
    concern = the_concern(session, meeting)
    return set(
        session.exec(
            select(ConcernTopic.topic_id).where(ConcernTopic.concern_id == concern.id)
        ).all()
    )


def topic_state(session: Session, meeting: Meeting, slug: str) -> str:
    row = session.exec(
        select(MeetingTopic).where(
            MeetingTopic.meeting_id == meeting.id, MeetingTopic.topic_id == slug_id(session, slug)
        )
    ).one()
    session.refresh(row)
    return row.state


def edit_form(page: BeautifulSoup, concern_id: int) -> Tag:
    form = page.select_one(f"#concern-{concern_id}-edit")
    assert form is not None, "the concern's edit form"
    return form


def checked_topics(form: Tag) -> set[int]:
    return {int(str(box["value"])) for box in form.select("input[name=topics][checked]")}


# ---------------------------------------------------------------- a concern's edit form


@pytest.mark.parametrize("htmx", [True, False])
@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("   \n ", "Write the concern, or reject it instead."),
        ("x" * 2001, "Keep the concern under 2000 characters."),
    ],
)
def test_an_empty_or_too_long_concern_comes_back_with_a_field_error_and_changes_nothing(
    client: WebClient,
    session: Session,
    world: World,
    meeting: Meeting,
    htmx: bool,
    text: str,
    error: str,
) -> None:
    concern = the_concern(session, meeting)
    world.sign_in(client, "liaison")
    before = (last_event(session).id, concern_topics(session, meeting))
    chosen = [slug_id(session, "community-trust"), slug_id(session, "language-access")]

    answer = client.post(
        url(meeting, f"concerns/{concern.id}/edit"),
        data={"text": text, "topics": chosen, "seen": concern_seen(session, world, meeting)},
        htmx=htmx,
    )

    assert answer.status_code == 422
    page = soup(answer)
    form = edit_form(page, concern.id or 0)
    if htmx:  # the form alone, in place of the one sent: the rest of the page is untouched
        assert page.find("html") is None and page.select_one("#minutes-review") is None
        assert answer.headers["HX-Retarget"] == f"#concern-{concern.id}-edit"
        assert answer.headers["HX-Reswap"] == "outerHTML"
    else:
        assert page.select_one("#minutes-review") is not None
    assert form.has_attr("open")
    textarea = form.select_one("textarea[name=text]")
    assert textarea is not None and textarea.get_text().strip() == text.strip()
    assert textarea["aria-invalid"] == "true"
    described = form.select_one(f"#{textarea['aria-describedby']}")
    assert described is not None and described.get_text() == error
    assert checked_topics(form) == set(chosen), "the topics the person ticked are kept"
    session.refresh(concern)
    assert (concern.state, concern.edited_text) == ("proposed", None)
    assert (last_event(session).id, concern_topics(session, meeting)) == before


def test_a_retired_topic_on_a_concern_is_refused_under_the_topics(
    client: WebClient, session: Session, world: World, meeting: Meeting
) -> None:
    concern = the_concern(session, meeting)
    retired = slug_id(session, "gun-violence")
    world.sign_in(client, "admin")
    assert client.post("/topics/gun-violence/retire", data={}).status_code == 303
    world.sign_in(client, "liaison")

    answer = client.post(
        url(meeting, f"concerns/{concern.id}/edit"),
        data={"text": "No interpreter at the desk", "topics": [retired]},
        htmx=True,
    )

    assert answer.status_code == 422
    form = edit_form(soup(answer), concern.id or 0)
    assert form.select_one(".field-error").get_text() == "Choose a topic of the current list."
    assert form.select_one("textarea").get_text() == "No interpreter at the desk"
    session.refresh(concern)
    assert concern.edited_text is None and concern.state == "proposed"


def test_a_concern_someone_changed_since_is_not_overwritten_until_saved_again(
    client: WebClient, session: Session, world: World, meeting: Meeting
) -> None:
    concern = the_concern(session, meeting)
    seen = concern_seen(session, world, meeting)  # the liaison opens the page …
    admin = load_viewer(session, world.users["admin"])
    review.edit_concern(  # … an admin edits the concern meanwhile …
        session, meeting.id or 0, concern.id or 0, text="Interpreters missing at the desk",
        topic_ids=[slug_id(session, "language-access")], by=admin,
    )  # fmt: skip
    world.sign_in(client, "liaison")
    events = last_event(session).id
    mine = {"text": "No interpreter after 5 pm", "topics": [slug_id(session, "community-trust")]}

    # … and the liaison saves her own wording.
    answer = client.post(
        url(meeting, f"concerns/{concern.id}/edit"), data={**mine, "seen": seen}, htmx=True
    )

    assert answer.status_code == 409
    assert answer.headers["HX-Retarget"] == f"#concern-{concern.id}-edit"
    form = edit_form(soup(answer), concern.id or 0)
    alert = form.select_one("[role=alert]")
    assert alert is not None
    assert alert.get_text().startswith("Ada Admin edited this concern after this page was loaded")
    assert form.select_one("textarea").get_text() == mine["text"]
    assert checked_topics(form) == set(mine["topics"])
    session.refresh(concern)
    assert concern.edited_text == "Interpreters missing at the desk"
    assert last_event(session).id == events

    # Having seen the other wording, she saves hers on purpose: now it replaces it.
    again = {**mine, "seen": form.select_one("input[name=seen]")["value"]}
    saved = client.post(url(meeting, f"concerns/{concern.id}/edit"), data=again, htmx=True)
    assert saved.status_code == 200
    session.refresh(concern)
    assert concern.edited_text == "No interpreter after 5 pm"
    assert concern_topics(session, meeting) == set(mine["topics"])


def test_saving_a_concern_as_it_already_is_changes_nothing(
    client: WebClient, session: Session, world: World, meeting: Meeting
) -> None:
    concern = the_concern(session, meeting)
    world.sign_in(client, "liaison")
    data = {"text": "No interpreter at the desk", "topics": [slug_id(session, "language-access")]}
    first = client.post(url(meeting, f"concerns/{concern.id}/edit"), data=data, htmx=True)
    assert first.status_code == 200
    events = last_event(session).id

    twice = client.post(  # a second click, with the page as it was before the first
        url(meeting, f"concerns/{concern.id}/edit"), data={**data, "seen": "0" * 16}, htmx=True
    )

    assert twice.status_code == 200
    assert last_event(session).id == events


def test_a_concern_no_longer_found_is_refused_without_touching_the_page(
    client: WebClient, session: Session, world: World, meeting: Meeting
) -> None:
    concern_id = the_concern(session, meeting).id or 0
    liaison = load_viewer(session, world.users["liaison"])
    # The minutes are saved again without the concern and analysed: the proposal goes away.
    number = add_revision(session, meeting, "Old business. Adjourned.")
    store_analysis(
        session, meeting_id=meeting.id or 0, revision_number=number,
        text="Old business. Adjourned.", analysis=fake_analysis("Old business. Adjourned."),
        topic_list_version="v",
    )  # fmt: skip
    assert get_review(session, meeting.id or 0, viewer=liaison).concerns == []
    world.sign_in(client, "liaison")

    edited = client.post(
        url(meeting, f"concerns/{concern_id}/edit"), data={"text": WORRY}, htmx=True
    )
    # The page stays as it is (the typed wording is still in the form); a toast says why.
    assert edited.status_code == 404
    assert edited.headers["HX-Reswap"] == "none"
    assert "not among the meeting's findings" in soup(edited).get_text()

    confirmed = client.post(url(meeting, f"concerns/{concern_id}/confirm"), data={}, htmx=True)
    # Nothing typed to lose: the panel comes back as it is now, with the reason.
    assert confirmed.status_code == 404
    panel = soup(confirmed).select_one("#minutes-review")
    assert panel is not None and panel.select(".review-concern") == []
    assert "not among the meeting's findings" in panel.select_one("[role=alert]").get_text()


# ---------------------------------------------------------------- topics and action items


def test_a_topic_someone_rejected_since_is_not_confirmed(
    client: WebClient, session: Session, world: World, meeting: Meeting
) -> None:
    admin = load_viewer(session, world.users["admin"])
    review.reject_topic(session, meeting.id or 0, slug_id(session, "language-access"), by=admin)
    world.sign_in(client, "liaison")
    events = last_event(session).id

    answer = client.post(
        url(meeting, "topics/language-access/confirm"), data={"seen": "proposed"}, htmx=True
    )

    assert answer.status_code == 409
    panel = soup(answer).select_one("#minutes-review")
    assert panel is not None
    assert panel.select_one("[role=alert]").get_text() == (
        "Ada Admin rejected the topic Language access after this page was loaded, so nothing "
        "was changed. It is shown as it is now: do it again if you still want to."
    )
    chip = panel.select_one(".review-chip--rejected")
    assert chip is not None and chip.get_text().startswith("Language access")
    assert topic_state(session, meeting, "language-access") == "rejected"
    assert last_event(session).id == events

    # Without JavaScript the whole page says the same.
    page = client.post(url(meeting, "topics/language-access/confirm"), data={"seen": "proposed"})
    assert page.status_code == 409
    assert "Ada Admin rejected" in soup(page).select_one("#minutes-review [role=alert]").get_text()


def test_the_same_review_twice_changes_nothing_the_second_time(
    client: WebClient, session: Session, world: World, meeting: Meeting
) -> None:
    admin = load_viewer(session, world.users["admin"])
    review.confirm_topic(session, meeting.id or 0, slug_id(session, "language-access"), by=admin)
    world.sign_in(client, "liaison")
    events = last_event(session).id

    answer = client.post(
        url(meeting, "topics/language-access/confirm"), data={"seen": "proposed"}, htmx=True
    )

    assert answer.status_code == 200
    assert topic_state(session, meeting, "language-access") == "confirmed"
    assert last_event(session).id == events


@pytest.mark.parametrize(
    ("other", "verb", "expected"),
    [
        ("reject", "follow-up", 409),  # rejected meanwhile: no follow-up of it
        ("confirm", "follow-up", 200),  # confirmed meanwhile: a follow-up is what both want
        ("confirm", "reject", 409),
        ("convert", "confirm", 409),
    ],
)
def test_an_action_item_someone_reviewed_since(
    client: WebClient,
    session: Session,
    world: World,
    meeting: Meeting,
    other: str,
    verb: str,
    expected: int,
) -> None:
    admin = load_viewer(session, world.users["admin"])
    item = the_action(session, meeting)
    change: dict[str, Any] = {
        "reject": actions.reject_action,
        "confirm": actions.confirm_action,
        "convert": actions.convert_action_to_follow_up,
    }
    change[other](session, meeting.id or 0, item.id or 0, by=admin)
    state = item.state
    follow_ups = len(session.exec(select(FollowUp)).all())
    world.sign_in(client, "liaison")

    answer = client.post(
        url(meeting, f"actions/{item.id}/{verb}"), data={"seen": "proposed"}, htmx=True
    )

    assert answer.status_code == expected
    session.refresh(item)
    if expected == 409:
        alert = soup(answer).select_one("#minutes-review [role=alert]")
        assert alert is not None and "nothing was changed" in alert.get_text()
        assert item.state == state
        assert len(session.exec(select(FollowUp)).all()) == follow_ups
    else:
        assert item.state == "converted" and item.follow_up_id is not None


# ---------------------------------------------------------------- who may review


def review_state(session: Session, meeting: Meeting) -> tuple[object, ...]:
    """Everything a review route can change, as stored."""
    session.expire_all()
    topics = session.exec(
        select(MeetingTopic.topic_id, MeetingTopic.state, MeetingTopic.reviewed_by_id).where(
            MeetingTopic.meeting_id == meeting.id
        )
    ).all()
    concern, action = the_concern(session, meeting), the_action(session, meeting)
    return (
        sorted(topics),
        (concern.state, concern.edited_text, concern.reviewed_by_id),
        concern_topics(session, meeting),
        (action.state, action.follow_up_id),
        len(session.exec(select(FollowUp).where(FollowUp.meeting_id == meeting.id)).all()),
    )


ROUTES: dict[str, tuple[str, dict[str, Any]]] = {
    "add topic": ("topics/add", {"topic": "youth"}),
    "confirm topic": ("topics/language-access/confirm", {"seen": "proposed"}),
    "reject topic": ("topics/traffic-safety/reject", {"seen": "proposed"}),
    "confirm concern": ("concerns/{concern}/confirm", {}),
    "reject concern": ("concerns/{concern}/reject", {}),
    "edit concern": ("concerns/{concern}/edit", {"text": "No interpreter at the desk"}),
    "confirm action": ("actions/{action}/confirm", {"seen": "proposed"}),
    "reject action": ("actions/{action}/reject", {"seen": "proposed"}),
    "make follow-up": ("actions/{action}/follow-up", {"seen": "proposed"}),
}
# As the permission matrix says (README; tests/test_permission_matrix.py): the city's liaison and
# admins review; county staff and the committee's members read only; people of another city do
# not learn that the meeting exists.
REFUSED = {
    "county_staff": (403, "only its city's liaison or an admin can change it"),
    "member": (403, "only its city's liaison or an admin can change it"),
    "liaison_other": (404, "There is no such committee or meeting"),
    "member_other": (404, "There is no such committee or meeting"),
    "anonymous": (401, "You were signed out"),
}


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("role", ["admin", "liaison", *sorted(REFUSED)])
def test_each_review_route_answers_each_role_as_the_matrix_says(
    client: WebClient, session: Session, world: World, meeting: Meeting, route: str, role: str
) -> None:
    path, data = ROUTES[route]
    path = path.format(
        concern=the_concern(session, meeting).id, action=the_action(session, meeting).id
    )
    world.sign_in(client, role)
    before, events = review_state(session, meeting), last_event(session).id

    answer = client.post(url(meeting, path), data=data, htmx=True)

    if role in REFUSED:
        status, message = REFUSED[role]
        assert answer.status_code == status
        assert message in soup(answer).get_text(), "the toast says why"
        assert review_state(session, meeting) == before, "a refusal changes nothing"
        assert last_event(session).id == events
    else:
        assert answer.status_code == 200
        assert soup(answer).select_one("#minutes-review [role=status]") is not None
        assert review_state(session, meeting) != before
        event = last_event(session)
        assert event.id != events and event.user_id == world.users[role].id


def test_a_concern_a_new_analysis_changed_since_says_so(
    client: WebClient, session: Session, world: World, meeting: Meeting
) -> None:
    concern = the_concern(session, meeting)
    seen = concern_seen(session, world, meeting)
    # The minutes are saved again and analysed: the same concern, now about community trust.
    number = add_revision(session, meeting, TEXT + " ")
    store_analysis(
        session, meeting_id=meeting.id or 0, revision_number=number, text=TEXT + " ",
        analysis=fake_analysis(TEXT + " ", concerns=[(WORRY, ["community-trust"])]),
        topic_list_version="v",
    )  # fmt: skip
    world.sign_in(client, "liaison")

    answer = client.post(url(meeting, f"concerns/{concern.id}/reject"), data={"seen": seen})

    assert answer.status_code == 409
    alert = soup(answer).select_one("#minutes-review [role=alert]")
    assert alert is not None
    assert alert.get_text().startswith("A new analysis of the minutes changed this concern")
    session.refresh(concern)
    assert concern.state == "proposed"
