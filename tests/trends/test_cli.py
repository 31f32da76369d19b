"""`jcpp trends rebuild` against a database of its own (it commits)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlmodel import Session, col, delete, select
from typer.testing import CliRunner

from jcpp.analysis.store import store_analysis
from jcpp.cli import app
from jcpp.db import make_engine
from jcpp.models import Topic, TopicMonthCount
from tests.analysis.helpers import add_revision, fake_analysis, load_topics
from tests.factories import create_committee, create_meeting

TEXT = "Residents say drivers are speeding near the school. Interpreters were asked for."


def _analysed_meeting(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        load_topics(session)
        start = dt.datetime(2031, 4, 16, 23, 30, tzinfo=dt.UTC)
        meeting = create_meeting(
            session, committee=create_committee(session), start_at=start, status="held"
        )
        number = add_revision(session, meeting, TEXT)
        analysis = fake_analysis(
            TEXT, topics={"traffic-safety": ["speeding"], "language-access": ["Interpreters"]}
        )
        store_analysis(
            session, meeting_id=meeting.id or 0, revision_number=number, text=TEXT,
            analysis=analysis, topic_list_version="v",
        )  # fmt: skip
        session.commit()
        meeting_id = meeting.id or 0
        # Counts gone astray (as after restoring an old backup): the rebuild puts them right.
        session.exec(delete(TopicMonthCount))
        session.commit()
    engine.dispose()
    return meeting_id


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.exec(
            select(Topic.slug, TopicMonthCount.mentions_all).join(
                TopicMonthCount, col(TopicMonthCount.topic_id) == Topic.id
            )
        ).all()
    engine.dispose()
    return dict(rows)


def test_rebuild_recomputes_the_counts_and_says_what_it_wrote(database_url: str) -> None:
    _analysed_meeting(database_url)
    assert _counts(database_url) == {}

    result = CliRunner().invoke(app, ["trends", "rebuild"])

    assert result.exit_code == 0, result.output
    assert "2 topic × city × month rows (2 topics, 1 cities, 1 months)" in result.output
    assert "from 1 meetings that count" in result.output
    assert "1 keyword × month rows" in result.output
    assert _counts(database_url) == {"traffic-safety": 1, "language-access": 1}


def test_rebuild_of_another_database_named_on_the_command_line(
    database_url: str, tmp_path: Path
) -> None:
    _analysed_meeting(database_url)
    unmigrated = f"sqlite:///{tmp_path / 'other.sqlite3'}"

    missing = CliRunner().invoke(app, ["trends", "rebuild", "--database-url", unmigrated])
    named = CliRunner().invoke(app, ["trends", "rebuild", "--database-url", database_url])

    assert missing.exit_code == 1
    assert "Has it been migrated (`jcpp db upgrade`)?" in missing.output
    assert named.exit_code == 0, named.output
    assert _counts(database_url) == {"traffic-safety": 1, "language-access": 1}
