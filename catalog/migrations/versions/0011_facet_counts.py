"""facet counts kept by triggers; search rows keyed by the photo's rowid

Revision ID: 0011_facet_counts
Revises: 0010_date_precision_meta
Create Date: 2026-12-06 19:40:00

At a million photos the sidebar's counts took 4 s and a search 7-11 s: both read every
photo (or every match) on each question. Two changes:

* ``facet_counts`` holds, per status, how many photos have each camera, lens, city, year,
  visibility, tag, collection (and "described by AI", and "all"), kept exact by SQLite
  triggers on ``photos``, ``photo_tags`` and ``collection_photos``, whoever writes (the ORM,
  raw SQL, a cascade). The sidebar reads a few hundred tiny rows instead of counting.
* ``photo_search`` rows take the photo's own rowid instead of a hash of its id, so a match is
  joined to ``photos`` (and to its date index) by integer, without reading the FTS content
  table; a trigger drops a deleted photo's row (its rowid is unknown once it is gone).
  VACUUM keeps rowids of a table that has none declared (SQLite copies them), so the key
  holds; tests check it.

A later migration that rebuilds ``photos``, ``photo_tags`` or ``collection_photos`` (Alembic's
batch mode copies the table and drops the old one) drops these triggers with it: it must
create them again (this step's ``_triggers()`` SQL, copied into that step).
"""

import hashlib
from collections.abc import Callable

from alembic import op

revision = "0011_facet_counts"
down_revision = "0010_date_precision_meta"
branch_labels = None
depends_on = None

_COLUMNS = "photo_id UNINDEXED, title, description, tags, camera, lens, city, file, folder"
_NAMES = "photo_id, title, description, tags, camera, lens, city, file, folder"
_TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"

# facet name -> the SQL of its key for a photo row (``{r}`` is NEW or OLD); '' for none
_PHOTO_FACETS = {
    "all": "''",
    "camera": "coalesce({r}.camera_id, '')",
    "lens": "coalesce({r}.lens_id, '')",
    "city": "coalesce({r}.city_id, '')",
    "year": "coalesce(substr({r}.date_taken, 1, 4), '')",
    "visibility": "coalesce({r}.visibility, '')",
    "described": "CASE WHEN {r}.ai_described_at IS NULL THEN '' ELSE '1' END",
}
# facet name -> (link table, its key column)
_LINK_FACETS = {
    "tag": ("photo_tags", "tag_id"),
    "collection": ("collection_photos", "collection_id"),
}
# the column whose change moves a photo facet, and the test that it changed
_CHANGED = {
    "camera": ("camera_id", "OLD.camera_id IS NOT NEW.camera_id"),
    "lens": ("lens_id", "OLD.lens_id IS NOT NEW.lens_id"),
    "city": ("city_id", "OLD.city_id IS NOT NEW.city_id"),
    "year": ("date_taken", "substr(OLD.date_taken, 1, 4) IS NOT substr(NEW.date_taken, 1, 4)"),
    "visibility": ("visibility", "OLD.visibility IS NOT NEW.visibility"),
    "described": (
        "ai_described_at",
        "(OLD.ai_described_at IS NULL) IS NOT (NEW.ai_described_at IS NULL)",
    ),
}


def _add(facet: str, key: str, status: str) -> str:
    return (
        f"INSERT INTO facet_counts (facet, key, status, n) VALUES ('{facet}', {key}, {status}, 1)"
        " ON CONFLICT (facet, key, status) DO UPDATE SET n = n + 1;"
    )


def _sub(facet: str, key: str, status: str) -> str:
    return (
        f"UPDATE facet_counts SET n = n - 1 WHERE facet = '{facet}' AND key = {key}"
        f" AND status = {status};"
    )


def _links_add(facet: str, photo: str, status: str) -> str:
    table, column = _LINK_FACETS[facet]
    return (
        f"INSERT INTO facet_counts (facet, key, status, n) SELECT '{facet}', {column}, {status}, 1"
        f" FROM {table} WHERE photo_id = {photo}"
        " ON CONFLICT (facet, key, status) DO UPDATE SET n = n + 1;"
    )


def _links_sub(facet: str, photo: str, status: str) -> str:
    table, column = _LINK_FACETS[facet]
    return (
        f"UPDATE facet_counts SET n = n - 1 WHERE facet = '{facet}' AND status = {status}"
        f" AND key IN (SELECT {column} FROM {table} WHERE photo_id = {photo});"
    )


def _photo_all(change: Callable[[str, str, str], str], row: str) -> str:
    return "\n".join(change(f, k.format(r=row), f"{row}.status") for f, k in _PHOTO_FACETS.items())


def _triggers() -> dict[str, str]:
    """Trigger name -> CREATE TRIGGER statement."""
    out = {
        "facet_counts_photo_insert": (
            "AFTER INSERT ON photos BEGIN\n" + _photo_all(_add, "NEW") + "\nEND"
        ),
        # BEFORE: the photo's links are still there (a cascade removes them after the row)
        "facet_counts_photo_delete": (
            "BEFORE DELETE ON photos BEGIN\n"
            + _photo_all(_sub, "OLD")
            + "\n"
            + "\n".join(_links_sub(f, "OLD.id", "OLD.status") for f in _LINK_FACETS)
            + "\nEND"
        ),
        "search_photo_delete": (
            "AFTER DELETE ON photos BEGIN\nDELETE FROM photo_search WHERE rowid = OLD.rowid;\nEND"
        ),
        # a status change moves every count of the photo (with the row's other changes,
        # which the per-column triggers below then leave alone)
        "facet_counts_photo_status": (
            "AFTER UPDATE OF status ON photos WHEN OLD.status IS NOT NEW.status BEGIN\n"
            + _photo_all(_sub, "OLD")
            + "\n"
            + _photo_all(_add, "NEW")
            + "\n"
            + "\n".join(
                _links_sub(f, "OLD.id", "OLD.status") + "\n" + _links_add(f, "NEW.id", "NEW.status")
                for f in _LINK_FACETS
            )
            + "\nEND"
        ),
    }
    for facet, (column, changed) in _CHANGED.items():
        key = _PHOTO_FACETS[facet]
        out[f"facet_counts_photo_{facet}"] = (
            f"AFTER UPDATE OF {column} ON photos"
            f" WHEN {changed} AND OLD.status IS NEW.status BEGIN\n"
            + _sub(facet, key.format(r="OLD"), "OLD.status")
            + "\n"
            + _add(facet, key.format(r="NEW"), "NEW.status")
            + "\nEND"
        )
    for facet, (table, column) in _LINK_FACETS.items():
        status = "(SELECT status FROM photos WHERE id = {r}.photo_id)"
        add_new = (
            f"INSERT INTO facet_counts (facet, key, status, n)"
            f" SELECT '{facet}', NEW.{column}, status, 1 FROM photos WHERE id = NEW.photo_id"
            " ON CONFLICT (facet, key, status) DO UPDATE SET n = n + 1;"
        )
        # a photo already deleted (a cascade after its BEFORE DELETE) matches no status
        sub_old = _sub(facet, f"OLD.{column}", status.format(r="OLD"))
        out[f"facet_counts_{table}_insert"] = f"AFTER INSERT ON {table} BEGIN\n{add_new}\nEND"
        out[f"facet_counts_{table}_delete"] = f"AFTER DELETE ON {table} BEGIN\n{sub_old}\nEND"
        out[f"facet_counts_{table}_update"] = (
            f"AFTER UPDATE OF {column}, photo_id ON {table}"
            f" WHEN OLD.{column} IS NOT NEW.{column} OR OLD.photo_id IS NOT NEW.photo_id BEGIN\n"
            f"{sub_old}\n{add_new}\nEND"
        )
    return out


def _fill_counts() -> None:
    for facet, key in _PHOTO_FACETS.items():
        rows = f"SELECT {key.format(r='photos')} AS k, status FROM photos"
        op.execute(
            f"INSERT INTO facet_counts (facet, key, status, n)"
            f" SELECT '{facet}', k, status, count(*) FROM ({rows}) GROUP BY k, status"
        )
    for facet, (table, column) in _LINK_FACETS.items():
        op.execute(
            f"INSERT INTO facet_counts (facet, key, status, n)"
            f" SELECT '{facet}', l.{column}, p.status, count(*) FROM {table} l"
            f" JOIN photos p ON p.id = l.photo_id GROUP BY l.{column}, p.status"
        )


def _rekey_search(select_rowid: str) -> None:
    """Copy ``photo_search`` into a table keyed by ``select_rowid`` (SQL over ``p``, the
    photo, and ``s``, its search row), in rowid order, merged into one segment."""
    op.execute(f"CREATE VIRTUAL TABLE photo_search_rekeyed USING fts5({_COLUMNS}, {_TOKENIZE})")
    names = ", ".join(f"s.{n.strip()}" for n in _NAMES.split(","))
    op.execute(
        f"INSERT INTO photo_search_rekeyed (rowid, {_NAMES}) SELECT {select_rowid}, {names}"
        " FROM photo_search s JOIN photos p ON p.id = s.photo_id ORDER BY 1"
    )
    op.execute("DROP TABLE photo_search")
    op.execute("ALTER TABLE photo_search_rekeyed RENAME TO photo_search")
    op.execute("INSERT INTO photo_search (photo_search) VALUES ('optimize')")


def upgrade() -> None:
    op.execute(
        "CREATE TABLE facet_counts (facet TEXT NOT NULL, key TEXT NOT NULL,"
        " status TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (facet, key, status))"
        " WITHOUT ROWID"
    )
    _fill_counts()
    _rekey_search("p.rowid")
    for name, body in _triggers().items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def _hash_rowid(photo_id: str) -> int:
    digest = hashlib.blake2b(photo_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & ((1 << 62) - 1)


def downgrade() -> None:
    for name in _triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE facet_counts")
    raw = op.get_bind().connection.driver_connection
    assert raw is not None  # a live sqlite3 connection during a migration
    raw.create_function("hash_rowid", 1, _hash_rowid, deterministic=True)
    _rekey_search("hash_rowid(p.id)")
