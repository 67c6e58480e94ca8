"""Worksheets: EMDR targets and session work, ART and imagery rescripting.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "emdr_targets",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("memory", sa.Text(), nullable=False),
        sa.Column("worst_image", sa.Text(), nullable=False),
        sa.Column("negative_cognition", sa.Text(), nullable=False),
        sa.Column("positive_cognition", sa.Text(), nullable=False),
        sa.Column("voc", sa.Integer(), nullable=True),
        sa.Column("emotions", sa.Text(), nullable=False),
        sa.Column("sud", sa.Integer(), nullable=True),
        sa.Column("body_location", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_emdr_targets_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emdr_targets")),
    )
    with op.batch_alter_table("emdr_targets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_emdr_targets_client_id"), ["client_id"], unique=False)

    op.create_table(
        "art_worksheets",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("scene_title", sa.String(length=200), nullable=False),
        sa.Column("scene_private", sa.Boolean(), nullable=False),
        sa.Column("sud_before", sa.Integer(), nullable=True),
        sa.Column("body_sensations", sa.Text(), nullable=False),
        sa.Column("first_pass", sa.Text(), nullable=False),
        sa.Column("second_pass", sa.Text(), nullable=False),
        sa.Column("replacement", sa.Text(), nullable=False),
        sa.Column("final_check", sa.Text(), nullable=False),
        sa.Column("body_scan", sa.Text(), nullable=False),
        sa.Column("sud_after", sa.Integer(), nullable=True),
        sa.Column("matching_scene", sa.Text(), nullable=False),
        sa.Column("future_scene", sa.Text(), nullable=False),
        sa.Column("current_step", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_art_worksheets_session_id_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_art_worksheets")),
        sa.UniqueConstraint("session_id", name=op.f("uq_art_worksheets_session_id")),
    )
    op.create_table(
        "emdr_session_work",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=True),
        sa.Column("phases_done", sa.JSON(), nullable=False),
        sa.Column("preparation", sa.JSON(), nullable=False),
        sa.Column("interweaves", sa.Text(), nullable=False),
        sa.Column("containment", sa.Text(), nullable=False),
        sa.Column("state_at_end", sa.Text(), nullable=False),
        sa.Column("sud_end", sa.Integer(), nullable=True),
        sa.Column("voc_end", sa.Integer(), nullable=True),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("body_scan_clear", sa.Boolean(), nullable=True),
        sa.Column("body_scan_notes", sa.Text(), nullable=False),
        sa.Column("reevaluation_sud", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_emdr_session_work_session_id_sessions")
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["emdr_targets.id"],
            name=op.f("fk_emdr_session_work_target_id_emdr_targets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emdr_session_work")),
        sa.UniqueConstraint("session_id", name=op.f("uq_emdr_session_work_session_id")),
    )
    with op.batch_alter_table("emdr_session_work", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_emdr_session_work_target_id"), ["target_id"], unique=False
        )

    op.create_table(
        "rescripting_worksheets",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("memory", sa.Text(), nullable=False),
        sa.Column("hotspot", sa.Text(), nullable=False),
        sa.Column("emotions", sa.Text(), nullable=False),
        sa.Column("unmet_needs", sa.Text(), nullable=False),
        sa.Column("who_rescripts", sa.String(length=20), nullable=False),
        sa.Column("rescript", sa.Text(), nullable=False),
        sa.Column("new_meaning", sa.Text(), nullable=False),
        sa.Column("distress_before", sa.Integer(), nullable=True),
        sa.Column("distress_after", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_rescripting_worksheets_session_id_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rescripting_worksheets")),
        sa.UniqueConstraint("session_id", name=op.f("uq_rescripting_worksheets_session_id")),
    )


def downgrade() -> None:
    op.drop_table("rescripting_worksheets")
    with op.batch_alter_table("emdr_session_work", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_emdr_session_work_target_id"))

    op.drop_table("emdr_session_work")
    op.drop_table("art_worksheets")
    with op.batch_alter_table("emdr_targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_emdr_targets_client_id"))

    op.drop_table("emdr_targets")
