"""`jcpp nlp tag` and `jcpp nlp evaluate` as other tools call them: subprocesses, JSON out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

MINUTES = """RICHFIELD MULTICULTURAL ADVISORY COMMITTEE
Minutes – March 20, 2024

1. Call to order
Chair Ali called the meeting to order at 6:30 p.m.

2. Traffic stops
Lt. Okafor reviewed the department's stop data for 2023.
Ms. Tran said residents are worried that Somali drivers are pulled over for air fresheners.
Lt. Okafor will bring stop data by race to the April meeting.

3. National Night Out
Members are asked to sign up for the booth at Veterans Park.
"""

KEYS = {"file", "topics", "concerns", "actions", "keywords", "people"}


def run_jcpp(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "jcpp", "nlp", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


def assert_span(item: dict[str, Any], text: str) -> None:
    assert isinstance(item["start"], int) and isinstance(item["end"], int)
    assert 0 <= item["start"] <= item["end"] <= len(text)
    assert item["text"] == text[item["start"] : item["end"]]


def assert_record(record: dict[str, Any], text: str) -> None:
    assert set(record) == KEYS
    for topic in record["topics"]:
        assert set(topic) == {"slug", "score", "evidence"}
        assert isinstance(topic["slug"], str) and isinstance(topic["score"], float)
        assert topic["evidence"]
        for evidence in topic["evidence"]:
            assert set(evidence) == {"start", "end", "text"}
            assert_span(evidence, text)
    for concern in record["concerns"]:
        assert set(concern) == {"start", "end", "text", "topics"}
        assert_span(concern, text)
        assert all(isinstance(slug, str) for slug in concern["topics"])
    for action in record["actions"]:
        assert set(action) == {"start", "end", "text", "owner"}
        assert_span(action, text)
        assert action["owner"] is None or isinstance(action["owner"], str)
    for keyword in record["keywords"]:
        assert set(keyword) == {"term", "score"}
        assert isinstance(keyword["term"], str) and isinstance(keyword["score"], float)
    for person in record["people"]:
        assert set(person) == {"start", "end", "text"}
        assert_span(person, text)


def test_tag_prints_one_json_object_per_file_with_offsets_into_the_text(tmp_path: Path) -> None:
    files = {
        "minutes.txt": MINUTES,
        "crlf.txt": MINUTES.replace("\n", "\r\n"),
        "empty.txt": "",
        "html.txt": "<script>alert('x')</script><p>Speeding near the school &amp; crashes</p>",
        "non-english.txt": "Comité consultivo. La policía habló de los robos. 警察の会議。",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8", newline="")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 40)
    names = [*files, "binary.bin"]

    result = run_jcpp("tag", *names, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(names)
    records = [json.loads(line) for line in lines]
    assert [r["file"] for r in records] == names
    for name, record in zip(names, records, strict=True):
        text = (tmp_path / name).read_text(encoding="utf-8", errors="replace")
        assert_record(record, text)
    minutes = records[0]
    slugs = {t["slug"] for t in minutes["topics"]}
    assert {"traffic-stops", "community-events"} <= slugs
    assert "Lt. Okafor" in {p["text"] for p in minutes["people"]}
    assert records[2]["topics"] == [] and records[2]["people"] == []


def test_tag_with_a_database_without_a_topic_table_says_so(tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text(MINUTES, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"

    result = run_jcpp("tag", "m.txt", "--database-url", url, cwd=tmp_path)

    assert result.returncode != 0
    assert "no topic table" in result.stderr


def test_tag_reads_the_topic_list_of_a_database(tmp_path: Path) -> None:
    import sqlalchemy as sa
    from sqlmodel import Session, SQLModel

    from jcpp.models import SignalSnapshot
    from jcpp.models.nlp import Topic

    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    engine = sa.create_engine(url)
    # The topic list, and the data version a change to it writes (jcpp.trends.data_version).
    tables = [Topic.__table__, SignalSnapshot.__table__]  # type: ignore[attr-defined]
    SQLModel.metadata.create_all(engine, tables=tables)
    with Session(engine) as session:
        session.add(
            Topic(slug="bikes", name="Bikes", terms=["bicycle"], exclusions=["bicycle cop"])
        )
        session.add(Topic(slug="old", name="Old", terms=["stolen"], active=False))
        session.commit()
    engine.dispose()
    (tmp_path / "m.txt").write_text("Two bicycles were stolen.", encoding="utf-8")

    result = run_jcpp("tag", "m.txt", "--database-url", url, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert [t["slug"] for t in json.loads(result.stdout)["topics"]] == ["bikes"]


def test_evaluate_prints_figures_as_text_and_json(tmp_path: Path) -> None:
    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir()
    gold.mkdir()
    (docs / "m1.txt").write_text(MINUTES, encoding="utf-8")
    quote = "Lt. Okafor will bring stop data by race to the April meeting."
    (gold / "m1.json").write_text(
        json.dumps(
            {
                "file": "m1.txt",
                "topics": [{"slug": "traffic-stops", "evidence": quote}],
                "concerns": [],
                "actions": [{"text": quote, "owner": "Lt. Okafor"}],
            }
        ),
        encoding="utf-8",
    )

    text = run_jcpp("evaluate", str(gold), "--minutes-dir", str(docs))
    as_json = run_jcpp("evaluate", str(gold), "--json")

    assert text.returncode == 0, text.stderr
    assert "topics" in text.stdout and "per topic" in text.stdout
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert report["documents"] == 1
    assert report["topics"]["micro"]["recall"] == 1.0
    assert set(report) == {"documents", "topics", "concerns", "actions"}
    assert "traffic-stops" in report["topics"]["per_topic"]
