"""sandbox payments adapter's charges in the database

The sandbox payments adapter kept its charges in process memory, so the recovery pass of
`orderhub worker` (another process) asked an empty adapter and could close a charged
payment as `not_charged`. Its charges, by idempotency key, are now a table every process
shares.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

import orderhub.db

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sandbox_payment_charges",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decline_code", sa.String(length=40), nullable=True),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("created_at", orderhub.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sandbox_payment_charges")),
    )
    # Retention deletes the oldest first.
    op.create_index(
        "ix_sandbox_payment_charges_created_at", "sandbox_payment_charges", ["created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_sandbox_payment_charges_created_at", table_name="sandbox_payment_charges")
    op.drop_table("sandbox_payment_charges")
