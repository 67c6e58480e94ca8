"""Medicine course: screening, medicine sessions, vitals, adverse events, templates, attendance.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "program_templates",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_templates")),
    )
    op.create_table(
        "screenings",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("baseline_systolic", sa.Integer(), nullable=True),
        sa.Column("baseline_diastolic", sa.Integer(), nullable=True),
        sa.Column("medications", sa.Text(), nullable=False),
        sa.Column("consent_date", sa.Date(), nullable=True),
        sa.Column("consent_version", sa.String(length=60), nullable=False),
        sa.Column("fasting_acknowledged", sa.Boolean(), nullable=False),
        sa.Column("ride_home_arranged", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("override_by", sa.String(length=200), nullable=False),
        sa.Column("override_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_screenings_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screenings")),
        sa.UniqueConstraint("client_id", name=op.f("uq_screenings_client_id")),
    )
    op.create_table(
        "medicine_sessions",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("dose_mg", sa.Float(), nullable=True),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("mg_per_kg", sa.Float(), nullable=True),
        sa.Column("lot_number", sa.String(length=60), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=True),
        sa.Column("given_by", sa.String(length=200), nullable=False),
        sa.Column("monitored_by", sa.String(length=200), nullable=False),
        sa.Column("second_dose_mg", sa.Float(), nullable=True),
        sa.Column("second_given_at", sa.DateTime(), nullable=True),
        sa.Column("dissociation_scale", sa.String(length=20), nullable=False),
        sa.Column("dissociation_total", sa.Integer(), nullable=True),
        sa.Column("client_state", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("discharge_alert", sa.Boolean(), nullable=False),
        sa.Column("discharge_vitals_in_range", sa.Boolean(), nullable=False),
        sa.Column("discharge_escort_present", sa.Boolean(), nullable=False),
        sa.Column("discharged_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_medicine_sessions_session_id_sessions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medicine_sessions")),
        sa.UniqueConstraint("session_id", name=op.f("uq_medicine_sessions_session_id")),
    )
    op.create_table(
        "adverse_events",
        sa.Column("medicine_session_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("severity", sa.String(length=20), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("medication_given", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["medicine_session_id"],
            ["medicine_sessions.id"],
            name=op.f("fk_adverse_events_medicine_session_id_medicine_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adverse_events")),
    )
    with op.batch_alter_table("adverse_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_adverse_events_medicine_session_id"),
            ["medicine_session_id"],
            unique=False,
        )

    op.create_table(
        "vital_readings",
        sa.Column("medicine_session_id", sa.Uuid(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("pre_dose", sa.Boolean(), nullable=False),
        sa.Column("systolic", sa.Integer(), nullable=False),
        sa.Column("diastolic", sa.Integer(), nullable=False),
        sa.Column("heart_rate", sa.Integer(), nullable=False),
        sa.Column("spo2", sa.Integer(), nullable=False),
        sa.Column("respiratory_rate", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["medicine_session_id"],
            ["medicine_sessions.id"],
            name=op.f("fk_vital_readings_medicine_session_id_medicine_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vital_readings")),
    )
    with op.batch_alter_table("vital_readings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vital_readings_medicine_session_id"),
            ["medicine_session_id"],
            unique=False,
        )

    # A plain column, so SQLite adds it in place rather than rebuilding "sessions"
    # (which every record refers to); the service checks the values.
    op.add_column(
        "sessions",
        sa.Column("attendance", sa.String(length=32), server_default="done", nullable=False),
    )
    op.execute("UPDATE sessions SET attendance = 'planned' WHERE starts_at > CURRENT_TIMESTAMP")


def downgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("attendance")

    with op.batch_alter_table("vital_readings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vital_readings_medicine_session_id"))

    op.drop_table("vital_readings")
    with op.batch_alter_table("adverse_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_adverse_events_medicine_session_id"))

    op.drop_table("adverse_events")
    op.drop_table("medicine_sessions")
    op.drop_table("screenings")
    op.drop_table("program_templates")
