"""B2B opportunities as first-class objects and site qualification

Placeholder reserved for this change; its owner fills in upgrade() and downgrade().

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 00:00:00
"""

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
