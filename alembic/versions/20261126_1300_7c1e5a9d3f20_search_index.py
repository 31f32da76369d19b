"""search index: documents (minutes, agenda items, concerns, follow-ups) with their lemmas,
their topics, and the text index (FTS5 on SQLite, a tsvector with a GIN index on PostgreSQL)

Revision ID: 7c1e5a9d3f20
Revises: 0dd21cf858be
Create Date: 2026-11-26 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "7c1e5a9d3f20"
down_revision: str | None = "0dd21cf858be"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.Integer(), nullable=False),
        sa.Column("committee_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_document_city_id"), ["city_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_search_document_committee_id"), ["committee_id"], unique=False
        )
        batch_op.create_index(
            "ix_search_document_meeting_date", ["meeting_date", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_search_document_meeting_id"), ["meeting_id"], unique=False
        )

    op.create_table(
        "search_document_topic",
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["search_document.id"]),
        sa.ForeignKeyConstraint(["topic_id"], ["topic.id"]),
        sa.PrimaryKeyConstraint("topic_id", "document_id"),
    )
    with op.batch_alter_table("search_document_topic", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_document_topic_document_id"), ["document_id"], unique=False
        )

    # The text index, which no model describes (see jcpp.models.search).
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "terms, content='search_document', content_rowid='id', "
            "tokenize='unicode61', detail='full')"
        )
    else:
        op.execute(
            "ALTER TABLE search_document ADD COLUMN terms_tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, terms)) STORED"
        )
        op.execute(
            "CREATE INDEX ix_search_document_terms_tsv ON search_document USING gin (terms_tsv)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    with op.batch_alter_table("search_document_topic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_document_topic_document_id"))

    op.drop_table("search_document_topic")
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_document_meeting_id"))
        batch_op.drop_index("ix_search_document_meeting_date")
        batch_op.drop_index(batch_op.f("ix_search_document_committee_id"))
        batch_op.drop_index(batch_op.f("ix_search_document_city_id"))

    op.drop_table("search_document")
