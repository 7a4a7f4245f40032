"""Full-text search over title, description, tags, camera, lens, city, file name and folder
(SQLite FTS5).

``photo_search`` spans several tables, so it is kept in step by :func:`reindex`, called by
every write that changes what it holds (ingest, edits, AI, gear merges). Each photo's FTS
row id is the photo's own rowid (migration 0011; before, a hash of its id): replacing one
photo's row is a rowid lookup, not a scan of the UNINDEXED ``photo_id`` column, and a match
joins ``photos`` by integer without reading the FTS content. A trigger drops a deleted
photo's row. ``VACUUM`` keeps the rowids of a table without a declared one (it copies them).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from sqlalchemy import RowMapping, bindparam, text
from sqlalchemy.orm import Session

CHUNK = 500
REBUILD_ABOVE = 2_000  # photos reindexed past which rebuilding everything may be cheaper
_WORD = re.compile(r"\w", re.UNICODE)

_SOURCE_SQL = """
SELECT p.rowid AS photo_rowid, p.id, p.title, p.description,
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

_INSERT_SQL = text(
    "INSERT INTO photo_search(rowid, photo_id, title, description, tags, camera, lens, city, "
    "file, folder) "
    "VALUES (:rowid, :id, :title, :description, :tags, :camera, :lens, :city, :file, :folder)"
)


def reindex(session: Session, photo_ids: Sequence[str] | None = None) -> None:
    """Rebuild the search rows of ``photo_ids`` (all photos when None); removed photos'
    rows are dropped. Runs in the caller's transaction, after flushing its pending ORM
    changes (raw SQL does not autoflush)."""
    session.flush()
    ids = list(dict.fromkeys(photo_ids)) if photo_ids is not None else []
    if photo_ids is None or _most_of_catalog(session, len(ids)):
        # rebuilding all is cheaper than deleting most rows one by one (an FTS5 delete
        # re-reads and re-tokenises the row): a select-all edit, or its undo
        session.execute(text("DELETE FROM photo_search"))
        _insert(session, session.execute(text(_SOURCE_SQL)).mappings().all())
        return
    select_part = text(_SOURCE_SQL + " WHERE p.id IN :ids").bindparams(
        bindparam("ids", expanding=True)
    )
    records: list[RowMapping] = []
    for start in range(0, len(ids), CHUNK):
        records += session.execute(select_part, {"ids": ids[start : start + CHUNK]}).mappings()
    # a removed photo's row went with it (a trigger): only the photos still here are replaced
    rowids = sorted(record["photo_rowid"] for record in records)  # ascending: see _insert
    delete = text("DELETE FROM photo_search WHERE rowid IN :rowids").bindparams(
        bindparam("rowids", expanding=True)
    )
    for start in range(0, len(rowids), CHUNK):
        session.execute(delete, {"rowids": rowids[start : start + CHUNK]})
    _insert(session, records)


def _most_of_catalog(session: Session, n: int) -> bool:
    """Whether ``n`` photos are over half the catalog (a few are never: skip the count)."""
    return n > REBUILD_ABOVE and 2 * n > (session.scalar(text("SELECT count(*) FROM photos")) or 0)


def _insert(session: Session, records: Sequence[RowMapping]) -> None:
    """Write search rows in ascending rowid order. FTS5 flushes its pending terms to a new
    on-disk segment whenever a write's rowid is lower than the last one's: when rowids were
    hashes, unsorted, half the rows of a bulk edit each made a segment to merge (a tag added
    to 100,000 photos took minutes; sorted, seconds)."""
    params = [
        {**record, "rowid": record["photo_rowid"], **_file_and_folder(record["source_path"])}
        for record in records
    ]
    params.sort(key=lambda p: p["rowid"])
    if params:
        session.execute(_INSERT_SQL, params)


def _file_and_folder(source_path: str) -> dict[str, str]:
    """The name and folder of the original, searchable as words ("IMG_0042", "Tuscany 2019").
    ``os.path.split``, not ``PurePath``: the same answer, ten times faster over 100,000."""
    folder, name = os.path.split(source_path)
    return {"file": name, "folder": folder or "."}


def match_expression(user_text: str) -> str | None:
    """An FTS5 query that can never be a syntax error: every word becomes a quoted string
    (quotes doubled), all must match, and the last one matches as a prefix so results
    follow the typing. None when the text holds no searchable word."""
    cleaned = user_text.replace("\x00", " ")  # a NUL ends the string inside SQLite's parser
    words = [w for w in cleaned.split() if _WORD.search(w)]
    if not words:
        return None
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search_ids(session: Session, text_: str, limit: int | None = None) -> list[str]:
    """Ids of photos matching ``text_``, best match first (FTS5's bm25); [] for empty text.
    ``limit``: only the best ones (a screenful), which spares sorting every match but not
    scoring it: bm25 reads each match's row sizes."""
    expression = match_expression(text_)
    if expression is None:
        return []
    ranked = "SELECT rowid, rank FROM photo_search WHERE photo_search MATCH :q ORDER BY rank"
    if limit is not None:
        ranked += " LIMIT :limit"
    stmt = text(
        f"SELECT p.id FROM ({ranked}) AS m JOIN photos p ON p.rowid = m.rowid ORDER BY m.rank"
    )
    return list(session.scalars(stmt, {"q": expression, "limit": limit}))
