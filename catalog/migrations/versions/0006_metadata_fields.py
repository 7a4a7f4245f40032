"""the nearest populated place of a photo (its suburb or district), finer than its city

Revision ID: 0006_metadata_fields
Revises: 0004_private_by_default
Create Date: 2026-12-06 03:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_metadata_fields"
down_revision = "0004_private_by_default"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("photos", sa.Column("locality", sa.String(length=128), nullable=True))


def downgrade() -> None:
    # SQLite's own DROP COLUMN (3.35+), as 0002 does: no table copy under foreign keys.
    op.drop_column("photos", "locality")
