"""search documents carry their meeting's year as a word of the text index

PostgreSQL's text index hands a common word's matches over unordered, so the newest of them were
found by reading and sorting every match. The year word (`zzyear2026`, last of `terms`; see
`jcpp.search.documents.year_term`) lets a search look among the last two years' documents
first. Existing documents get the word here; the text index follows (PostgreSQL's generated
column by itself, SQLite's FTS5 index rebuilt from its content table).

Revision ID: 5b8e2f4c9a17
Revises: 13ace4d92721
Create Date: 2026-11-27 14:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b8e2f4c9a17"
down_revision: str | None = "13ace4d92721"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The year word is the last of `terms`: " zzyear" and four digits.
_ADD = (
    "UPDATE search_document SET terms = terms || ' zzyear' || {year} "
    "WHERE terms NOT LIKE '% zzyear____'"
)
_ADD_SQLITE = _ADD.format(year="substr(meeting_date, 1, 4)")
_ADD_POSTGRES = _ADD.format(year="to_char(meeting_date, 'YYYY')")
_REMOVE = (
    "UPDATE search_document SET terms = substr(terms, 1, length(terms) - 11) "
    "WHERE terms LIKE '% zzyear____'"
)
_REINDEX_SQLITE = "INSERT INTO search_fts(search_fts) VALUES ('rebuild')"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if _sqlite():
        op.execute(_ADD_SQLITE)
        op.execute(_REINDEX_SQLITE)
    else:
        op.execute(_ADD_POSTGRES)


def downgrade() -> None:
    op.execute(_REMOVE)
    if _sqlite():
        op.execute(_REINDEX_SQLITE)
