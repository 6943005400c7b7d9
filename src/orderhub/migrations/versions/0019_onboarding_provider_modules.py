"""onboarding per-provider identifier realms, terms module and order payments

Placeholder reserved for this change; its owner fills in upgrade() and downgrade().

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 00:00:00
"""

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
