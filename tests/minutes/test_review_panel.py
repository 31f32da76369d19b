"""The minutes page shows what the analysis found, with the evidence marked and inert."""

from __future__ import annotations

from sqlmodel import Session, select

from jcpp.minutes.highlight import highlight
from jcpp.models import ActionItem, Concern, FollowUp
from tests.analysis.helpers import load_topics
from tests.minutes.conftest import Scene
from tests.minutes.helpers import assert_inert
from tests.web import WebClient, soup

SPEEDING = (
    "Residents on Elm Street say drivers are speeding past the school at pickup time.\n"
    'A resident wrote <script>alert(1)</script> and " onmouseover=alert(2) about speeding.\n'
)


def test_highlight_escapes_every_piece_and_marks_the_evidence() -> None:
    text = 'a <b>speeding</b> " onmouseover=x'
    start = text.index("speeding")
    html = str(highlight(text, [(start - 3, start + 12, "Traffic <safety>")]))
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert 'title="Evidence for Traffic &lt;safety&gt;"' in html
    assert "&#34; onmouseover=x" in html


def test_readers_see_the_findings_with_evidence_and_no_buttons(
    client: WebClient, session: Session, scene: Scene
) -> None:
    load_topics(session)
    client.sign_in(scene.users["liaison"])
    saved = client.post(scene.url, data={"text": SPEEDING, "base_revision": "0", "note": ""})
    assert saved.status_code == 303

    client.sign_in(scene.users["member"])
    page = soup(client.get(scene.url))
    review = page.select_one("#minutes-review")
    assert review is not None
    chips = [chip.get_text(" ", strip=True) for chip in review.select(".review-chip")]
    assert any(chip.startswith("Traffic") and "proposed" in chip for chip in chips), chips
    marks = review.select(".review-evidence mark")
    assert marks and all(str(mark.get("title", "")).startswith("Evidence for") for mark in marks)
    assert review.select("button") == [] and review.select("form") == []
    assert_inert(page, "#minutes-review")
    assert "<script>alert(1)</script>" in review.select_one(".review-evidence").get_text()


def _chips(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Topic name -> state, as the review panel shows them."""
    out = {}
    for chip in soup(response).select("#minutes-review .review-chip"):
        name = chip.select_one(".review-chip__name").get_text()
        [state] = [c for c in chip.get("class", []) if c.startswith("review-chip--")]
        out[str(name).strip()] = state.removeprefix("review-chip--")
    return out


def _saved_with_findings(client: WebClient, session: Session, scene: Scene) -> None:
    load_topics(session)
    client.sign_in(scene.users["liaison"])
    saved = client.post(scene.url, data={"text": SPEEDING, "base_revision": "0", "note": ""})
    assert saved.status_code == 303


def test_editor_confirms_and_rejects_a_topic_with_htmx_and_without(
    client: WebClient, session: Session, scene: Scene
) -> None:
    _saved_with_findings(client, session, scene)
    page = soup(client.get(scene.url))
    assert page.select("#minutes-review form button")  # editors get the buttons
    proposed = [
        name for name, state in _chips(client.get(scene.url)).items() if state == "proposed"
    ]
    assert "Traffic safety" in proposed

    confirmed = client.post(scene.url + "/review/topics/traffic-safety/confirm", data={}, htmx=True)
    assert confirmed.status_code == 200
    fragment = soup(confirmed)
    assert fragment.find("html") is None and fragment.select_one("#minutes-review") is not None
    assert _chips(confirmed)["Traffic safety"] == "confirmed"

    rejected = client.post(scene.url + "/review/topics/traffic-safety/reject", data={})
    assert rejected.status_code == 303
    assert _chips(client.get(scene.url))["Traffic safety"] == "rejected"


def test_editor_adds_a_topic_the_software_missed(
    client: WebClient, session: Session, scene: Scene
) -> None:
    _saved_with_findings(client, session, scene)
    added = client.post(scene.url + "/review/topics/add", data={"topic": "youth"}, htmx=True)
    assert added.status_code == 200
    chips = _chips(added)
    assert any(state == "confirmed" and "outh" in name for name, state in chips.items()), chips


def test_readers_cannot_review_topics(client: WebClient, session: Session, scene: Scene) -> None:
    _saved_with_findings(client, session, scene)
    client.sign_in(scene.users["county_staff"])
    refused = client.post(scene.url + "/review/topics/traffic-safety/confirm", data={}, htmx=True)
    assert refused.status_code == 403
    assert _chips(client.get(scene.url))["Traffic safety"] == "proposed"


ACTIONS = (
    "Residents on Elm Street say drivers are speeding past the school at pickup time.\n"
    "Lt. Okafor will bring stop data to the next meeting.\n"
)


def _findings(session: Session, scene: Scene):  # type: ignore[no-untyped-def]
    concerns = session.exec(select(Concern).where(Concern.meeting_id == scene.meeting_id)).all()
    actions = session.exec(
        select(ActionItem).where(ActionItem.meeting_id == scene.meeting_id)
    ).all()
    return list(concerns), list(actions)


def test_editor_makes_a_follow_up_of_an_action_item(
    client: WebClient, session: Session, scene: Scene
) -> None:
    load_topics(session)
    client.sign_in(scene.users["liaison"])
    client.post(scene.url, data={"text": ACTIONS, "base_revision": "0", "note": ""})
    _, actions = _findings(session, scene)
    assert actions, "the pipeline proposes the action item"
    action = actions[0]

    made = client.post(f"{scene.url}/review/actions/{action.id}/follow-up", data={}, htmx=True)

    assert made.status_code == 200
    fragment = soup(made)
    status = fragment.select_one("#minutes-review [role=status]")
    assert status is not None and status.get_text().startswith("Follow-up created: ")
    session.refresh(action)
    follow_up = session.get(FollowUp, action.follow_up_id)
    assert follow_up is not None and follow_up.action_item_id == action.id
    badges = [b.get_text() for b in fragment.select("#minutes-review .review-action .badge")]
    assert f"Follow-up: {follow_up.title}" in badges


def test_editor_confirms_and_rejects_concerns_and_actions(
    client: WebClient, session: Session, scene: Scene
) -> None:
    load_topics(session)
    client.sign_in(scene.users["liaison"])
    client.post(scene.url, data={"text": ACTIONS, "base_revision": "0", "note": ""})
    concerns, actions = _findings(session, scene)
    for concern in concerns:
        answer = client.post(f"{scene.url}/review/concerns/{concern.id}/reject", data={})
        assert answer.status_code == 303
        session.refresh(concern)
        assert concern.state == "rejected"
    for action in actions:
        answer = client.post(f"{scene.url}/review/actions/{action.id}/confirm", data={}, htmx=True)
        assert answer.status_code == 200
        session.refresh(action)
        assert action.state == "confirmed"
    assert concerns or actions


def test_an_edited_concern_keeps_the_persons_words_after_the_minutes_are_saved_again(
    client: WebClient, session: Session, scene: Scene
) -> None:
    load_topics(session)
    client.sign_in(scene.users["liaison"])
    client.post(scene.url, data={"text": SPEEDING, "base_revision": "0", "note": ""})
    concerns, _ = _findings(session, scene)
    assert concerns, "the pipeline proposes a concern about speeding"
    concern = concerns[0]

    edited = client.post(
        f"{scene.url}/review/concerns/{concern.id}/edit",
        data={"text": "Speeding near Elm Street school at pickup"},
        htmx=True,
    )
    assert edited.status_code == 200
    resaved = client.post(
        scene.url, data={"text": SPEEDING + "Adjourned.\n", "base_revision": "1", "note": ""}
    )
    assert resaved.status_code == 303

    page = soup(client.get(scene.url))
    shown = [
        li.select_one(".review-item__text").find(string=True, recursive=False)
        for li in page.select(".review-concern")
    ]
    assert "Speeding near Elm Street school at pickup" in [str(s).strip() for s in shown]


def test_concerns_and_action_items_read_without_the_minutes_markdown(
    client: WebClient, session: Session, scene: Scene
) -> None:
    load_topics(session)
    client.sign_in(scene.users["liaison"])
    text = (
        "## Traffic\n\n"
        "- **Concern:** Residents on Elm Street say drivers are speeding past the school.\n"
        "- **Sgt. Ray** will bring the speed study to the next meeting.\n"
    )
    saved = client.post(scene.url, data={"text": text, "base_revision": "0", "note": ""})
    assert saved.status_code == 303

    review = soup(client.get(scene.url)).select_one("#minutes-review")
    concerns = [item.get_text() for item in review.select(".review-concern .review-item__text")]
    actions = [item.get_text() for item in review.select(".review-action .review-item__text")]
    assert any("Residents on Elm Street say drivers are speeding" in c for c in concerns), concerns
    assert any("Sgt. Ray will bring the speed study" in a for a in actions), actions
    assert not any("*" in item for item in concerns + actions), concerns + actions


def test_a_meeting_without_minutes_does_not_say_its_revision_waits_for_analysis(
    client: WebClient, session: Session, scene: Scene
) -> None:
    load_topics(session)
    client.sign_in(scene.users["liaison"])

    page = soup(client.get(scene.url))

    assert "has not been analysed yet" not in page.get_text()
    assert page.select_one("#minutes-text") is not None  # the form to write them is there
