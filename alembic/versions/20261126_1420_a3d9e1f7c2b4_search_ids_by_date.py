"""search document ids sort by date (64-bit on PostgreSQL), documents found by source row

Ids now pack the meeting's day, the source row's id and the kind (jcpp.models.search), so the text
index returns the newest matches first. Rows made before keep their old ids until the next
`jcpp search rebuild` (they are still found and kept current).

Revision ID: a3d9e1f7c2b4
Revises: 7c1e5a9d3f20
Create Date: 2026-11-26 14:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "a3d9e1f7c2b4"
down_revision: str | None = "7c1e5a9d3f20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_document_source_id"), ["source_id"], unique=False
        )
    if op.get_bind().dialect.name != "sqlite":  # SQLite's INTEGER is 64 bits already
        op.alter_column("search_document", "id", type_=sa.BigInteger())
        op.alter_column("search_document_topic", "document_id", type_=sa.BigInteger())


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        # Ids of the new kind do not fit 32 bits: the index is emptied (rebuild it after).
        op.execute("TRUNCATE search_document_topic, search_document")
        op.alter_column("search_document_topic", "document_id", type_=sa.Integer())
        op.alter_column("search_document", "id", type_=sa.Integer())
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_document_source_id"))
