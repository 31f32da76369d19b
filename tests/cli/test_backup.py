"""`jcpp backup` and `jcpp restore`: the whole database to one file and back, exactly."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from jcpp.cli import app
from jcpp.models import City, Meeting, User
from tests.factories import (
    create_city,
    create_committee,
    create_meeting,
    create_minutes,
    create_user,
)


@pytest.fixture(autouse=True)
def _pg_dump_when_postgres(database_url: str) -> None:
    """PostgreSQL tests never skip: without pg_dump they fail and say what to install."""
    if not database_url.startswith("sqlite"):
        for tool in ("pg_dump", "pg_restore"):
            if shutil.which(tool) is None:
                pytest.fail(f"{tool} is not installed: apt-get install postgresql-client")


@pytest.fixture
def richfield(cli_engine: Engine) -> int:
    """Some committed data: a city with a committee, a meeting with minutes, and a liaison."""
    with Session(cli_engine) as session:
        city = create_city(session, name="Richfield", slug="richfield")
        committee = create_committee(session, city=city)
        meeting = create_meeting(session, committee=committee, status="held", guest_count=4)
        liaison = create_user(session, role="liaison", cities=[city], email="hodan@example.org")
        create_minutes(session, meeting=meeting, texts=["1. Call to order", "1. Call to order."])
        session.add(liaison)
        session.commit()
        assert city.id is not None
        return city.id


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    metadata = MetaData()
    with engine.connect() as connection:
        metadata.reflect(connection)
        return {
            name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for name, table in sorted(metadata.tables.items())
        }


def change_everything(engine: Engine, city_id: int) -> None:
    with Session(engine) as session:
        city = session.get(City, city_id)
        assert city is not None
        city.name = "Renamed after the backup"
        session.add(city)
        session.add(City(name="Added after the backup", slug="added"))
        meeting = session.exec(select(Meeting)).one()
        meeting.guest_count = 99
        session.add(meeting)
        user = session.exec(select(User)).one()
        user.active = False
        session.add(user)
        session.commit()


def test_backup_then_restore_brings_every_row_back(
    runner: CliRunner, cli_engine: Engine, richfield: int, tmp_path: Path
) -> None:
    before = snapshot(cli_engine)
    assert len(before["city"]) == 1 and before["alembic_version"]
    target = tmp_path / "backups" / "before-change.backup"

    result = runner.invoke(app, ["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file() and target.stat().st_size > 0
    assert str(target) in result.output
    assert re.search(r"\(\d+\.\d (KiB|MiB)", result.output)

    change_everything(cli_engine, richfield)
    assert snapshot(cli_engine) != before

    result = runner.invoke(app, ["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert snapshot(cli_engine) == before
    with Session(cli_engine) as session:
        city = session.get(City, richfield)
        assert city is not None and city.name == "Richfield"
        assert session.exec(select(User)).one().active


def test_restore_asks_first_and_changes_nothing_when_told_no(
    runner: CliRunner, cli_engine: Engine, richfield: int, tmp_path: Path
) -> None:
    target = tmp_path / "jcpp.backup"
    assert runner.invoke(app, ["backup", str(target)]).exit_code == 0
    change_everything(cli_engine, richfield)
    changed = snapshot(cli_engine)
    result = runner.invoke(app, ["restore", str(target)], input="n\n")
    assert result.exit_code == 1
    assert "Replace everything" in result.output
    assert snapshot(cli_engine) == changed


def test_backup_goes_to_var_backups_by_default(
    runner: CliRunner, cli_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["backup"])
    assert result.exit_code == 0, result.output
    written = list((tmp_path / "var" / "backups").iterdir())
    assert len(written) == 1
    assert re.fullmatch(r"jcpp-\d{8}-\d{6}\.(sqlite3|pgdump)", written[0].name)


def test_backup_never_overwrites_a_file(
    runner: CliRunner, cli_engine: Engine, tmp_path: Path
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    result = runner.invoke(app, ["backup", str(target)])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert target.read_text() == "keep me"


def test_restore_refuses_a_file_that_is_not_a_backup(
    runner: CliRunner, cli_engine: Engine, richfield: int, tmp_path: Path
) -> None:
    before = snapshot(cli_engine)
    notes = tmp_path / "notes.txt"
    notes.write_text("Minutes of the March meeting")
    result = runner.invoke(app, ["restore", str(notes), "--yes"])
    assert result.exit_code == 1
    assert "not a jcpp backup" in result.output
    assert snapshot(cli_engine) == before


def test_restore_refuses_a_sqlite_file_without_alembic_version(
    runner: CliRunner, cli_engine: Engine, database_url: str, richfield: int, tmp_path: Path
) -> None:
    before = snapshot(cli_engine)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE city (id INTEGER PRIMARY KEY, name TEXT)")
    connection.close()
    result = runner.invoke(app, ["restore", str(other), "--yes"])
    assert result.exit_code == 1
    expected = "no alembic_version" if database_url.startswith("sqlite") else "is a SQLite backup"
    assert expected in result.output
    assert snapshot(cli_engine) == before


def test_restore_refuses_a_backup_of_the_other_kind_of_database(
    runner: CliRunner, cli_engine: Engine, database_url: str, tmp_path: Path
) -> None:
    sqlite = database_url.startswith("sqlite")
    foreign = tmp_path / "foreign.backup"
    foreign.write_bytes((b"PGDMP" if sqlite else b"SQLite format 3\x00") + bytes(200))
    result = runner.invoke(app, ["restore", str(foreign), "--yes"])
    assert result.exit_code == 1
    kind = "a PostgreSQL backup" if sqlite else "a SQLite backup"
    assert f"is {kind}" in result.output


def test_restore_of_a_missing_file_says_so(runner: CliRunner, cli_engine: Engine) -> None:
    result = runner.invoke(app, ["restore", "no-such-file.sqlite3", "--yes"])
    assert result.exit_code == 1
    assert "is not a file" in result.output


def test_backup_is_readable_by_its_owner_only(
    runner: CliRunner, cli_engine: Engine, tmp_path: Path
) -> None:
    """It holds password hashes and people's contact details."""
    target = tmp_path / "jcpp.backup"
    result = runner.invoke(app, ["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o600
