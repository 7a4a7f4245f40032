"""Is each photo's original still where the catalog says? The ``missing`` state.

Photographers keep archives on external drives: an unplugged drive or a renamed folder must
not turn photos into failures or lose anything the owner did. A photo whose original is gone
gets ``missing_since`` (its status, edits and thumbnails stay as they are; it still publishes
from its thumbnails), and loses it again as soon as its file is back — at the same path, or
re-linked by ``exiftree relocate`` or an import of the new folder.

Two rows never both claim one file: when a path holds the content of one row (a rescan saw
``mv a.jpg b.jpg``), every other row at that path is marked missing.

Presence is checked by ``stat`` (cheap, no reading): an import settles what content a path
holds; :func:`check_originals` only says which files are gone.
"""

from __future__ import annotations

import os
import stat as stat_module
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, String, cast, or_, select, update
from sqlalchemy.orm import Session

from catalog.catalog import Catalog
from catalog.models import Photo
from catalog.rows import chunked

Stat = tuple[int, int]  # (size, mtime_ns)


@dataclass
class OriginalsCheck:
    """What a check found: ``missing`` lists (photo id, path) of every photo now missing."""

    checked: int = 0
    newly_missing: int = 0
    found_again: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)


def under(paths: Iterable[Path | str]) -> ColumnElement[bool]:
    """Rows whose original is one of ``paths`` or inside one of them (a range on the
    indexed path, not LIKE: no escaping, and the index is used)."""
    conditions: list[ColumnElement[bool]] = []
    for given in paths:
        path = os.path.abspath(given).rstrip(os.sep) or os.sep
        inside = path if path.endswith(os.sep) else path + os.sep
        after = inside[:-1] + chr(ord(os.sep) + 1)
        conditions.append(Photo.source_path == path)
        conditions.append((Photo.source_path >= inside) & (Photo.source_path < after))
    return or_(*conditions)


def check_originals(
    catalog: Catalog,
    paths: Iterable[Path | str] | None = None,
    seen: Mapping[str, Stat] | None = None,
) -> OriginalsCheck:
    """Mark photos whose original is gone as missing, and clear the mark of those whose file
    is back; only under ``paths`` when given (an import's folders), else the whole catalog.
    ``seen`` holds files a scan already stat'ed (they are not stat'ed again)."""
    query = select(*_CLAIM)
    if paths is not None:
        query = query.where(under(paths))
    with catalog.reading() as session:  # plain tuples: this runs over every photo
        rows: list[Any] = [tuple(r) for r in session.connection().execute(query)]
    by_path: dict[str, list[_Claim]] = defaultdict(list)
    for row in rows:
        by_path[row[1]].append(row)
    gone: list[str] = []
    back: list[str] = []
    result = OriginalsCheck(checked=len(rows))
    for path, claimants in by_path.items():
        stat = (seen.get(path) if seen is not None else None) or _stat(path)
        present = _owner(claimants, stat) if stat is not None else None
        for photo_id, _, _, _, was_missing, _ in claimants:
            if photo_id == present:
                if was_missing:
                    back.append(photo_id)
                continue
            result.missing.append((photo_id, path))
            if not was_missing:
                gone.append(photo_id)
    if gone or back:
        with catalog.writing() as session:
            _set_missing(session, gone, datetime.now(UTC).replace(tzinfo=None))
            _set_missing(session, back, None)
    result.newly_missing, result.found_again = len(gone), len(back)
    return result


# id, path, size, mtime, is missing, updated_at as ISO text (sorts as the time does; no
# datetime parsing of 100,000 values)
_Claim = tuple[str, str, int, int, bool, str]
_CLAIM = (
    Photo.id,
    Photo.source_path,
    Photo.file_size,
    Photo.file_mtime_ns,
    Photo.missing_since.is_not(None),
    cast(Photo.updated_at, String),
)


def _stat(path: str) -> Stat | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns) if stat_module.S_ISREG(info.st_mode) else None


def _owner(claimants: list[_Claim], stat: Stat) -> str:
    """Of the rows claiming one existing file, the one whose content it holds: the row whose
    size and mtime match the file (an import just recorded them), else the newest written."""
    if len(claimants) == 1:
        return claimants[0][0]
    matching = [c for c in claimants if (c[2], c[3]) == stat]
    return max(matching or claimants, key=lambda c: (c[5], not c[4]))[0]


def _set_missing(session: Session, ids: list[str], since: datetime | None) -> None:
    for chunk in chunked(ids):
        session.execute(
            update(Photo).where(Photo.id.in_(list(chunk))).values(missing_since=since),
            execution_options={"synchronize_session": False},
        )


def missing_photos(session: Session) -> list[tuple[str, str, datetime]]:
    """Every missing photo: (id, path, since), by path."""
    query = (
        select(Photo.id, Photo.source_path, Photo.missing_since)
        .where(Photo.missing_since.is_not(None))
        .order_by(Photo.source_path)
    )
    return [(r[0], r[1], r[2] or datetime.min) for r in session.execute(query)]


def missing_folders(session: Session) -> list[tuple[str, int]]:
    """The folders that hold missing originals, with how many each: what to relocate."""
    counts: dict[str, int] = defaultdict(int)
    for _, path, _ in missing_photos(session):
        counts[os.path.dirname(path)] += 1
    return sorted(counts.items())
