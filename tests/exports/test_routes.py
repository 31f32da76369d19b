"""Exports in CSV and JSON: the columns, the filters, the viewer's scope, and formulas
neutralised; the Exports page offers only what the viewer may see."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session

from jcpp.exports import files, service
from jcpp.models import MeetingTopic
from tests.exports.helpers import County, build_county, csv_header, local, read_csv, topic
from tests.factories import create_meeting
from tests.meetings.helpers import World
from tests.web import WebClient


def download(client: WebClient, **params: object) -> object:
    return client.get("/exports/download", params=params)  # type: ignore[arg-type]


def test_meetings_csv_has_the_documented_columns_and_county_dates(
    client: WebClient, county: County, fixed_today: dt.date
) -> None:
    county.world.sign_in(client, "liaison")
    response = download(client, what="meetings", format="csv")
    assert response.headers["content-disposition"] == (  # type: ignore[attr-defined]
        'attachment; filename="meetings-2026-03-15.csv"'
    )
    assert csv_header(response) == list(service.COLUMNS["meetings"])
    rows = read_csv(response)
    assert [row["meeting_id"] for row in rows] == [str(county.cancelled.id), str(county.held.id)]
    held = rows[1]
    assert held["date"] == "2026-03-18"
    assert held["start"] == "2026-03-18T18:30:00-05:00"  # CDT: the county's wall clock
    assert held["end"] == "2026-03-18T20:00:00-05:00"
    assert rows[0]["start"] == "2026-02-18T18:30:00-06:00"  # CST
    assert held["city"] == county.world.city.name
    assert held["committee"] == county.world.committee.name
    assert (held["status"], held["place"], held["guests"]) == ("held", "City Hall, Room 2", "4")
    assert (held["minutes_status"], held["minutes_revision"]) == ("approved", "2")
    assert held["topics"] == "Traffic safety"
    assert held["link"] == f"http://127.0.0.1:8000/meetings/{county.held.id}"
    assert rows[0]["minutes_status"] == "" and rows[0]["topics"] == ""


def test_meeting_filters_period_status_topic_and_committee(
    client: WebClient, session: Session, county: County
) -> None:
    world = county.world
    world.sign_in(client, "admin")
    both = {"city": [world.city.slug, world.other_city.slug]}

    def ids(**params: object) -> list[str]:
        rows = read_csv(download(client, what="meetings", format="csv", **both, **params))
        return [row["meeting_id"] for row in rows]

    held, cancelled, other = (str(m.id) for m in (county.held, county.cancelled, county.other))
    assert ids() == [cancelled, other, held]
    assert ids(meeting_status="held") == [other, held]
    assert ids(**{"from": "2026-03-01", "to": "2026-03-17"}) == [other]
    assert ids(**{"from": "2026-03-18", "to": "2026-03-18"}) == [held]  # the day, both ends
    assert ids(committee=world.committee.slug) == [cancelled, held]
    assert ids(topic="traffic-safety") == [held]
    assert ids(topic="youth") == []


def test_confirmed_only_leaves_out_proposed_topics(
    client: WebClient, session: Session, county: County
) -> None:
    proposed = topic(session, "youth")
    session.add(MeetingTopic(meeting_id=county.held.id or 0, topic_id=proposed.id or 0))
    session.flush()
    county.world.sign_in(client, "liaison")
    rows = read_csv(download(client, what="meetings", format="csv", meeting_status="held"))
    assert rows[0]["topics"] == "Traffic safety; Youth"
    rows = read_csv(download(client, what="meetings", format="csv", confirmed="1"))
    assert [row["topics"] for row in rows] == ["", "Traffic safety"]
    rows = read_csv(download(client, what="meetings", format="csv", topic="youth", confirmed="1"))
    assert rows == []


@pytest.mark.parametrize("role", ["liaison", "member"])
def test_a_viewer_never_gets_another_citys_rows(
    client: WebClient, county: County, role: str
) -> None:
    county.world.sign_in(client, role)
    for what in ("meetings", "attendance", "concerns", "follow-ups"):
        body = download(client, what=what, format="json").content  # type: ignore[attr-defined]
        data = json.loads(body)
        assert data["rows"], what
        assert {row["city"] for row in data["rows"]} == {county.world.city.name}, what
        assert county.world.other_city.name.encode() not in body
        assert b"Crystal only concern" not in body and b"Otto" not in body


@pytest.mark.parametrize("param", ["city", "committee"])
def test_asking_for_another_citys_rows_is_refused_with_the_choices_kept(
    client: WebClient, county: County, param: str
) -> None:
    world = county.world
    world.sign_in(client, "liaison")
    slug = world.other_city.slug if param == "city" else world.other_committee.slug
    response = download(
        client, what="concerns", format="csv", topic="traffic-safety", **{param: slug}
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    page = BeautifulSoup(response.text, "html.parser")  # type: ignore[attr-defined]
    error = page.select_one(f"#{param}-error")
    assert error is not None and "not yours to see" in error.get_text()
    assert page.select_one("input[name=what][value=concerns]").has_attr("checked")  # type: ignore[union-attr]
    assert page.select_one("#x-topic option[value=traffic-safety]").has_attr("selected")  # type: ignore[union-attr]
    assert "Crystal only concern" not in response.text  # type: ignore[attr-defined]


def test_wrong_dates_and_statuses_are_named(client: WebClient, county: County) -> None:
    county.world.sign_in(client, "liaison")
    response = download(client, what="follow-ups", **{"from": "2026-13-01", "to": "soon"},
                        follow_up_status="finished")  # fmt: skip
    assert response.status_code == 422  # type: ignore[attr-defined]
    page = BeautifulSoup(response.text, "html.parser")  # type: ignore[attr-defined]
    assert "“2026-13-01” is not a date" in page.select_one("#from-error").get_text()  # type: ignore[union-attr]
    assert "“soon” is not a date" in page.select_one("#to-error").get_text()  # type: ignore[union-attr]
    assert page.select_one("#status-error") is not None
    response = download(client, what="meetings", **{"from": "2026-03-02", "to": "2026-03-01"})
    assert "ends before it starts" in response.text  # type: ignore[attr-defined]


def test_attendance_has_names_but_never_contact_details(client: WebClient, county: County) -> None:
    county.world.sign_in(client, "member")
    response = download(client, what="attendance", format="csv")
    assert csv_header(response) == list(service.COLUMNS["attendance"])
    rows = read_csv(response)
    assert [(row["person"], row["status"]) for row in rows] == [
        ("Nguyễn Thị Hương", "present"),
        ("Xyooj Vaj", "absent"),
    ]
    assert rows[0]["date"] == "2026-03-18" and rows[0]["meeting_id"] == str(county.held.id)
    for fmt in ("csv", "json"):
        body = download(client, what="attendance", format=fmt).content  # type: ignore[attr-defined]
        for secret in (b"huong@example.org", b"612-555-0199", b"vaj@example.org", b"0142"):
            assert secret not in body
    rows = read_csv(download(client, what="attendance", format="csv", attendance_status="absent"))
    assert [row["person"] for row in rows] == ["Xyooj Vaj"]


def test_concerns_json_states_its_filters_and_leaves_out_rejected(
    client: WebClient, county: County, fixed_today: dt.date
) -> None:
    county.world.sign_in(client, "liaison")
    response = download(client, what="concerns", format="json", topic="traffic-safety")
    assert response.headers["content-type"] == "application/json"  # type: ignore[attr-defined]
    assert response.headers["content-disposition"] == (  # type: ignore[attr-defined]
        'attachment; filename="concerns-2026-03-15.json"'
    )
    data = json.loads(response.content)  # type: ignore[attr-defined]
    assert data["export"] == "concerns"
    assert data["filters"] == {
        "what": "concerns", "from": None, "to": None, "cities": [], "committees": [],
        "topics": ["traffic-safety"], "statuses": [], "confirmed_only": False,
    }  # fmt: skip
    assert data["columns"] == list(service.COLUMNS["concerns"])
    assert data["rows"] == [
        {
            "concern_id": county.concern.id,
            "meeting_id": county.held.id,
            "date": "2026-03-18",
            "city": county.world.city.name,
            "committee": county.world.committee.name,
            "concern": "-Speeding near Jefferson Elementary",  # JSON keeps the text as it is
            "state": "confirmed",
            "topics": ["Traffic safety"],
            "follow_up_ids": [county.follow_up.id],
            "link": f"http://127.0.0.1:8000/meetings/{county.held.id}/minutes",
        }
    ]
    every = json.loads(download(client, what="concerns", format="json").content)  # type: ignore[attr-defined]
    assert [row["concern_id"] for row in every["rows"]] == [county.concern.id, county.proposed.id]
    confirmed = json.loads(download(client, what="concerns", format="json", confirmed="1").content)  # type: ignore[attr-defined]
    assert [row["concern_id"] for row in confirmed["rows"]] == [county.concern.id]
    assert confirmed["filters"]["confirmed_only"] is True
    proposed = json.loads(
        download(client, what="concerns", format="json", concern_status="proposed").content  # type: ignore[attr-defined]
    )
    assert [row["concern_id"] for row in proposed["rows"]] == [county.proposed.id]


def test_follow_ups_csv_neutralises_formulas(client: WebClient, county: County) -> None:
    county.world.sign_in(client, "county_staff")
    response = download(client, what="follow-ups", format="csv", city=county.world.city.slug)
    assert csv_header(response) == list(service.COLUMNS["follow-ups"])
    rows = read_csv(response)
    assert rows[0] == {
        "follow_up_id": str(county.follow_up.id),
        "title": '\'=HYPERLINK("http://evil.example","Click")',
        "meeting_id": str(county.held.id),
        "meeting_date": "2026-03-18",
        "city": county.world.city.name,
        "committee": county.world.committee.name,
        "owner": "Lt. Okafor",
        "owner_account": "",
        "due_date": "2026-04-15",
        "status": "in_progress",
        "progress": "40",
        "topics": "Traffic safety",
        "created": "2026-03-19",
        "verified_done": "",
        "link": f"http://127.0.0.1:8000/follow-ups/{county.follow_up.id}",
    }
    assert (rows[1]["owner_account"], rows[1]["verified_done"]) == ("Meg Member", "2026-04-02")
    concerns = read_csv(
        download(client, what="concerns", format="csv", city=county.world.city.slug)
    )
    assert concerns[0]["concern"] == "'-Speeding near Jefferson Elementary"
    only = read_csv(
        download(client, what="follow-ups", format="csv", follow_up_status="verified_done",
                 city=county.world.city.slug)
    )  # fmt: skip
    assert [row["follow_up_id"] for row in only] == [str(county.done.id)]


def test_topic_counts_are_the_viewers_cities(
    client: WebClient, session: Session, county: County
) -> None:
    """The counts kept current on every write (jcpp.trends.rollup): in March, Richfield's
    meeting raised traffic safety (confirmed) and youth (proposed), and had a confirmed traffic
    concern; Crystal had a confirmed traffic concern."""
    world = county.world
    youth = topic(session, "youth")
    session.add(MeetingTopic(meeting_id=county.held.id or 0, topic_id=youth.id or 0))
    session.commit()
    world.sign_in(client, "liaison")
    response = download(client, what="topic-counts", format="csv")
    assert csv_header(response) == list(service.COLUMNS["topic-counts"])
    assert read_csv(response) == [
        {"month": "2026-03", "city": world.city.name, "topic": "Traffic safety",
         "meetings": "1", "mentions": "0", "concerns": "1"},
        {"month": "2026-03", "city": world.city.name, "topic": "Youth",
         "meetings": "1", "mentions": "0", "concerns": "0"},
    ]  # fmt: skip
    confirmed = json.loads(
        download(client, what="topic-counts", format="json", confirmed="1").content
    )  # type: ignore[attr-defined]
    assert [(r["topic"], r["meetings"], r["concerns"]) for r in confirmed["rows"]] == [
        ("Traffic safety", 1, 1)
    ]
    assert read_csv(download(client, what="topic-counts", format="csv", to="2026-02-28")) == []
    assert len(read_csv(download(client, what="topic-counts", format="csv", topic="youth"))) == 1
    world.sign_in(client, "admin")
    cities = [world.city.slug, world.other_city.slug]
    rows = read_csv(download(client, what="topic-counts", format="csv", city=cities))
    assert [(row["city"], row["topic"], row["concerns"]) for row in rows] == sorted([
        (world.other_city.name, "Traffic safety", "1"),
        (world.city.name, "Traffic safety", "1"),
        (world.city.name, "Youth", "0"),
    ])  # fmt: skip


def test_pages_of_meetings_follow_each_other_without_gaps_or_repeats(
    client: WebClient, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyset pages of 2: meetings at the same moment in two committees are each sent once;
    the file goes to disk past 64 bytes and is sent from there whole."""
    monkeypatch.setattr(service, "BATCH", 2)
    monkeypatch.setattr(files, "SPOOL_BYTES", 64)
    same = local(2026, 5, 6)
    meetings = [
        create_meeting(session, committee=world.committee, start_at=local(2026, 5, day))
        for day in (1, 2, 9)
    ]
    meetings.insert(2, create_meeting(session, committee=world.committee, start_at=same))
    meetings.insert(3, create_meeting(session, committee=world.other_committee, start_at=same))
    world.sign_in(client, "admin")
    cities = [world.city.slug, world.other_city.slug]
    rows = read_csv(download(client, what="meetings", format="csv", city=cities))
    assert [row["meeting_id"] for row in rows] == [str(m.id) for m in meetings]
    data = json.loads(download(client, what="meetings", format="json", city=cities).content)  # type: ignore[attr-defined]
    assert [row["meeting_id"] for row in data["rows"]] == [m.id for m in meetings]


def test_the_page_offers_only_what_the_viewer_may_see(client: WebClient, county: County) -> None:
    world = county.world
    world.sign_in(client, "liaison")
    response = client.get("/exports")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    cities = [o["value"] for o in page.select("#x-city option")]
    committees = [o["value"] for o in page.select("#x-committee option")]
    assert cities == [world.city.slug]
    assert committees == [world.committee.slug]
    assert [i["value"] for i in page.select("input[name=what]")] == list(service.COLUMNS)
    form = page.select_one("#export-form")
    assert form is not None and form["action"] == "/exports/download" and form["method"] == "get"
    world.sign_in(client, "admin")
    page = BeautifulSoup(client.get("/exports").text, "html.parser")
    cities = [o["value"] for o in page.select("#x-city option")]
    assert world.city.slug in cities and world.other_city.slug in cities


def test_a_second_county_in_the_same_database_stays_out(
    client: WebClient, session: Session, county: County
) -> None:
    """The liaison's export is the same with another city's rows next to hers."""
    from tests.meetings.helpers import build_world

    build_county(session, build_world(session))
    county.world.sign_in(client, "liaison")
    rows = read_csv(download(client, what="attendance", format="csv"))
    assert len(rows) == 2
