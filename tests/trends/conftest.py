"""Databases of their own for the CLI tests (tests/cli/conftest.py)."""

from tests.cli.conftest import blank_database_url, database_url

__all__ = ["blank_database_url", "database_url"]
