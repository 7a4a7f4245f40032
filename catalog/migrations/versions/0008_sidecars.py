"""XMP sidecars: which one a photo's owner values were read from, and when

Revision ID: 0008_sidecars
Revises: 0007_operations
Create Date: 2026-12-06 03:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_sidecars"
down_revision = "0007_operations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "photo_sidecars",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column(
            "photo_id",
            sa.String(36),
            sa.ForeignKey("photos.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("extras", sa.Text(), nullable=False, server_default="{}"),
    )


def downgrade() -> None:
    op.drop_table("photo_sidecars")
