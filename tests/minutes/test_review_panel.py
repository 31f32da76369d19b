"""The minutes page shows what the analysis found, with the evidence marked and inert."""

from __future__ import annotations

from sqlmodel import Session

from jcpp.minutes.highlight import highlight
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
