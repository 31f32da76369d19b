"""How fast an archive of minutes files is imported, against reading and analysing the same files.

    .venv/bin/python benchmarks/import_speed.py [--files 60] [--database-url URL]

Writes --files minutes files (a third each .docx, .pdf and .txt, a month apart, text from the
demo generator) into a temporary folder, and imports them for one committee as
`jcpp import minutes` does: per file, read it (text and date), make the meeting and its minutes,
analyse them and store the findings, update the trend counts and the search index, commit. The
baseline, in the same run and process, is the part no import can skip: reading each file and
analysing its text with the same pipeline. Then the import runs again over the same folder, where
every file is a duplicate (content hash). The database is a fresh SQLite file unless
--database-url names an empty PostgreSQL database, which is migrated and filled (and left).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
import tempfile
import time
from pathlib import Path

from docx import Document
from fpdf import FPDF
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import nlp  # noqa: E402
from jcpp.analysis.service import pipeline_for  # noqa: E402
from jcpp.auth.permissions import load_viewer  # noqa: E402
from jcpp.db import make_engine, writing  # noqa: E402
from jcpp.demo.minutes_text import RosterEntry, write_minutes  # noqa: E402
from jcpp.exports.pdf import font_folder  # noqa: E402
from jcpp.imports import service  # noqa: E402
from jcpp.migrations import upgrade  # noqa: E402
from jcpp.models import City, Committee, User  # noqa: E402

ROSTER = [
    RosterEntry("Amina Farah", "chair", None),
    RosterEntry("Jorge Castañeda", "member", None),
    RosterEntry("Mai Lee Vang", "member", None),
    RosterEntry("Maria Alvarez", "police", "Chief"),
    RosterEntry("Marcus Okafor", "police", "Lt."),
    RosterEntry("Rosa Rivera", "liaison", None),
]


def docx_bytes(text: str) -> bytes:
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_font("OpenSans", "", font_folder() / "OpenSans-Regular.ttf")
    pdf.set_font("OpenSans", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 5, text.replace("\u25cf", "\u2022"))  # Open Sans has no black circle
    return bytes(pdf.output())


def write_archive(folder: Path, count: int, seed: int = 11) -> list[Path]:
    rng = random.Random(seed)
    day = dt.date(2016, 1, 20)
    paths = []
    for number in range(count):
        text = write_minutes(
            rng,
            city="Richfield",
            committee="Richfield MAC",
            meeting_date=day,
            roster=ROSTER,
            present=[entry.name for entry in ROSTER if rng.random() > 0.2],
        )
        kind = ("docx", "pdf", "txt")[number % 3]
        path = folder / f"{day:%Y-%m-%d} minutes.{kind}"
        data = {"docx": docx_bytes, "pdf": pdf_bytes}.get(kind, str.encode)(text)
        path.write_bytes(data)
        paths.append(path)
        day += dt.timedelta(days=30)
    return paths


def prepare(session: Session) -> tuple[int, User]:
    city = City(name="Richfield", slug="richfield")
    session.add(city)
    session.flush()
    committee = Committee(
        city_id=city.id,
        name="Richfield Multicultural Advisory Committee",
        slug="richfield-mac",
        kind="mac",
        meeting_rule="FREQ=MONTHLY;BYDAY=WE;BYSETPOS=3;BYHOUR=18;BYMINUTE=30",
        default_place="City Hall",
    )
    # No password: the account is never signed in to.
    admin = User(email="admin@example.org", name="Admin", role="admin", password_hash="")
    session.add_all([committee, admin])
    session.commit()
    assert committee.id is not None
    return committee.id, admin


def import_all(session: Session, committee_id: int, admin: User, paths: list[Path]) -> list[str]:
    viewer = load_viewer(session, admin)
    statuses = []
    for path in paths:
        inspected = service.inspect_path(path)
        outcome = service.import_file(session, committee_id, inspected, day=None, by=viewer)
        session.commit()
        statuses.append(outcome.status)
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "archive"
        folder.mkdir()
        paths = write_archive(folder, args.files + 1)
        warm_up, paths = paths[:1], paths[1:]
        url = args.database_url or f"sqlite:///{Path(temporary) / 'import.sqlite3'}"
        upgrade(url=url)
        engine = make_engine(url)
        with Session(writing(engine), expire_on_commit=False) as session:
            committee_id, admin = prepare(session)
            import_all(session, committee_id, admin, warm_up)  # loads the pipeline
            pipeline, _ = pipeline_for(session)

            start = time.perf_counter()
            words = 0
            for path in paths:
                inspected = service.inspect_path(path)
                assert inspected.text is not None
                words += len(inspected.text.split())
                nlp.analyse([inspected.text], pipeline=pipeline)
            baseline = time.perf_counter() - start

            start = time.perf_counter()
            first = import_all(session, committee_id, admin, paths)
            imported = time.perf_counter() - start

            start = time.perf_counter()
            again = import_all(session, committee_id, admin, paths)
            rerun = time.perf_counter() - start
        engine.dispose()

    assert first.count("imported") == len(paths), first
    assert again.count("duplicate") == len(paths), again
    print(f"{len(paths)} files ({words:,} words; .docx, .pdf, .txt in turn) on {url.split(':')[0]}")
    rows = [
        ("read and analyse only (baseline)", baseline),
        ("import", imported),
        ("import again (all duplicates)", rerun),
    ]
    for label, seconds in rows:
        rate = len(paths) / seconds
        print(
            f"{label:34} {seconds:7.2f} s {rate:6.1f} files/s {seconds / baseline:6.2f} x baseline"
        )


if __name__ == "__main__":
    main()
