"""the publish journal: what changed in the catalog since a publish, kept by triggers

Revision ID: 0012_publish_journal
Revises: 0011_facet_counts
Create Date: 2026-12-06 19:30:00

A publish of one change must not read the whole catalog (issue 15). Triggers on the nine
tables a publish reads write one journal row per touched photo, camera, lens, city, tag or
collection; touching it again replaces its row with one at a higher ``rev`` (AUTOINCREMENT:
never reused), so the journal holds at most one row per thing and ``rev > n`` is what
changed since revision ``n``. Being triggers, every writer (desktop, CLI, an import, a
hand-written SQL statement) is journalled. ``publish_journal_meta`` names this catalog's
journal (a random epoch), so a snapshot published from another catalog is never mistaken
for this one's. See catalog/journal.py and publisher/incremental.py.
"""

from alembic import op

revision = "0012_publish_journal"
down_revision = "0011_facet_counts"
branch_labels = None
depends_on = None

# table -> [(journal kind, column of the row naming it)]
WATCHED = {
    "photos": [("photo", "id")],
    "exif_data": [("photo", "photo_id")],
    "photo_tags": [("photo", "photo_id")],
    "cameras": [("camera", "id")],
    "lenses": [("lens", "id")],
    "cities": [("city", "id")],
    "tags": [("tag", "id")],
    "collections": [("collection", "id")],
    "collection_photos": [("collection", "collection_id")],
}


def _note(kind: str, value: str) -> str:
    # DELETE then a plain INSERT, never INSERT OR REPLACE: a trigger's conflict clause is
    # overridden by the outer statement's (an INSERT OR IGNORE would silently skip the note).
    return (
        f"DELETE FROM publish_journal WHERE kind = '{kind}' AND ref = {value}; "
        f"INSERT INTO publish_journal (kind, ref) VALUES ('{kind}', {value});"
    )


def trigger_sql() -> list[str]:
    """The CREATE TRIGGER statements (catalog/journal.py checks they are all present)."""
    statements = []
    for table, notes in WATCHED.items():
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
            body = " ".join(
                _note(kind, f"{row}.{column}") for kind, column in notes for row in rows
            )
            statements.append(
                f"CREATE TRIGGER publish_journal_{table}_{event.lower()} AFTER {event} ON "
                f"{table} BEGIN {body} END"
            )
    return statements


def upgrade() -> None:
    op.execute(
        "CREATE TABLE publish_journal (rev INTEGER PRIMARY KEY AUTOINCREMENT, "
        "kind TEXT NOT NULL, ref TEXT NOT NULL)"
    )
    op.execute("CREATE UNIQUE INDEX ix_publish_journal_kind_ref ON publish_journal (kind, ref)")
    op.execute("CREATE TABLE publish_journal_meta (epoch TEXT NOT NULL)")
    op.execute("INSERT INTO publish_journal_meta (epoch) VALUES (lower(hex(randomblob(16))))")
    for statement in trigger_sql():
        op.execute(statement)


def downgrade() -> None:
    for table in WATCHED:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS publish_journal_{table}_{event}")
    op.execute("DROP TABLE publish_journal_meta")
    op.execute("DROP TABLE publish_journal")
