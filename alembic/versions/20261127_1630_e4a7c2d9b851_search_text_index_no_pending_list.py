"""PostgreSQL's text index takes each new document at once (no pending list)

A GIN index with `fastupdate` (PostgreSQL's default) puts new entries in a pending list that
every search must read through, row by row, until a vacuum (or 4 MB of them) merges it into the
index: on the state-scale database a pending list of 5,676 documents cost each search 1-6 ms
(a rare word's 1.2 ms against 0.3 without). Searches are many and new documents few (minutes
saved a few times a month per committee), so the index takes each document as it comes. The
pending list there is merged now. SQLite is untouched.

Revision ID: e4a7c2d9b851
Revises: 5b8e2f4c9a17
Create Date: 2026-11-27 16:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e4a7c2d9b851"
down_revision: str | None = "5b8e2f4c9a17"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _postgres():
        op.execute("ALTER INDEX ix_search_document_terms_tsv SET (fastupdate = off)")
        op.execute("SELECT gin_clean_pending_list('ix_search_document_terms_tsv')")


def downgrade() -> None:
    if _postgres():
        op.execute("ALTER INDEX ix_search_document_terms_tsv RESET (fastupdate)")
