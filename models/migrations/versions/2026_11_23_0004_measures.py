"""Outcome measures: one row per questionnaire answered, never edited, only voided.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measure_responses",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=True),
        sa.Column("measure", sa.String(length=20), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("entered_by", sa.String(length=20), nullable=False),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("void_reason", sa.Text(), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_measure_responses_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_measure_responses_session_id_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_responses")),
    )
    with op.batch_alter_table("measure_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measure_responses_client_id"), ["client_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("measure_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_responses_client_id"))
    op.drop_table("measure_responses")
