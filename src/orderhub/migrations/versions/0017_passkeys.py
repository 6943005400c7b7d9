"""consumer passkeys (WebAuthn credentials and their challenges)

Placeholder reserved for this change; its owner fills in upgrade() and downgrade().

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 00:00:00
"""

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
