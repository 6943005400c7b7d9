"""Indexes on order_items.offer_id and inventory_account_access.partner_id

An offering that was ever ordered is not deleted (catalog/offerings.py asks whether an
order item points at it), and PostgreSQL checks the same foreign key when an offer row
is deleted: both scanned every order item without this index. A partner's TMF637 and
TMF629 lists first find the accounts it may act on, by partner: the access table's key
starts with the account number.

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
    op.create_index(
        "ix_inventory_account_access_partner", "inventory_account_access", ["partner_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_inventory_account_access_partner", "inventory_account_access")
    with op.batch_alter_table("order_items") as batch:
        batch.drop_index("ix_order_items_offer_id")
