"""Index on partner_sub_orders (status, order_id)

The console's B2B work queue lists orders with a rejected sub-order even when the order
itself goes on (its other sub-orders are provisioned): it finds them by the sub-orders'
status, which scanned every sub-order without this index, and counts each order's
rejected sub-orders (status and order together: SQLite, without statistics, would pick a
status-only index for that count and read every rejected sub-order per order).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 19:00:00
"""

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_partner_sub_orders_status", "partner_sub_orders", ["status", "order_id"])


def downgrade() -> None:
    op.drop_index("ix_partner_sub_orders_status", "partner_sub_orders")
