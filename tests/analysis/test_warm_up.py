"""The app builds the NLP pipeline as it starts (JCPP_WARM_UP), changing nothing in the database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, func, select
from starlette.testclient import TestClient

from jcpp import migrations
from jcpp.analysis import service
from jcpp.config import get_settings
from jcpp.db import get_engine, make_engine
from jcpp.main import create_app
from jcpp.models import Topic


@pytest.fixture
def fresh_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'jcpp.sqlite3'}"
    migrations.upgrade("head", url=url)
    monkeypatch.setenv("JCPP_DATABASE_URL", url)
    monkeypatch.setenv("JCPP_WARM_UP", "true")
    get_settings.cache_clear()
    get_engine.cache_clear()
    service.forget_pipelines()
    yield url
    get_engine().dispose()
    get_settings.cache_clear()
    get_engine.cache_clear()


def _warm_up_thread() -> threading.Thread:
    (thread,) = [t for t in threading.enumerate() if t.name == "nlp-warm-up"]
    return thread


def test_the_pipeline_is_built_as_the_app_starts_and_the_database_is_left_as_it_was(
    fresh_database: str,
) -> None:
    assert service._pipelines == {}
    with TestClient(create_app()):
        _warm_up_thread().join(timeout=120)
        assert len(service._pipelines) == 1  # before any request
    engine = make_engine(fresh_database)
    with Session(engine) as session:  # the shipped list is loaded by the first real write
        assert session.exec(select(func.count()).select_from(Topic)).one() == 0
    engine.dispose()


def test_a_database_not_migrated_yet_is_left_for_the_first_request_to_report(
    tmp_path: Path,
    fresh_database: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("JCPP_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    get_settings.cache_clear()
    get_engine.cache_clear()
    with TestClient(create_app()) as client:
        _warm_up_thread().join(timeout=120)
        assert client.get("/healthz").status_code == 200  # the app itself still starts
    assert service._pipelines == {}
    assert "NLP pipeline not built ahead" in caplog.text
