"""a photo's date may be a day without a time: photos.date_taken_precision ("day" or NULL)

Revision ID: 0010_date_precision_meta
Revises: 0009_raw_pairs
Create Date: 2026-12-06 05:30:00

XMP ``photoshop:DateCreated`` and IPTC ``DateCreated`` may give only a day ("2009-05-03").
``date_taken`` keeps it at midnight, where it sorts; the precision says it is shown without
a time. Photos imported before stay NULL (as precise as the camera wrote it) until
reprocessed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_date_precision_meta"
down_revision = "0009_raw_pairs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("photos", sa.Column("date_taken_precision", sa.String(length=8), nullable=True))


def downgrade() -> None:
    op.drop_column("photos", "date_taken_precision")
