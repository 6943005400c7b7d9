"""indexes for retention (age columns) and for counting orders by status (/metrics)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 00:30:00
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_idempotency_records_created_at", "idempotency_records", ["created_at"]),
    ("ix_otp_challenges_expires_at", "otp_challenges", ["expires_at"]),
    ("ix_outbox_events_created_at", "outbox_events", ["created_at"]),
    ("ix_webhook_deliveries_created_at", "webhook_deliveries", ["created_at"]),
    ("ix_webhook_deliveries_event_seq", "webhook_deliveries", ["event_seq"]),
    ("ix_sandbox_messages_created_at", "sandbox_messages", ["created_at"]),
    ("ix_onboarding_orders_status", "onboarding_orders", ["status"]),
    ("ix_care_orders_status", "care_orders", ["status"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
