"""the owner's rotation of a photo, and the AI tags the owner removed from it

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 05:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("photos", sa.Column("rotation", sa.Integer(), server_default="0", nullable=False))
    op.add_column("photos", sa.Column("ai_tags_refused", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite's own DROP COLUMN (3.35+), not a batch copy: dropping the old table under
    # foreign keys would cascade into every table that points at photos.
    op.drop_column("photos", "ai_tags_refused")
    op.drop_column("photos", "rotation")
