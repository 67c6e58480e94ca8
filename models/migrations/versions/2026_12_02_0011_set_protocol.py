"""Each set says which worksheet it counts for (EMDR or ART).

Sets logged before this revision did not say; those of an ART session were
ART sets, every other one is taken as an EMDR set.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bls_sets") as batch_op:
        batch_op.add_column(
            sa.Column("protocol", sa.String(length=10), server_default="emdr", nullable=False)
        )
    op.execute(
        "UPDATE bls_sets SET protocol = 'art' "
        "WHERE session_id IN (SELECT id FROM sessions WHERE kind = 'art')"
    )


def downgrade() -> None:
    with op.batch_alter_table("bls_sets") as batch_op:
        batch_op.drop_column("protocol")
