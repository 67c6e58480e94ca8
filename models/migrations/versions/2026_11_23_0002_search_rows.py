"""Search index: find rows by key without a full scan; emoji and symbols are words.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

FTS5 cannot index its UNINDEXED columns, so replacing a record's entry by
(kind, record_id) read the whole index on every save. `search_rows` maps each
record to its FTS rowid. The tokenizer now keeps other symbols (So: emoji,
check marks) as tokens, so "❤" or "😀" in a note can be found; modifier
symbols such as ^ stay separators. The index is
rebuilt from its own stored text; no record is read or changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLUMNS = (
    "kind UNINDEXED, record_id UNINDEXED, client_id UNINDEXED, private UNINDEXED, title, body"
)
_TOKENIZE = "unicode61 remove_diacritics 2 categories 'L* N* Co So'"


def upgrade() -> None:
    op.execute(
        f'CREATE VIRTUAL TABLE search_index_v2 USING fts5({_COLUMNS}, tokenize = "{_TOKENIZE}")'
    )
    op.execute(
        "INSERT INTO search_index_v2 (rowid, kind, record_id, client_id, private, title, body) "
        "SELECT rowid, kind, record_id, client_id, private, title, body FROM search_index"
    )
    op.execute("DROP TABLE search_index")
    op.execute("ALTER TABLE search_index_v2 RENAME TO search_index")
    op.create_table(
        "search_rows",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("fts_rowid", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "record_id", name=op.f("pk_search_rows")),
    )
    op.execute(
        "INSERT INTO search_rows (kind, record_id, fts_rowid) "
        "SELECT kind, record_id, max(rowid) FROM search_index GROUP BY kind, record_id"
    )


def downgrade() -> None:
    op.drop_table("search_rows")
    op.execute(
        "CREATE VIRTUAL TABLE search_index_v1 USING fts5("
        f"{_COLUMNS}, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute(
        "INSERT INTO search_index_v1 (rowid, kind, record_id, client_id, private, title, body) "
        "SELECT rowid, kind, record_id, client_id, private, title, body FROM search_index"
    )
    op.execute("DROP TABLE search_index")
    op.execute("ALTER TABLE search_index_v1 RENAME TO search_index")
