"""`jcpp serve`: what it prints before handing over to uvicorn."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from jcpp.cli import app
from jcpp.config import get_settings

PASSWORD = "quiet-heron-17"


@pytest.fixture
def demo_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "var" / "demo-credentials.txt"
    path.parent.mkdir()
    path.write_text(f"Demo accounts:\n  admin  admin@example.org  {PASSWORD}\n")
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(kwargs))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()
    assert len(started) == 1  # the server was started after printing


def test_serve_names_the_demo_credentials_file_without_the_passwords(
    runner: CliRunner, demo_credentials: Path
) -> None:
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert str(demo_credentials.resolve()) in result.output
    assert PASSWORD not in result.output


def test_serve_in_production_says_nothing_of_demo_accounts(
    runner: CliRunner, demo_credentials: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JCPP_ENVIRONMENT", "production")
    monkeypatch.setenv("JCPP_SECRET_KEY", secrets.token_urlsafe(48))
    get_settings.cache_clear()
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert "demo-credentials" not in result.output
    assert PASSWORD not in result.output
