"""The pacer's set log: one row per set of bilateral stimulation.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bls_sets",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("speed_hz", sa.Double(), nullable=False),
        sa.Column("path", sa.String(length=20), nullable=False),
        sa.Column("profile", sa.String(length=20), nullable=False),
        sa.Column("sound", sa.String(length=20), nullable=False),
        sa.Column("passes_completed", sa.Integer(), nullable=False),
        sa.Column("ended_by", sa.String(length=20), nullable=False),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("frame_p50_ms", sa.Double(), nullable=True),
        sa.Column("frame_p99_ms", sa.Double(), nullable=True),
        sa.Column("late_frames", sa.Integer(), nullable=False),
        sa.Column("max_position_error_px", sa.Double(), nullable=True),
        sa.Column("sud", sa.Integer(), nullable=True),
        sa.Column("voc", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_bls_sets_session_id_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bls_sets")),
    )
    with op.batch_alter_table("bls_sets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bls_sets_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bls_sets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bls_sets_session_id"))
    op.drop_table("bls_sets")
