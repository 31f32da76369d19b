"""`jcpp import minutes DIR --committee SLUG`: a folder of mixed .docx, .pdf, .txt and .md files
made here, bad files among them, imported into a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from jcpp.cli import app
from jcpp.models import (
    AuditEvent,
    Committee,
    ImportedFile,
    Meeting,
    MeetingTopic,
    Minutes,
    MinutesAnalysis,
    MinutesRevision,
    User,
)
from tests.cli.conftest import blank_database_url, cli_engine, database_url, runner  # noqa: F401
from tests.factories import create_city, create_committee, create_meeting, create_user
from tests.imports import files

ZONE = ZoneInfo("America/Chicago")

GOOD = {
    "2024-01-17 MAC minutes.docx": dt.date(2024, 1, 17),
    "minutes-feb.pdf": dt.date(2024, 2, 21),  # the date is in the text only
    "2024-03-20.txt": dt.date(2024, 3, 20),  # the committee already has this meeting
    "2024/April 17 2024 minutes.md": dt.date(2024, 4, 17),
}
BAD = {
    "2024-05-15 scan.pdf": "no text, only pictures of its 2 pages",
    "2024-06-19 locked.pdf": "protected by a password",
    "2024-07-17 minutes.docx": "zip bomb",
    "2024-08-21 big.pdf": "too large: 50 MB",
    "2024-09-18 minutes.docx": "named .docx but is a PDF file",
    "2024-10-16 minutes.docx": "damaged",
    "undated minutes.txt": "No meeting date was found",
    "2024-11-20 minutes.doc": "save it as .docx",
}


def make_archive(folder: Path) -> Path:
    (folder / "2024").mkdir(parents=True)
    word = files.docx_bytes("Richfield MAC — Minutes")
    (folder / "2024-01-17 MAC minutes.docx").write_bytes(word)
    (folder / "copy of the January minutes.docx").write_bytes(word)  # the same bytes
    (folder / "minutes-feb.pdf").write_bytes(files.pdf_bytes("Minutes of February 21, 2024"))
    (folder / "2024-03-20.txt").write_bytes(files.text_bytes("MAC minutes"))
    (folder / "2024" / "April 17 2024 minutes.md").write_bytes(files.text_bytes("# Minutes"))
    (folder / "2024-05-15 scan.pdf").write_bytes(files.image_only_pdf_bytes())
    (folder / "2024-06-19 locked.pdf").write_bytes(files.encrypted_pdf_bytes())
    (folder / "2024-07-17 minutes.docx").write_bytes(files.ratio_bomb_docx())
    files.write_sparse(folder / "2024-08-21 big.pdf", 50 * 1024 * 1024)
    (folder / "2024-09-18 minutes.docx").write_bytes(files.pdf_bytes("Minutes"))
    (folder / "2024-10-16 minutes.docx").write_bytes(word[: len(word) // 2])
    (folder / "undated minutes.txt").write_bytes(b"Minutes\n\nWe talked about parking.\n")
    (folder / "2024-11-20 minutes.doc").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    )
    (folder / "Thumbs.db").write_bytes(b"\x00" * 10)
    (folder / ".DS_Store").write_bytes(b"\x00" * 10)
    (folder / "~$17 MAC minutes.docx").write_bytes(b"lock")
    return folder


@dataclass
class Scene:
    committee: Committee
    folder: Path
    liaison_email: str
    other_liaison_email: str
    march_meeting_id: int


@pytest.fixture
def scene(cli_engine: Engine, tmp_path: Path) -> Scene:  # noqa: F811
    with Session(cli_engine, expire_on_commit=False) as session:
        city = create_city(session, name="Richfield")
        committee = create_committee(session, city=city, name="Richfield MAC", slug="richfield")
        other = create_city(session, name="Crystal")
        create_user(session, role="admin", email="admin@example.org")
        liaison = create_user(session, role="liaison", cities=[city])
        other_liaison = create_user(session, role="liaison", cities=[other])
        march = dt.datetime(2024, 3, 20, 18, 30, tzinfo=ZONE).astimezone(dt.UTC)
        meeting = create_meeting(session, committee=committee, start_at=march)
        session.commit()
        assert meeting.id is not None
        return Scene(
            committee, make_archive(tmp_path / "archive"), liaison.email, other_liaison.email,
            meeting.id,
        )  # fmt: skip


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return (
            session.exec(select(func.count()).select_from(Meeting)).one(),
            session.exec(select(func.count()).select_from(MinutesRevision)).one(),
            session.exec(select(func.count()).select_from(ImportedFile)).one(),
        )


def run(runner: CliRunner, scene: Scene, *extra: str) -> tuple[int, str]:  # noqa: F811
    result = runner.invoke(
        app, ["import", "minutes", str(scene.folder), "--committee", "richfield", *extra]
    )
    return result.exit_code, result.output


def test_archive_imported_bad_files_refused_and_a_rerun_imports_nothing(
    runner: CliRunner,  # noqa: F811
    cli_engine: Engine,  # noqa: F811
    scene: Scene,
) -> None:
    code, output = run(runner, scene, "--user", scene.liaison_email)
    assert code == 1, output  # some files failed
    assert (
        "Richfield MAC: imported 4 file(s) (3 new meeting(s), 1 added to existing meetings), "
        "skipped 1 as duplicates, 8 failed." in output
    )
    assert (
        "copy of the January minutes.docx — Skipped: duplicate of 2024-01-17 MAC minutes.docx"
        in output
    )
    failed = output.split("Failed:")[1]
    for name, reason in BAD.items():
        line = next(line for line in failed.splitlines() if line.startswith(f"  {name}: "))
        assert reason in line, line
    assert "1 other file(s) are not minutes files" in output  # Thumbs.db; hidden files unseen

    with Session(cli_engine) as session:
        committee_id = scene.committee.id
        rows = session.exec(select(ImportedFile).order_by(col(ImportedFile.id))).all()
        assert {row.file_name for row in rows} == set(GOOD)
        by_day: dict[dt.date, Meeting] = {}
        for row in rows:
            meeting = session.get(Meeting, row.meeting_id)
            assert meeting is not None and meeting.committee_id == committee_id
            local = meeting.start_at.astimezone(ZONE)
            by_day[local.date()] = meeting
            assert meeting.status == "held"
            assert local.time() == dt.time(18, 30)  # the committee's rule
            assert len(row.content_hash) == 64 and row.size > 0
            # Saved through the minutes service: a revision noting the file, and analysed.
            revision = session.exec(
                select(MinutesRevision)
                .where(MinutesRevision.meeting_id == meeting.id)
                .order_by(col(MinutesRevision.number).desc())
            ).first()
            assert revision is not None and revision.note == f"Imported from {row.file_name}"
            assert revision.author_id is not None
            analysis = session.exec(
                select(MinutesAnalysis).where(MinutesAnalysis.meeting_id == meeting.id)
            ).one()
            assert analysis.revision_number == revision.number
            topics = session.exec(
                select(func.count())
                .select_from(MeetingTopic)
                .where(MeetingTopic.meeting_id == meeting.id)
            ).one()
            assert topics > 0  # speeding, traffic enforcement, stop data, language access
        assert set(by_day) == set(GOOD.values())
        assert by_day[dt.date(2024, 3, 20)].id == scene.march_meeting_id  # attached, not new
        minutes = session.exec(
            select(Minutes).where(Minutes.meeting_id == scene.march_meeting_id)
        ).one()
        assert minutes.current_revision == 1
        # Nothing of any bad file: no meeting on their dates.
        days = {
            meeting.start_at.astimezone(ZONE).date()
            for meeting in session.exec(select(Meeting).where(Meeting.committee_id == committee_id))
        }
        assert days == set(GOOD.values())
        audit = session.exec(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "create_meeting")
        ).one()
        assert audit == 3

    before = counts(cli_engine)
    code, output = run(runner, scene, "--user", scene.liaison_email)
    assert code == 1
    assert (
        "imported 0 file(s) (0 new meeting(s), 0 added to existing meetings), "
        "skipped 5 as duplicates, 8 failed." in output
    )
    assert counts(cli_engine) == before


def test_dry_run_writes_nothing(
    runner: CliRunner,  # noqa: F811
    cli_engine: Engine,  # noqa: F811
    scene: Scene,
) -> None:
    before = counts(cli_engine)
    code, output = run(runner, scene, "--dry-run")
    assert code == 1
    assert (
        "Dry run for Richfield MAC, nothing was written: 3 file(s) would make new meetings, "
        "1 would be added to existing meetings, 1 skipped as duplicates, 8 failed." in output
    )
    assert counts(cli_engine) == before


def test_good_files_only_exit_zero_as_the_default_admin(
    runner: CliRunner,  # noqa: F811
    cli_engine: Engine,  # noqa: F811
    scene: Scene,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "good"
    folder.mkdir()
    (folder / "2024-03-20 minutes.txt").write_bytes(files.text_bytes("Minutes"))
    scene.folder = folder
    code, output = run(runner, scene)
    assert code == 0, output
    assert "imported 1 file(s) (0 new meeting(s), 1 added to existing meetings)" in output
    with Session(cli_engine) as session:
        admin = session.exec(select(User).where(User.email == "admin@example.org")).one()
        assert session.exec(select(ImportedFile)).one().imported_by_id == admin.id
        saved = session.exec(select(AuditEvent).where(AuditEvent.action == "minutes_saved")).one()
        assert saved.user_id == admin.id


def test_refused_before_reading_anything(
    runner: CliRunner,  # noqa: F811
    cli_engine: Engine,  # noqa: F811
    scene: Scene,
) -> None:
    before = counts(cli_engine)
    code, output = run(runner, scene, "--user", scene.other_liaison_email)
    assert code == 2
    assert "may not change the meetings of Richfield MAC" in output
    result = runner.invoke(
        app, ["import", "minutes", str(scene.folder), "--committee", "no-such-committee"]
    )
    assert result.exit_code == 2
    assert "There is no committee 'no-such-committee'" in result.output
    assert counts(cli_engine) == before
