"""A rescan that finds nothing to do, answered with sqlite3 and ``stat`` alone.

The full import (:mod:`catalog.ingest.pipeline`) already skips unchanged files unread, but
it loads SQLAlchemy and the ORM to learn that it has nothing to do (most of a no-op
import's time, issue 15). This asks the catalog file the same questions: is every file
found a photo's own original, present, with the size and mtime the catalog knows; is every
photo under the folders among the files found (none went missing, none came back); is each
of their XMP sidecars as last read? Only when every answer is yes does it return the
outcomes, the same skips the full import reports; on any doubt (a new, changed or vanished
file, a RAW+JPEG pair, a path two rows claim) it returns None and the full import runs,
deciding as before. It never writes.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path
from typing import NamedTuple

from catalog.catalog import Catalog
from catalog.ingest.discover import Candidate, discover, without_sidecars
from catalog.jobs import ItemOutcome
from catalog.sidecar_files import find_sidecar, fingerprint

SKIPPED = "already in the catalog"  # the full import's reasons (pipeline.ImportJob.triage)
SKIPPED_FAILED = "failed before and unchanged since (exiftree reprocess --failed retries)"


class _Row(NamedTuple):
    id: str
    size: int | None
    mtime_ns: int | None
    status: str
    missing: bool
    paired: bool


def unchanged_rescan(catalog: Catalog, paths: Sequence[Path]) -> list[ItemOutcome] | None:
    """The outcomes of importing ``paths`` when that would change nothing, else None."""
    found = without_sidecars(discover(paths, exclude=[catalog.root]))
    roots = [os.path.abspath(p) for p in paths]
    with closing(sqlite3.connect(f"file:{catalog.db_path}?mode=ro", uri=True)) as db:
        db.execute("BEGIN")  # one read transaction: rows and sidecars as of one moment
        rows = _rows_under(db, roots)
        if rows is None:
            return None
        recorded = {
            photo_id: (path, size, mtime_ns)
            for photo_id, path, size, mtime_ns in db.execute(
                "SELECT photo_id, path, size, mtime_ns FROM photo_sidecars"
            )
        }
    outcomes: list[ItemOutcome] = []
    seen: set[str] = set()
    for item in found:
        if not isinstance(item, Candidate):
            outcomes.append(ItemOutcome(str(item.path), item.status, item.reason))
            continue
        path = str(item.path)
        row = rows.get(path)
        if row is None or row.missing or row.paired:
            return None  # new, come back, or one file of a pair: the full import decides
        if (row.size, row.mtime_ns) != (item.size, item.mtime_ns):
            return None  # changed
        sidecar = find_sidecar(path)
        stamp = fingerprint(sidecar) if sidecar is not None else None
        if (
            sidecar is not None
            and stamp is not None
            and recorded.get(row.id)
            != (
                str(sidecar),
                *stamp,
            )
        ):
            return None  # a new or edited sidecar: the full import reads it
        seen.add(path)
        reason = SKIPPED_FAILED if row.status == "failed" else SKIPPED
        outcomes.append(ItemOutcome(path, "skipped", reason, row.id))
    if seen != rows.keys():
        return None  # a photo under these folders whose file was not found: missing now
    return outcomes


def _rows_under(db: sqlite3.Connection, roots: Sequence[str]) -> dict[str, _Row] | None:
    """Every photo whose original is one of ``roots`` or inside one, by path; None when two
    rows claim one path (the full import's originals check decides between them)."""
    rows: dict[str, _Row] = {}
    query = (
        "SELECT id, source_path, file_size, file_mtime_ns, status, missing_since IS NOT NULL,"
        " companion_path IS NOT NULL FROM photos WHERE source_path = ?"
        " OR (source_path >= ? AND source_path < ?)"
    )  # the range of catalog.originals.under: the path index is used, no LIKE escaping
    for root in roots:
        path = root.rstrip(os.sep) or os.sep
        inside = path if path.endswith(os.sep) else path + os.sep
        after = inside[:-1] + chr(ord(os.sep) + 1)
        for photo_id, source, size, mtime_ns, status, missing, paired in db.execute(
            query, (path, inside, after)
        ):
            row = _Row(photo_id, size, mtime_ns, status, bool(missing), bool(paired))
            if rows.setdefault(source, row).id != photo_id:
                return None
    return rows
