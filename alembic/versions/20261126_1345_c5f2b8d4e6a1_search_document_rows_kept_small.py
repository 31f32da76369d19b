"""search documents' rows kept small on PostgreSQL: their terms and tsvector go to TOAST

A search reads the rows of every match it may rank or count; with the terms and their tsvector
(kilobytes for minutes) stored in the row, a common word's matches spread over tens of thousands of
pages. Rows written from now on (every `jcpp search rebuild` rewrites them all) keep only the
small columns in the table.

Revision ID: c5f2b8d4e6a1
Revises: a3d9e1f7c2b4
Create Date: 2026-11-26 13:45:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "c5f2b8d4e6a1"
down_revision: str | None = "a3d9e1f7c2b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("ALTER TABLE search_document SET (toast_tuple_target = 128)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("ALTER TABLE search_document RESET (toast_tuple_target)")
