"""private by default: failed imports carry no visibility that could publish them

Rows that failed to import were stored with the old default, ``public``: once the file was
fixed and imported again, the photo went online with nobody having said so. They become
``private``, as new imports are by default now (the owner marks photos public).

Revision ID: 0004_private_by_default
Revises: 0003_missing_originals
Create Date: 2026-12-06 02:40:00
"""

from alembic import op

revision = "0004_private_by_default"
down_revision = "0003_missing_originals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE photos SET visibility = 'private' WHERE status = 'failed'")


def downgrade() -> None:
    # Nothing to undo in the schema; making failed rows public again would publish them the
    # moment they are fixed, which is what this revision stopped. Private is valid before too.
    pass
