"""`jcpp topics load` and `jcpp nlp retag` against a database of their own (they commit)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from jcpp import cli_nlp, cli_retag, migrations
from jcpp.cli_topics import topics_app
from jcpp.db import make_engine
from jcpp.models import MinutesAnalysis, NlpModel, Topic
from nlp.classifier import MODEL_FILE, TopicClassifier
from tests.analysis.helpers import add_revision
from tests.cli.conftest import configured_database
from tests.conftest import DATABASES
from tests.factories import create_committee, create_meeting

app = typer.Typer()
app.add_typer(topics_app, name="topics")
app.command(name="retag")(cli_retag.retag)
app.command(name="train")(cli_nlp.train)


@pytest.fixture(params=DATABASES)
def engine_of_own(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with configured_database(request.param, tmp_path) as url:
        migrations.upgrade("head", url=url)
        engine = make_engine(url)
        yield engine
        engine.dispose()


def test_topics_load_adds_the_list_once(engine_of_own: Engine) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["topics", "load"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("Topic list: 26 added, 0 updated")
    second = runner.invoke(app, ["topics", "load"])
    assert second.output.startswith("Topic list: 0 added, 0 updated")
    with Session(engine_of_own) as session:
        assert session.exec(select(func.count()).select_from(Topic)).one() == 26


def test_retag_analyses_stored_minutes_and_then_has_nothing_stale(engine_of_own: Engine) -> None:
    with Session(engine_of_own) as session:
        meeting = create_meeting(session, committee=create_committee(session))
        add_revision(session, meeting, "Residents say drivers are speeding near the school.")
        session.commit()
        meeting_id = meeting.id
    runner = CliRunner()

    result = runner.invoke(app, ["retag"])

    assert result.exit_code == 0, result.output
    assert "Re-analysed the minutes of 1 meeting(s)" in result.output
    with Session(engine_of_own) as session:
        record = session.exec(
            select(MinutesAnalysis).where(MinutesAnalysis.meeting_id == meeting_id)
        ).one()
        assert record.revision_number == 1
        assert session.exec(select(func.count()).select_from(Topic)).one() == 26
    stale = runner.invoke(app, ["retag", "--stale"])
    assert "Nothing to re-analyse" in stale.output
    missing = runner.invoke(app, ["retag", "--meeting", "999999"])
    assert "No minutes to analyse for meeting(s) 999999." in missing.output


def test_train_stores_an_active_model_or_writes_it_to_a_folder(
    engine_of_own: Engine, tmp_path: Path
) -> None:
    runner = CliRunner()

    stored = runner.invoke(app, ["train", "--epochs", "1"])
    written = runner.invoke(app, ["train", "--epochs", "1", "--output", str(tmp_path / "m")])

    assert stored.exit_code == 0, stored.output
    assert "stored in the database and active" in stored.output
    assert "retag --stale" in stored.output
    with Session(engine_of_own) as session:
        (row,) = session.exec(select(NlpModel)).all()
        assert row.active and row.metrics["project_test"]["topics"]["f1"] > 0
    assert written.exit_code == 0, written.output
    assert f"written to {tmp_path / 'm' / MODEL_FILE}" in written.output
    assert TopicClassifier.from_disk(tmp_path / "m").labels
