"""Every setting is documented in the README's configuration table (after Datasette)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from jcpp.config import Settings


def test_every_setting_is_in_the_readme(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text()
    names = [f"JCPP_{name.upper()}" for name in Settings.model_fields]
    missing = [name for name in names if f"`{name}`" not in readme]
    assert missing == [], f"settings missing from the README's table: {missing}"


def test_production_refuses_placeholder_secret() -> None:
    with pytest.raises(ValidationError, match="JCPP_SECRET_KEY"):
        Settings(environment="production", secret_key="change-me")


def test_development_generates_and_keeps_a_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(environment="development", secret_key="")
    first = settings.effective_secret_key()
    assert len(first) >= 32
    assert settings.effective_secret_key() == first
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0
