"""originals that went missing (drive unplugged, folder renamed): when the catalog noticed

Revision ID: 0003_missing_originals
Revises: 0002
Create Date: 2026-12-06 02:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_missing_originals"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("photos", sa.Column("missing_since", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # SQLite's own DROP COLUMN, not a batch copy (which would cascade through foreign keys).
    op.drop_column("photos", "missing_since")
