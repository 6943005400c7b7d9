"""consumer orders move by themselves: `orders.fulfillment_due_at`, indexed

When the fulfillment port is next asked about a submitted consumer order
(orders/progress.py); null for other channels and once an order is final. Orders
submitted before this revision keep a null due time: operations move them with
`orderhub orders set-status`, as before.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 00:00:00
"""

import sqlalchemy as sa
from alembic import op

import orderhub.db

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column: a plain ALTER TABLE ... ADD COLUMN on SQLite too (no table copy).
    op.add_column(
        "orders",
        sa.Column("fulfillment_due_at", orderhub.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_orders_fulfillment_due_at", "orders", ["fulfillment_due_at"])


def downgrade() -> None:
    op.drop_index("ix_orders_fulfillment_due_at", table_name="orders")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("fulfillment_due_at")
