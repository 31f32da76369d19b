"""The weekly digest with a controlled clock (now: Tuesday Nov 24, 2026; the signals' period is
Aug–Nov 2026, its baseline the 12 months before): what it says, to whom, once a week."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session, select

from jcpp import clock
from jcpp.config import get_settings
from jcpp.mail.preferences import DIGEST, turn_off
from jcpp.models import Committee, FollowUp, Meeting, MeetingTopic, MinutesAnalysis, OutboxMessage
from jcpp.trends.service import add_months
from scheduler.tasks.digest import send_weekly_digest
from tests.analysis.helpers import load_topics, slug_id
from tests.factories import create_city, create_committee, create_meeting, create_user

WEEK = "2026-W48"


def monthly_meeting(
    session: Session, committee: Committee, month: dt.date, topic: int | None
) -> None:
    start = dt.datetime.combine(month.replace(day=15), dt.time(18, 30), tzinfo=clock.zone())
    meeting = Meeting(
        committee_id=committee.id or 0, start_at=start.astimezone(dt.UTC), status="held"
    )
    session.add(meeting)
    session.flush()
    session.add(
        MinutesAnalysis(
            meeting_id=meeting.id or 0, revision_number=1, pipeline_version="t",
            topic_list_version="t",
        )
    )  # fmt: skip
    if topic is not None:
        session.add(MeetingTopic(meeting_id=meeting.id or 0, topic_id=topic, state="proposed"))


@pytest.fixture
def rising(session: Session) -> Committee:
    """A committee that never raised housing in the baseline and raised it at each meeting of
    the period: a rise (and 16 held meetings whose minutes were never written)."""
    load_topics(session)
    housing = slug_id(session, "housing-homelessness")
    committee = create_committee(session, city=create_city(session, name="Risington"))
    first = dt.date(2025, 8, 1)
    for n in range(16):
        monthly_meeting(session, committee, add_months(first, n), housing if n >= 12 else None)
    session.commit()  # the trend counts are refreshed at commit
    return committee


def digest_of(session: Session, user_id: int | None, week: str = WEEK) -> OutboxMessage | None:
    key = f"digest:{week}:{user_id}"
    return session.exec(select(OutboxMessage).where(OutboxMessage.dedupe_key == key)).first()


def test_the_weekly_digest_gives_signals_overdue_follow_ups_and_missing_minutes(
    session: Session, at: list[dt.datetime], rising: Committee
) -> None:
    base = get_settings().base_url.rstrip("/")
    staff = create_user(session, role="county_staff")
    admin = create_user(session, role="admin")
    turn_off(session, user_id=admin.id or 0, kind=DIGEST)
    liaison = create_user(session, role="liaison")
    late_city = create_city(session, name="O'Hare & <Lake>")
    late = create_committee(session, city=late_city, name="Lake MAC")
    meeting = create_meeting(
        session, committee=late, start_at=dt.datetime(2026, 10, 1, 23, 0, tzinfo=dt.UTC)
    )
    session.add(FollowUp(meeting_id=meeting.id or 0, title="Lights", due_date=dt.date(2026, 11, 1)))
    session.flush()

    outcome = send_weekly_digest(session, now=at[0], period=WEEK)

    assert digest_of(session, admin.id) is None and digest_of(session, liaison.id) is None
    row = digest_of(session, staff.id)
    assert row is not None and row.html_body and row.kind == DIGEST
    assert row.subject == "JCPP weekly digest, Nov 24, 2026"
    assert outcome.startswith("1 digest queued of 1 subscriber: 1 signal, 1 overdue follow-up")
    html = BeautifulSoup(row.html_body, "html.parser")
    figures = [" ".join(li.get_text().split()) for li in html.select("#figures li")]
    assert figures == [
        "1 trend signal (Aug 2026 – Nov 2026)",
        "1 overdue follow-up",
        "17 meetings without minutes",
    ]
    signal = html.select_one("#signal-table tbody tr")
    assert signal is not None and "signal--rising" in signal["class"]
    assert signal.select_one("strong").get_text() == "Rising"
    assert "Risington" in signal.get_text()
    assert "Raised at 4 of 4 meetings in Aug–Nov" in signal.get_text()
    evidence = signal.select_one("a")
    assert evidence is not None and evidence["href"].startswith(f"{base}/trends/evidence?topic=")
    overdue = [
        [td.get_text() for td in tr.select("td")] for tr in html.select("#overdue-table tbody tr")
    ]
    assert overdue == [["O'Hare & <Lake>", "1", "1"]]  # the city's name escaped, not markup
    assert html.find("lake") is None
    link = html.select_one("#overdue-table a")
    assert link is not None and link["href"] == f"{base}/cities/{late_city.slug}/follow-ups"
    minutes = [
        [td.get_text() for td in tr.select("td")] for tr in html.select("#minutes-table tbody tr")
    ]
    assert minutes == [["Risington", rising.name, "16"], ["O'Hare & <Lake>", "Lake MAC", "1"]]
    assert html.select_one("#minutes-table a")["href"] == f"{base}/committees/{rising.id}?missing=1"
    text = row.text_body
    assert "* Rising: " in text and "Risington" in text
    assert f"See the evidence: {base}/trends/evidence?topic=housing-homelessness" in text
    assert (
        f"* O'Hare & <Lake>: 1 overdue of 1 open - {base}/cities/{late_city.slug}/follow-ups"
        in text
    )
    assert f"* Risington, {rising.name}: 16 meetings without minutes" in text
    assert "<" not in text.replace("<Lake>", "")  # plain text: no markup

    again = send_weekly_digest(session, now=at[0] + dt.timedelta(hours=5), period=WEEK)
    assert again.startswith("0 digests queued of 1 subscriber")
    send_weekly_digest(session, now=at[0] + dt.timedelta(days=7), period="2026-W49")
    assert digest_of(session, staff.id, "2026-W49") is not None


def test_a_digest_turned_off_is_not_sent(session: Session, at: list[dt.datetime]) -> None:
    staff = create_user(session, role="county_staff")
    turn_off(session, user_id=staff.id or 0, kind=DIGEST)

    outcome = send_weekly_digest(session, now=at[0], period=WEEK)

    assert outcome == "no subscribers"
    assert digest_of(session, staff.id) is None
