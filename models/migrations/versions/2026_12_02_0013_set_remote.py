"""A set says whether it also ran on a client's own device, and how it kept time there.

Sets logged before this revision ran on the console's screens only.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bls_sets") as batch_op:
        batch_op.add_column(sa.Column("remote", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("bls_sets") as batch_op:
        batch_op.drop_column("remote")
