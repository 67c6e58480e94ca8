"""Medicine safety: screening reviews and acknowledged interactions, the medicine given,
the pre-dose hold review, early discharge, sedation per reading.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screenings") as batch_op:
        batch_op.add_column(
            sa.Column("review_reason", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("review_by", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("review_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("review_covers", sa.JSON(), server_default="[]", nullable=False)
        )
        batch_op.add_column(
            sa.Column("interaction_acks", sa.JSON(), server_default="{}", nullable=False)
        )
    with op.batch_alter_table("medicine_sessions") as batch_op:
        batch_op.add_column(
            sa.Column(
                "medicine", sa.String(length=30), server_default="racemic_ketamine", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("form", sa.String(length=30), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("hold_review_reason", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("hold_review_by", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("hold_review_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("early_discharge_reason", sa.Text(), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("ready_to_leave_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("vital_readings") as batch_op:
        batch_op.add_column(sa.Column("sedation", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vital_readings") as batch_op:
        batch_op.drop_column("sedation")
    with op.batch_alter_table("medicine_sessions") as batch_op:
        for name in (
            "ready_to_leave_at",
            "early_discharge_reason",
            "hold_review_at",
            "hold_review_by",
            "hold_review_reason",
            "form",
            "medicine",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("screenings") as batch_op:
        for name in (
            "interaction_acks",
            "review_covers",
            "review_at",
            "review_by",
            "review_reason",
        ):
            batch_op.drop_column(name)
