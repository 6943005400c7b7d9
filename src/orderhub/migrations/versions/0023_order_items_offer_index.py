"""An index on order_items.offer_id

An offering that was ever ordered is not deleted (catalog/offerings.py asks whether an
order item points at it), and PostgreSQL checks the same foreign key when an offer row
is deleted: both scanned every order item without this index.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 12:00:00
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("order_items") as batch:
        batch.create_index("ix_order_items_offer_id", ["offer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("order_items") as batch:
        batch.drop_index("ix_order_items_offer_id")
