"""CSV exports: the rows of the filter shown, proper headers, UTF-8, formulas neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlmodel import Session

from jcpp.boards.export import ACCOUNTABILITY_HEADER, FOLLOW_UP_HEADER, csv_filename, neutralise
from tests.boards.helpers import TODAY, create_follow_up, utc
from tests.factories import create_meeting
from tests.meetings.helpers import World
from tests.web import WebClient


def read_csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555 0100", "'+1 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Speed = danger", "Speed = danger"),
        ("Lt. Okafor", "Lt. Okafor"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_cells_a_spreadsheet_would_run_get_a_leading_apostrophe(cell: object, written: str) -> None:
    assert neutralise(cell) == written


def test_filenames_are_plain_ascii() -> None:
    assert csv_filename("follow-ups", "St. Louis Park", today=TODAY) == (
        "follow-ups-st-louis-park-2026-03-15.csv"
    )
    assert csv_filename("accountability", today=TODAY) == "accountability-2026-03-15.csv"


def test_committee_csv_has_the_filtered_rows_in_utf8_with_formulas_neutralised(
    client: WebClient, session: Session, world: World, fixed_today: dt.date
) -> None:
    meeting = create_meeting(
        session, committee=world.committee, start_at=utc(2026, 2, 19, 0, 30)
    )  # Feb 18, 6:30 pm in the county
    create_follow_up(
        session, meeting=meeting, title='=HYPERLINK("http://evil.example","Click")',
        owner_text="@Ngozi Ọkafor — José", owner_user=world.users["member"],
        due_date=dt.date(2026, 3, 1), status="in_progress", progress=40,
        topics=("youth", "traffic-safety"), created_at=utc(2026, 2, 20, 15),
    )  # fmt: skip
    create_follow_up(session, meeting=meeting, title="Done already", status="verified_done",
                     created_at=utc(2026, 2, 20), closed_at=utc(2026, 3, 3, 3))  # fmt: skip
    world.sign_in(client, "member")
    url = f"/committees/{world.committee.slug}/follow-ups"

    response = client.get(url + "?status=in_progress&format=csv")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="follow-ups-{world.committee.slug}-2026-03-15.csv"'
    )
    rows = read_csv(response)
    assert tuple(rows[0]) == FOLLOW_UP_HEADER
    assert rows == [
        {
            "ID": rows[0]["ID"],
            "Title": '\'=HYPERLINK("http://evil.example","Click")',
            "City": world.city.name,
            "Committee": world.committee.name,
            "Meeting date": "2026-02-18",
            "Owner": "'@Ngozi Ọkafor — José",
            "Owner's account": world.users["member"].name,
            "Due date": "2026-03-01",
            "Status": "In progress",
            "Overdue": "yes",
            "Progress (%)": "40",
            "Topics": "Traffic safety; Youth",
            "Created": "2026-02-20",
            "Verified done": "",
        }
    ]
    everything = read_csv(client.get(url + "?format=csv"))
    assert [row["Title"] for row in everything][1] == "Done already"
    assert everything[1]["Verified done"] == "2026-03-02"  # 3 am UTC is the evening before


def test_board_csv_follows_the_boards_filters_and_scope(
    client: WebClient, session: Session, world: World, fixed_today: dt.date
) -> None:
    meeting = create_meeting(session, committee=world.committee)
    create_follow_up(session, meeting=meeting, title="Youth one", topics=("youth",))
    create_follow_up(session, meeting=meeting, title="Other one")
    world.sign_in(client, "liaison")
    url = f"/cities/{world.city.slug}/follow-ups"
    response = client.get(url + "?topic=youth&format=csv")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="follow-ups-{world.city.slug}-2026-03-15.csv"'
    )
    assert [row["Title"] for row in read_csv(response)] == ["Youth one"]
    assert len(read_csv(client.get(url + "?format=csv"))) == 2
    world.sign_in(client, "liaison_other")
    assert client.get(url + "?format=csv").status_code == 404


def test_accountability_csv_has_one_row_per_city_in_the_order_shown(
    client: WebClient, session: Session, world: World, fixed_today: dt.date
) -> None:
    meeting = create_meeting(session, committee=world.committee)
    create_follow_up(session, meeting=meeting, due_date=dt.date(2026, 3, 1))
    create_follow_up(session, meeting=meeting, status="reported_done")
    create_follow_up(session, meeting=meeting, status="verified_done",
                     created_at=utc(2026, 3, 1), closed_at=utc(2026, 3, 4, 12))  # fmt: skip
    world.sign_in(client, "county_staff")
    response = client.get("/accountability?sort=overdue&dir=desc&format=csv")
    assert response.headers["content-disposition"] == (
        'attachment; filename="accountability-2026-03-15.csv"'
    )
    rows = read_csv(response)
    assert tuple(rows[0]) == ACCOUNTABILITY_HEADER
    ours = {row["City"]: row for row in rows}
    assert ours[world.city.name] == {
        "City": world.city.name,
        "Open": "1",
        "Overdue": "1",
        "Median days to close": "3.5",  # Mar 1 00:00 → Mar 4 12:00
        "Verified done": "1",
        "Reported done": "1",
        "Share verified (%)": "50",  # 1 / (1 + 1)
        "Concerns raised again": "0",
    }
    assert ours[world.other_city.name]["Median days to close"] == ""
    overdue = [int(row["Overdue"]) for row in rows]
    assert overdue == sorted(overdue, reverse=True)
    world.sign_in(client, "liaison")
    assert client.get("/accountability?format=csv").status_code == 403
