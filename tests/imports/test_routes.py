"""Importing minutes in the app: upload, review (dates found, editable), confirm, summary."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, func, select

from jcpp.imports import staging
from jcpp.imports.extract import MAX_FILE_BYTES
from jcpp.models import ImportedFile, Meeting, MeetingTopic, MinutesRevision
from jcpp.web import body_limit
from tests.factories import create_meeting, create_minutes
from tests.imports import files
from tests.meetings.helpers import World, build_world
from tests.web import WebClient, soup

ZONE = ZoneInfo("America/Chicago")


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


@pytest.fixture(autouse=True)
def staging_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "imports"
    monkeypatch.setattr(staging, "ROOT", root)
    return root


def upload(client: WebClient, committee_id: int, items: list[tuple[str, bytes]]) -> object:
    return client.post(
        f"/committees/{committee_id}/import",
        files=[("files", (name, data, "application/octet-stream")) for name, data in items],
    )


def rows_of(response: object) -> dict[str, str]:
    """File name -> the text of its row on the review or summary page."""
    page = soup(response)
    table = page.find("table", class_="import-table")
    assert table is not None
    out = {}
    for row in table.find("tbody").find_all("tr"):  # type: ignore[union-attr]
        name = row.find(class_="file-name").get_text(strip=True)
        out[name] = " ".join(row.get_text(" ", strip=True).split())
    return out


def token_of(response: object) -> str:
    form = soup(response).find("form", action=re.compile(r"/import/"))
    assert form is not None
    return str(form["action"]).rsplit("/", 1)[-1]


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_upload_review_confirm(
    client: WebClient, session: Session, world: World, staging_root: Path
) -> None:
    committee = world.committee
    assert committee.id is not None
    march = dt.datetime(2024, 3, 20, 18, 30, tzinfo=ZONE).astimezone(dt.UTC)
    existing = create_meeting(session, committee=committee, start_at=march, status="held")
    create_minutes(session, meeting=existing, texts=["Draft typed in the app."])
    world.sign_in(client, "liaison")
    word = files.docx_bytes("Richfield MAC minutes")
    meetings_before = count(session, Meeting)

    page = client.get(f"/committees/{committee.id}")
    assert soup(page).find("a", href=f"/committees/{committee.id}/import") is not None
    response = upload(
        client,
        committee.id,
        [
            ("2024-01-17 minutes.docx", word),
            ("minutes-feb.pdf", files.pdf_bytes("Minutes of February 21, 2024")),
            ("2024-03-20.txt", files.text_bytes("MAC minutes")),
            ("locked 2024-06-19.pdf", files.encrypted_pdf_bytes()),
            ("undated.md", files.text_bytes("# Minutes")),
            ("same as January.docx", word),
            ("../../etc/2024-07-17 evil.txt", files.text_bytes("Minutes of the July meeting")),
        ],
    )
    assert response.status_code == 200, response.text
    rows = rows_of(response)
    assert (
        "New meeting Creates a held meeting on Jan 17, 2024 at 6:30 pm"
        in rows["2024-01-17 minutes.docx"]
    )
    assert "Read from the file name: “2024-01-17”" in rows["2024-01-17 minutes.docx"]
    assert "Read from the text: “February 21, 2024”" in rows["minutes-feb.pdf"]
    assert (
        "Adds a new revision to the minutes of the meeting of Mar 20, 2024"
        in rows["2024-03-20.txt"]
    )
    assert "protected by a password" in rows["locked 2024-06-19.pdf"]
    assert "No date found in the file" in rows["undated.md"]
    assert (
        "the same file as 2024-01-17 minutes.docx, in this upload" in rows["same as January.docx"]
    )
    assert "2024-07-17 evil.txt" in rows  # the name without its folders
    page = soup(response)
    assert page.find("input", id="date-0")["value"] == "2024-01-17"  # type: ignore[index]
    assert page.find("input", id="date-3") is None  # refused: nothing to choose
    # Nothing written yet; the files wait under random names.
    assert count(session, ImportedFile) == 0 and count(session, Meeting) == meetings_before
    token = token_of(response)
    stored = sorted(p.name for p in (staging_root / token).iterdir())
    assert stored == [f"{i}.bin" for i in range(7)] + ["manifest.json"]
    assert [p.name for p in staging_root.iterdir()] == [token]

    # Confirm with no date for the undated file: the review again, nothing imported.
    form = {f"include-{i}": "1" for i in (0, 1, 2, 4, 5, 6)}
    form |= {"date-0": "2024-01-17", "date-1": "2024-02-21", "date-2": "2024-03-20"}
    form |= {"date-4": "", "date-6": "2024-07-17"}
    url = f"/committees/{committee.id}/import/{token}"
    response = client.post(url, data=form)
    assert response.status_code == 422
    assert "Give the date of the meeting." in rows_of(response)["undated.md"]
    assert count(session, ImportedFile) == 0

    # With a date given, the January file moved to another day, and the evil one left out.
    form |= {"date-4": "2024-04-17", "date-0": "2024-01-18"}
    del form["include-6"]
    response = client.post(url, data=form)
    assert response.status_code == 200, response.text
    summary = rows_of(response)
    assert "Imported 4 files: 3 new meetings, 1 added to existing meetings." in response.text
    assert "Imported: a new meeting on Jan 18, 2024" in summary["2024-01-17 minutes.docx"]
    assert (
        "Added as revision 2 of the minutes of the meeting of Mar 20, 2024"
        in summary["2024-03-20.txt"]
    )
    assert "protected by a password" in summary["locked 2024-06-19.pdf"]
    assert "Duplicate" in summary["same as January.docx"]
    assert "Left out" in summary["2024-07-17 evil.txt"]
    assert not (staging_root / token).exists()  # removed once imported

    imported = session.exec(select(ImportedFile).order_by(col(ImportedFile.id))).all()
    assert [row.file_name for row in imported] == [
        "2024-01-17 minutes.docx",
        "minutes-feb.pdf",
        "2024-03-20.txt",
        "undated.md",
    ]
    assert {row.imported_by_id for row in imported} == {world.users["liaison"].id}
    days = {
        session.get(Meeting, row.meeting_id).start_at.astimezone(ZONE).date()  # type: ignore[union-attr]
        for row in imported
    }
    assert days == {
        dt.date(2024, 1, 18),
        dt.date(2024, 2, 21),
        dt.date(2024, 3, 20),
        dt.date(2024, 4, 17),
    }
    revisions = session.exec(
        select(MinutesRevision.text).where(MinutesRevision.meeting_id == existing.id)
    ).all()
    assert "Draft typed in the app." in revisions and len(revisions) == 2  # nothing lost
    for row in imported:
        topics = session.exec(
            select(func.count())
            .select_from(MeetingTopic)
            .where(MeetingTopic.meeting_id == row.meeting_id)
        ).one()
        assert topics > 0, row.file_name

    # The same files again: all duplicates, nothing new.
    again = upload(client, committee.id, [("2024-01-17 minutes.docx", word)])
    assert (
        "Skipped: duplicate of 2024-01-17 minutes.docx imported"
        in rows_of(again)["2024-01-17 minutes.docx"]
    )


def test_upload_refusals(client: WebClient, world: World, staging_root: Path) -> None:
    committee_id = world.committee.id
    assert committee_id is not None
    world.sign_in(client, "liaison")
    response = client.post(f"/committees/{committee_id}/import", data={})
    assert response.status_code == 422
    assert "Choose one or more minutes files" in response.text
    big = b"%PDF-1.7\n" + bytes(MAX_FILE_BYTES)
    response = upload(client, committee_id, [("2024-03-19 big.pdf", big), ("x.exe", b"MZ")])
    rows = rows_of(response)
    assert "too large" in rows["2024-03-19 big.pdf"]
    assert "not .exe" in rows["x.exe"]
    token = token_of(response)
    assert sorted(p.name for p in (staging_root / token).iterdir()) == ["manifest.json"]


def test_an_upload_belongs_to_its_user_and_expires(
    client: WebClient, world: World, staging_root: Path
) -> None:
    committee_id = world.committee.id
    assert committee_id is not None
    world.sign_in(client, "liaison")
    response = upload(client, committee_id, [("2024-03-19.txt", files.text_bytes("Minutes"))])
    token = token_of(response)
    url = f"/committees/{committee_id}/import/{token}"

    admin = WebClient(client.app)
    world.sign_in(admin, "admin")
    assert admin.post(url, data={"include-0": "1"}).status_code == 404
    assert (
        admin.post(f"/committees/{committee_id}/import/..%2F..%2Fetc", data={}).status_code == 404
    )

    manifest = staging_root / token / "manifest.json"
    raw = json.loads(manifest.read_text())
    raw["created_at"] = (dt.datetime.now(dt.UTC) - dt.timedelta(days=2)).isoformat()
    manifest.write_text(json.dumps(raw))
    response = client.post(url, data={"include-0": "1", "date-0": "2024-03-19"})
    assert response.status_code == 404
    assert "no longer waiting" in response.text
    assert not (staging_root / token).exists()


def test_uploads_older_than_a_day_are_removed(
    client: WebClient, world: World, staging_root: Path
) -> None:
    world.sign_in(client, "liaison")
    old = staging_root / ("a" * 32)
    fresh = staging_root / ("b" * 32)
    for folder in (old, fresh):
        folder.mkdir(parents=True)
        (folder / "0.bin").write_bytes(b"minutes")
    two_days_ago = time.time() - 2 * 86400
    os.utime(old, (two_days_ago, two_days_ago))
    assert client.get(f"/committees/{world.committee.id}/import").status_code == 200
    assert not old.exists() and fresh.exists()


def multipart(csrf: str, name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "jcpp-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    body += data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_an_oversized_upload_is_refused_before_it_is_received(
    client: WebClient, world: World, staging_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    committee_id = world.committee.id
    assert committee_id is not None
    world.sign_in(client, "liaison")
    url = f"/committees/{committee_id}/import"
    body, content_type = multipart(client.csrf(), "2024-03-19.txt", b"Minutes. " * 10)

    # A browser declares the length: over 100 MB is answered before a byte of the body is read.
    declared = str(150 * 1024 * 1024)
    response = client.post(
        url, content=body, headers={"content-type": content_type, "content-length": declared}
    )
    assert response.status_code == 413
    assert "(150 MB)" in response.text
    assert "at most 100 MB" in response.text
    assert response.headers["x-frame-options"] == "DENY"
    assert not staging_root.exists() or not any(staging_root.iterdir())

    # A body sent in chunks without a length is counted as it arrives and cut off at the limit
    # (made small here so that the test need not send 100 MB).
    monkeypatch.setattr(body_limit, "IMPORTS", body_limit.Limit(64 * 1024, "Fewer files."))

    def chunks(data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), 8192):
            yield data[start : start + 8192]

    big, content_type = multipart(client.csrf(), "2024-03-19.txt", b"Minutes. " * 20_000)
    response = client.post(url, content=chunks(big), headers={"content-type": content_type})
    assert response.status_code == 413
    assert "(over 64 KB)" in response.text
    assert not staging_root.exists() or not any(staging_root.iterdir())

    small, content_type = multipart(client.csrf(), "2024-03-19.txt", b"Minutes. " * 1000)
    response = client.post(url, content=chunks(small), headers={"content-type": content_type})
    assert response.status_code == 200
    assert "2024-03-19.txt" in rows_of(response)
