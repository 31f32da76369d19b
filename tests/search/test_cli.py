"""`jcpp search rebuild` against a database of its own (it commits)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, delete, select
from typer.testing import CliRunner

from jcpp.auth.permissions import load_viewer
from jcpp.cli import app
from jcpp.db import make_engine
from jcpp.models import SearchDocument, SearchDocumentTopic, User
from jcpp.search import service
from tests.factories import create_meeting, create_minutes, create_user

TEXT = "Residents asked about the crossing guards at Lincoln Elementary."


def _meeting_with_lost_index(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        meeting = create_meeting(session)
        create_minutes(session, meeting=meeting, texts=[TEXT])
        create_user(session, role="county_staff", email="staff@example.org")
        session.commit()
        # The index gone astray (as after restoring an old backup): the rebuild puts it right.
        session.exec(delete(SearchDocumentTopic))
        session.exec(delete(SearchDocument))
        session.commit()
    engine.dispose()


def _found(url: str, words: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == "staff@example.org")).one()
        page = service.search(
            session, words, viewer=load_viewer(session, user), filters=service.SearchFilters()
        )
    engine.dispose()
    return len(page.hits)  # (the count may come from SQLite's text index alone)


def test_rebuild_makes_the_index_again_and_says_how_much(database_url: str) -> None:
    _meeting_with_lost_index(database_url)
    assert _found(database_url, "crossing guard") == 0

    result = CliRunner().invoke(app, ["search", "rebuild"])

    assert result.exit_code == 0, result.output
    assert "1 documents" in result.output
    assert _found(database_url, "crossing guard") == 1


def test_rebuild_of_another_database_named_on_the_command_line(
    database_url: str, tmp_path: Path
) -> None:
    _meeting_with_lost_index(database_url)
    unmigrated = f"sqlite:///{tmp_path / 'other.sqlite3'}"

    missing = CliRunner().invoke(app, ["search", "rebuild", "--database-url", unmigrated])
    named = CliRunner().invoke(app, ["search", "rebuild", "--database-url", database_url])

    assert missing.exit_code == 1
    assert "Has it been migrated (`jcpp db upgrade`)?" in missing.output
    assert named.exit_code == 0, named.output
    assert _found(database_url, "elementary") == 1
