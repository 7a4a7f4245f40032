"""search finds photos by file name and folder: two more columns in photo_search

Revision ID: 0007_operations
Revises: 0006_metadata_fields
Create Date: 2026-12-06 02:40:00

FTS5 tables cannot gain columns, so the table is made again and filled from the catalog
(the same rows catalog.search.reindex() writes; copied here so the step stays as it was
written whatever the app's code becomes).
"""

import hashlib
import os

from alembic import op
from sqlalchemy import text

revision = "0007_operations"
down_revision = "0006_metadata_fields"
branch_labels = None
depends_on = None

_BASE_COLUMNS = "photo_id UNINDEXED, title, description, tags, camera, lens, city"
_TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
_SOURCE_SQL = """
SELECT p.id, p.title, p.description,
       (SELECT group_concat(t.name, ' ') FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id
         WHERE pt.photo_id = p.id) AS tags,
       cam.name AS camera, lens.name AS lens,
       CASE WHEN city.id IS NULL THEN NULL
            ELSE city.name || ' ' || city.admin1 || ' ' || city.country_code END AS city,
       p.source_path
FROM photos p
LEFT JOIN cameras cam ON cam.id = p.camera_id
LEFT JOIN lenses lens ON lens.id = p.lens_id
LEFT JOIN cities city ON city.id = p.city_id
"""


def _rowid(photo_id: str) -> int:
    digest = hashlib.blake2b(photo_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") & ((1 << 62) - 1)


def _rebuild(with_paths: bool) -> None:
    columns = _BASE_COLUMNS + (", file, folder" if with_paths else "")
    op.execute("DROP TABLE photo_search")
    op.execute(f"CREATE VIRTUAL TABLE photo_search USING fts5({columns}, {_TOKENIZE})")
    names = [c.strip().split()[0] for c in columns.split(",")]
    insert = text(
        f"INSERT INTO photo_search(rowid, {', '.join(names)}) "
        f"VALUES (:rowid, {', '.join(':' + n for n in names)})"
    )
    bind = op.get_bind()
    rows = bind.execute(text(_SOURCE_SQL)).mappings().all()
    params = []
    for row in rows:
        record = {k: row[k] for k in ("title", "description", "tags", "camera", "lens", "city")}
        record.update(rowid=_rowid(row["id"]), photo_id=row["id"])
        if with_paths:
            record.update(file=os.path.basename(row["source_path"]),
                          folder=os.path.dirname(row["source_path"]))  # fmt: skip
        params.append(record)
    if params:
        bind.execute(insert, params)


def upgrade() -> None:
    _rebuild(with_paths=True)


def downgrade() -> None:
    _rebuild(with_paths=False)
