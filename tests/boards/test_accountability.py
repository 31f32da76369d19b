"""Department accountability on known data: every figure checked against values worked out by
hand (the arithmetic is in the comments), on SQLite and PostgreSQL, in the service and on the
page, and the page's sort and drill-down."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import pytest
from sqlmodel import Session

from jcpp.boards.accountability import CityAccountability, department_accountability
from jcpp.models import City
from tests.boards.helpers import TODAY, create_follow_up, create_recurring, utc
from tests.factories import create_city, create_committee, create_meeting, create_user
from tests.web import WebClient, soup


@dataclass
class County:
    a: City
    b: City
    c: City


@pytest.fixture
def county(session: Session) -> County:
    """Three cities, today being Sun Mar 15, 2026 (TODAY)."""
    n = secrets.token_hex(3)
    a = create_city(session, name=f"Aurora {n}")
    b = create_city(session, name=f"Birchwood {n}")
    c = create_city(session, name=f"Cedar {n}")
    a_mac = create_committee(session, city=a)
    a_hrc = create_committee(session, city=a, name=f"Aurora {n} Human Rights Commission")
    b_mac = create_committee(session, city=b)
    create_committee(session, city=c)
    a1, a2, a3 = (create_meeting(session, committee=a_mac) for _ in range(3))
    a_hrc_meeting = create_meeting(session, committee=a_hrc)
    b1, b2 = (create_meeting(session, committee=b_mac) for _ in range(2))

    def follow_up(meeting, status, due=None, created=None, closed=None):  # type: ignore[no-untyped-def]
        create_follow_up(
            session, meeting=meeting, status=status, due_date=due,
            created_at=created or utc(2026, 1, 1), closed_at=closed,
        )  # fmt: skip

    # City A
    follow_up(a1, "open", due=dt.date(2026, 3, 10))  # overdue
    follow_up(a1, "acknowledged", due=dt.date(2026, 3, 20))  # due later
    follow_up(a2, "in_progress", due=dt.date(2026, 3, 14))  # overdue (due yesterday)
    follow_up(a2, "in_progress")  # no due date
    follow_up(a_hrc_meeting, "open", due=TODAY)  # due today: not yet overdue
    follow_up(a3, "reported_done", due=dt.date(2026, 1, 1))  # late, but reported done
    follow_up(a3, "declined", due=dt.date(2026, 1, 1))  # late, but declined
    follow_up(a1, "verified_done", created=utc(2026, 1, 1), closed=utc(2026, 1, 11))  # 10 days
    follow_up(a2, "verified_done", created=utc(2026, 2, 1, 12), closed=utc(2026, 2, 5))  # 3.5
    follow_up(a_hrc_meeting, "verified_done", created=utc(2026, 2, 10), closed=utc(2026, 3, 2))
    # ^ 20 days (Feb 10 → Mar 2 in 2026: 18 days left in February + 2)

    # City B
    follow_up(b1, "reported_done")
    follow_up(b2, "reported_done")
    follow_up(b1, "verified_done", created=utc(2026, 1, 1), closed=utc(2026, 1, 5))  # 4 days
    follow_up(b2, "verified_done", created=utc(2026, 1, 1), closed=utc(2026, 1, 8))  # 7 days
    follow_up(b2, "open", due=dt.date(2026, 3, 1))  # overdue

    # City C: a committee, no follow-ups.

    # Recurring concerns; only confirmed members count.
    create_recurring(session, [
        (a1, "confirmed"), (a2, "confirmed"), (a_hrc_meeting, "confirmed"),  # A: 3 times
        (a3, "proposed"),  # not confirmed: not counted
        (b1, "confirmed"),  # B: once
        (b2, "split"),  # split off: not counted
    ])  # fmt: skip
    create_recurring(session, [(b1, "confirmed"), (b2, "confirmed"), (a3, "confirmed")])
    create_recurring(session, [(b1, "proposed"), (b2, "proposed")])  # nothing confirmed
    return County(a, b, c)


# The figures worked out by hand from the data above.
EXPECTED = {
    # open: open + acknowledged + in progress + in progress + open (due today) = 5
    # overdue: due Mar 10 and due Mar 14 (today Mar 15) = 2
    # median days to close: of 10, 3.5 and 20 → 10.0
    # share verified: 3 verified / (3 verified + 1 reported done) = 0.75
    # raised again: recurring 1 confirmed 3 times in A → 3 − 1 = 2; recurring 2 once → 0; = 2
    "a": {"open": 5, "overdue": 2, "median": 10.0, "verified": 3, "reported": 1,
          "share": 0.75, "again": 2},
    # open: 1 (due Mar 1, so overdue: 1)
    # median of 4 and 7 days → (4 + 7) / 2 = 5.5
    # share verified: 2 / (2 + 2) = 0.5
    # raised again: recurring 1 once in B → 0; recurring 2 twice → 2 − 1 = 1; = 1
    "b": {"open": 1, "overdue": 1, "median": 5.5, "verified": 2, "reported": 2,
          "share": 0.5, "again": 1},
    # nothing: zeros, and no median or share (no verified, nothing reported done)
    "c": {"open": 0, "overdue": 0, "median": None, "verified": 0, "reported": 0,
          "share": None, "again": 0},
}  # fmt: skip


def figures(row: CityAccountability) -> dict[str, object]:
    return {
        "open": row.open,
        "overdue": row.overdue,
        "median": row.median_days_to_close,
        "verified": row.verified,
        "reported": row.reported_done,
        "share": row.share_verified,
        "again": row.raised_again,
    }


def ours(rows: list[CityAccountability], county: County) -> list[CityAccountability]:
    """Our three cities' rows, in the order given (the database may hold other cities)."""
    ids = {county.a.id, county.b.id, county.c.id}
    return [row for row in rows if row.city.id in ids]


def test_every_figure_matches_the_hand_computed_values(session: Session, county: County) -> None:
    rows = ours(department_accountability(session, today=TODAY), county)
    assert [row.city.id for row in rows] == [county.a.id, county.b.id, county.c.id]  # by name
    for row, key in zip(rows, "abc", strict=True):
        assert figures(row) == EXPECTED[key], key


@pytest.mark.parametrize(
    ("sort", "descending", "order"),
    [
        ("city", True, "cba"),
        ("open", True, "abc"),  # 5, 1, 0
        ("open", False, "cba"),
        ("overdue", True, "abc"),  # 2, 1, 0
        ("median", False, "bac"),  # 5.5, 10.0, none (last either way)
        ("median", True, "abc"),  # 10.0, 5.5, none
        ("share", True, "abc"),  # 0.75, 0.5, none
        ("share", False, "bac"),
        ("again", True, "abc"),  # 2, 1, 0
        ("again", False, "cba"),
    ],
)
def test_sorted_by_each_column(
    session: Session, county: County, sort: str, descending: bool, order: str
) -> None:
    rows = ours(department_accountability(session, today=TODAY, sort=sort,
                                          descending=descending), county)  # fmt: skip
    by_key = {county.a.id: "a", county.b.id: "b", county.c.id: "c"}
    assert "".join(by_key[row.city.id] for row in rows) == order


def test_the_page_shows_the_same_figures_and_drills_down_to_each_board(
    client: WebClient, session: Session, county: County, fixed_today: dt.date
) -> None:
    client.sign_in(create_user(session, role="county_staff"))
    page = soup(client.get("/accountability?sort=overdue&dir=desc"))
    shown = {}
    for key, city in (("a", county.a), ("b", county.b), ("c", county.c)):
        row = page.select_one(f"tr#city-{city.id}")
        link = row.select_one("th a")
        assert link["href"] == f"/cities/{city.slug}/follow-ups"
        shown[key] = {cell["data-figure"]: cell.get_text(" ", strip=True) for cell in row("td")}
    assert shown == {
        "a": {"open": "5", "overdue": "2", "median": "10.0", "share": "75% (3 of 4)",
              "again": "2"},
        "b": {"open": "1", "overdue": "1", "median": "5.5", "share": "50% (2 of 4)",
              "again": "1"},
        "c": {"open": "0", "overdue": "0", "median": "–", "share": "–", "again": "0"},
    }  # fmt: skip
    overdue_link = page.select_one(f"tr#city-{county.a.id} td[data-figure=overdue] a")
    assert overdue_link["href"] == f"/cities/{county.a.slug}/follow-ups?overdue=1"
    ids = [tr["id"] for tr in page.select("tbody tr")]
    a, b, c = (ids.index(f"city-{city.id}") for city in (county.a, county.b, county.c))
    assert a < b < c  # overdue 2, 1, 0


def test_column_headings_are_sort_links_that_flip_the_sorted_column(
    client: WebClient, session: Session, county: County
) -> None:
    client.sign_in(create_user(session, role="admin"))
    page = soup(client.get("/accountability?sort=median&dir=asc"))
    headings = {th.get_text(strip=True).rstrip("▲▼ "): th for th in page.select("thead th")}
    assert headings["Median days to close"]["aria-sort"] == "ascending"
    assert headings["Median days to close"].a["href"] == "/accountability?sort=median&dir=desc"
    assert headings["Open"]["aria-sort"] == "none"
    assert headings["Open"].a["href"] == "/accountability?sort=open&dir=desc"
    assert headings["City"].a["href"] == "/accountability?sort=city&dir=asc"
    # An unknown column falls back to the city name, A to Z.
    fallback = soup(client.get("/accountability?sort=bogus&dir=desc"))
    assert fallback.select_one("thead th")["aria-sort"] == "ascending"
