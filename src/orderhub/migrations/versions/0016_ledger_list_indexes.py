"""ledger indexes for the operator's newest-first list, and a smaller due index

`GET /operator/v1/orders` lists newest first; filtered by channel or by common state it
now reads `(channel, created_at, id)` or `(state, created_at, id)` in order instead of sorting
every match (`ix_orders_state` gives way to the latter). The fulfillment worker's index
on `fulfillment_due_at` keeps only the orders it still has to ask about (partial: the
due time is null for other channels and once an order is final).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-11 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

DUE = sa.text("fulfillment_due_at IS NOT NULL")


def upgrade() -> None:
    op.create_index("ix_orders_channel_created", "orders", ["channel", "created_at", "id"])
    op.create_index("ix_orders_state_created", "orders", ["state", "created_at", "id"])
    op.drop_index("ix_orders_state", table_name="orders")
    op.drop_index("ix_orders_fulfillment_due_at", table_name="orders")
    op.create_index(
        "ix_orders_fulfillment_due_at",
        "orders",
        ["fulfillment_due_at"],
        postgresql_where=DUE,
        sqlite_where=DUE,
    )


def downgrade() -> None:
    op.drop_index("ix_orders_fulfillment_due_at", table_name="orders")
    op.create_index("ix_orders_fulfillment_due_at", "orders", ["fulfillment_due_at"])
    op.create_index("ix_orders_state", "orders", ["state"])
    op.drop_index("ix_orders_state_created", table_name="orders")
    op.drop_index("ix_orders_channel_created", table_name="orders")
