"""The search world, and databases of their own for the CLI tests (tests/cli/conftest.py)."""

from tests.cli.conftest import blank_database_url, database_url
from tests.search.helpers import search_world

__all__ = ["blank_database_url", "database_url", "search_world"]
