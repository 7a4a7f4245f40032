"""RAW+JPEG pairs: the camera RAW shot with a JPEG is kept with the JPEG's photo

Revision ID: 0009_raw_pairs
Revises: 0008_sidecars
Create Date: 2026-12-06 03:30:00

One photo, two files (Lightroom's default for RAW+JPEG): ``source_path`` stays the file
the thumbnails and renditions come from (the JPEG), ``companion_path`` is the RAW beside it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_raw_pairs"
down_revision = "0008_sidecars"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("photos", sa.Column("companion_path", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite's own DROP COLUMN, not a batch copy (which would cascade through foreign keys).
    op.drop_column("photos", "companion_path")
