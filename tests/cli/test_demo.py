"""`jcpp demo`: the member cities with two years of meetings, minutes and a user per role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from jcpp import migrations
from jcpp.auth.passwords import verify_password
from jcpp.cli import app
from jcpp.db import make_engine
from jcpp.models import (
    Attendance,
    AuditEvent,
    City,
    Committee,
    Meeting,
    Minutes,
    MinutesRevision,
    User,
    UserCity,
    UserCommittee,
)
from tests.cli.conftest import configured_database
from tests.conftest import DATABASES

PASSWORD = "demo password 123"
ZONE = ZoneInfo("America/Chicago")
ACCOUNTS = {
    "admin@example.org": "admin",
    "county@example.org": "county_staff",
    "liaison@example.org": "liaison",
    "member@example.org": "member",
}
MEMBER_CITIES = {
    "Bloomington",
    "Brooklyn Center",
    "Brooklyn Park",
    "Crystal",
    "Edina",
    "Hopkins",
    "Minnetonka",
    "New Hope",
    "Richfield",
    "Robbinsdale",
    "St. Louis Park",
}


@dataclass(frozen=True)
class Loaded:
    engine: Engine
    output: str


@pytest.fixture(scope="module", params=DATABASES)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, runner: CliRunner
) -> Iterator[Loaded]:
    """A new database loaded once by `jcpp demo --if-empty` (generated passwords), as the README's
    run command does, shared by the tests that only read it."""
    with configured_database(request.param, tmp_path_factory.mktemp("demo")) as url:
        migrations.upgrade("head", url=url)
        result = runner.invoke(app, ["demo", "--if-empty"])
        assert result.exit_code == 0, result.output
        engine = make_engine(url)
        yield Loaded(engine=engine, output=result.output)
        engine.dispose()


def printed_password(output: str, email: str) -> str:
    """The password in the row of the printed table that has this e-mail."""
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.split("│")]
        if email in cells:
            return cells[cells.index(email) + 1]
    raise AssertionError(f"{email} is not in the printed table:\n{output}")


def counts(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (City, User, Meeting, Minutes, MinutesRevision, Attendance)
        }


def test_demo_loads_every_member_city_with_two_years_of_meetings(demo: Loaded) -> None:
    now = dt.datetime.now(dt.UTC)
    with Session(demo.engine) as session:
        cities = session.exec(select(City)).all()
        assert {city.name for city in cities} == MEMBER_CITIES
        assert all(city.is_demo for city in cities)
        committees = session.exec(select(Committee)).all()
        assert sorted(c.city_id for c in committees) == sorted(city.id for city in cities)
        assert {c.kind for c in committees} == {"mac"}
        assert len({c.meeting_rule for c in committees}) == len(committees)  # varied per city
        for committee in committees:
            meetings = session.exec(
                select(Meeting).where(Meeting.committee_id == committee.id)
            ).all()
            past = [m for m in meetings if m.start_at < now]
            ahead = [m for m in meetings if m.start_at >= now]
            assert len(past) == 24, committee.name
            assert {m.status for m in past} == {"held", "cancelled"}
            assert min(m.start_at for m in past) < now - dt.timedelta(days=690)
            assert ahead and {m.status for m in ahead} == {"scheduled"}
            assert max(m.start_at for m in ahead) <= now + dt.timedelta(days=93)
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "load_demo")).one()
        assert event.after is not None and event.after["seed"] == 2026


def test_the_four_demo_users_sign_in_with_the_printed_passwords(demo: Loaded) -> None:
    assert "Sign in at http://127.0.0.1:8000/login" in demo.output
    with Session(demo.engine) as session:
        users = {user.email: user for user in session.exec(select(User)).all()}
    assert {email: user.role for email, user in users.items()} == ACCOUNTS
    passwords = {email: printed_password(demo.output, email) for email in ACCOUNTS}
    assert len(set(passwords.values())) == len(ACCOUNTS)  # one generated password each
    for email, user in users.items():
        assert user.name and user.active
        assert verify_password(passwords[email], user.password_hash), email


def test_generated_passwords_are_kept_for_the_owner_only(demo: Loaded) -> None:
    kept = Path("var/demo-credentials.txt")
    assert kept.stat().st_mode & 0o077 == 0
    text = kept.read_text()
    for email in ("admin@example.org", "county@example.org", "liaison@example.org"):
        assert printed_password(demo.output, email) in text


def test_the_liaison_has_three_cities_and_the_member_the_richfield_committee(
    demo: Loaded,
) -> None:
    with Session(demo.engine) as session:
        liaison_cities = session.exec(
            select(City.name)
            .join(UserCity, col(UserCity.city_id) == City.id)
            .join(User, col(User.id) == UserCity.user_id)
            .where(User.email == "liaison@example.org")
        ).all()
        member_committees = session.exec(
            select(Committee.name)
            .join(UserCommittee, col(UserCommittee.committee_id) == Committee.id)
            .join(User, col(User.id) == UserCommittee.user_id)
            .where(User.email == "member@example.org")
        ).all()
    assert set(liaison_cities) == {"Brooklyn Park", "Richfield", "St. Louis Park"}
    assert member_committees == ["Richfield Multicultural Advisory Committee"]


def test_some_cities_still_miss_minutes_of_their_two_latest_meetings(demo: Loaded) -> None:
    with Session(demo.engine) as session:
        rows = session.exec(
            select(City.name, Minutes.id)
            .join(Committee, col(Committee.city_id) == City.id)
            .join(Meeting, col(Meeting.committee_id) == Committee.id)
            .join(Minutes, col(Minutes.meeting_id) == Meeting.id, isouter=True)
            .where(Meeting.status == "held")
            .order_by(col(Meeting.start_at).desc())
        ).all()
    missing_by_city: dict[str, list[bool]] = {}
    for city, minutes_id in rows:
        missing_by_city.setdefault(city, []).append(minutes_id is None)
    lacking = {city for city, missing in missing_by_city.items() if missing[:2] == [True, True]}
    assert 2 <= len(lacking) < len(MEMBER_CITIES)
    assert lacking & {"Brooklyn Park", "Richfield", "St. Louis Park"}  # the liaison sees it too
    for city, missing in missing_by_city.items():
        assert not any(missing[2:]), f"{city}: only the latest meetings may lack minutes"


def test_if_empty_then_does_nothing_and_a_plain_run_refuses(
    demo: Loaded, runner: CliRunner
) -> None:
    assert "Loaded demo data in" in demo.output
    loaded = counts(demo.engine)

    again = runner.invoke(app, ["demo", "--if-empty", "--password", PASSWORD])
    assert again.exit_code == 0
    assert "already has data: demo data not loaded" in again.output
    assert counts(demo.engine) == loaded

    plain = runner.invoke(app, ["demo", "--password", PASSWORD])
    assert plain.exit_code == 1
    assert "Refusing to load demo data" in plain.output
    assert counts(demo.engine) == loaded


def test_refuses_a_database_with_a_user_but_no_city(runner: CliRunner, cli_engine: Engine) -> None:
    with Session(cli_engine) as session:
        session.add(User(email="a@example.org", name="A", role="admin", password_hash="x"))
        session.commit()
    result = runner.invoke(app, ["demo", "--password", PASSWORD])
    assert result.exit_code == 1
    assert counts(cli_engine)["City"] == 0


def test_a_too_short_password_is_refused_before_anything_is_loaded(
    runner: CliRunner, cli_engine: Engine
) -> None:
    result = runner.invoke(app, ["demo", "--password", "short"])
    assert result.exit_code == 2
    assert "--password: Use at least 10 characters" in result.output
    assert counts(cli_engine)["City"] == 0


def test_an_unmigrated_database_gets_told_to_run_db_upgrade(
    runner: CliRunner, blank_database_url: str
) -> None:
    result = runner.invoke(app, ["demo", "--if-empty"])
    assert result.exit_code == 1
    assert "has no tables yet: run `jcpp db upgrade` first" in result.output
