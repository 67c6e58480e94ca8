"""IFS parts map: parts, relationships, per-session maps and part work.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ifs_parts",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("activation", sa.Integer(), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("body_location", sa.Text(), nullable=False),
        sa.Column("age", sa.Text(), nullable=False),
        sa.Column("appearance", sa.Text(), nullable=False),
        sa.Column("emotions", sa.Text(), nullable=False),
        sa.Column("burden", sa.Text(), nullable=False),
        sa.Column("fears", sa.Text(), nullable=False),
        sa.Column("positive_intent", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_ifs_parts_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ifs_parts")),
    )
    with op.batch_alter_table("ifs_parts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ifs_parts_client_id"), ["client_id"], unique=False)

    op.create_table(
        "ifs_relations",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=True),
        sa.Column("strength", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_ifs_relations_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["ifs_parts.id"], name=op.f("fk_ifs_relations_source_id_ifs_parts")
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["ifs_parts.id"], name=op.f("fk_ifs_relations_target_id_ifs_parts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ifs_relations")),
    )
    with op.batch_alter_table("ifs_relations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ifs_relations_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ifs_relations_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ifs_relations_target_id"), ["target_id"], unique=False)

    op.create_table(
        "ifs_part_work",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("part_id", sa.Uuid(), nullable=False),
        sa.Column("six_fs", sa.JSON(), nullable=False),
        sa.Column("six_fs_notes", sa.JSON(), nullable=False),
        sa.Column("witnessing", sa.Text(), nullable=False),
        sa.Column("do_over", sa.Text(), nullable=False),
        sa.Column("retrieval", sa.Text(), nullable=False),
        sa.Column("release_element", sa.String(length=20), nullable=False),
        sa.Column("qualities_invited", sa.Text(), nullable=False),
        sa.Column("new_roles", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id"], ["ifs_parts.id"], name=op.f("fk_ifs_part_work_part_id_ifs_parts")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_ifs_part_work_session_id_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ifs_part_work")),
        sa.UniqueConstraint("session_id", "part_id", name="session_part"),
    )
    with op.batch_alter_table("ifs_part_work", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ifs_part_work_part_id"), ["part_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ifs_part_work_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "ifs_session_maps",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("self_energy", sa.Integer(), nullable=True),
        sa.Column("self_cs", sa.JSON(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_ifs_session_maps_client_id_clients")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_ifs_session_maps_session_id_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ifs_session_maps")),
        sa.UniqueConstraint("session_id", name=op.f("uq_ifs_session_maps_session_id")),
    )
    with op.batch_alter_table("ifs_session_maps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ifs_session_maps_client_id"), ["client_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("ifs_session_maps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ifs_session_maps_client_id"))

    op.drop_table("ifs_session_maps")
    with op.batch_alter_table("ifs_part_work", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ifs_part_work_session_id"))
        batch_op.drop_index(batch_op.f("ix_ifs_part_work_part_id"))

    op.drop_table("ifs_part_work")
    with op.batch_alter_table("ifs_relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ifs_relations_target_id"))
        batch_op.drop_index(batch_op.f("ix_ifs_relations_source_id"))
        batch_op.drop_index(batch_op.f("ix_ifs_relations_client_id"))

    op.drop_table("ifs_relations")
    with op.batch_alter_table("ifs_parts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ifs_parts_client_id"))

    op.drop_table("ifs_parts")
