"""Run Alembic from the application (used by `jcpp db` and the tests)."""

from __future__ import annotations

from alembic.config import Config
from sqlalchemy.engine import Connection

from alembic import command
from jcpp.models.scheduler import JOB_STORE_TABLE
from jcpp.models.search import include_name as search_include_name
from jcpp.paths import MIGRATIONS_DIR


def alembic_config(*, url: str | None = None, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.attributes["url"] = url
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(revision: str = "head", **where: object) -> None:
    command.upgrade(alembic_config(**where), revision)  # type: ignore[arg-type]


def downgrade(revision: str, **where: object) -> None:
    command.downgrade(alembic_config(**where), revision)  # type: ignore[arg-type]


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's `include_name`: leave out what no model describes, the search text index
    (made by the migrations) and APScheduler's job store (made by the scheduler)."""
    if type_ == "table" and name == JOB_STORE_TABLE:
        return False
    return search_include_name(name, type_, parent_names)
