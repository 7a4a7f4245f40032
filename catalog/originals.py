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

import hashlib
import os
import stat as stat_module
from collections import defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
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
    seen: Container[str] | None = None,
    claims: Iterable[tuple[str, str]] | None = None,
) -> OriginalsCheck:
    """Mark photos whose original is gone as missing, and clear the mark of those whose file
    is back; only under ``paths`` when given (an import's folders), else the whole catalog.
    ``seen`` holds the files a scan just found (they are not stat'ed again); ``claims``,
    every photo's (id, path) when the caller already holds them (an import does), spares
    reading them again."""
    roots = None if paths is None else [os.path.abspath(p) for p in paths]
    # path -> the photo claiming it, and the rare further claimants: plain dicts of existing
    # strings, no object per photo (at 100,000 photos, allocations cost garbage collections)
    claimed: dict[str, str] = {}
    extra: dict[str, list[str]] = defaultdict(list)
    with catalog.reading() as session:
        flagged = select(Photo.id).where(Photo.missing_since.is_not(None))
        if roots is not None:
            flagged = flagged.where(under(roots))
        missing_now = set(session.scalars(flagged))
        if claims is None:
            query = select(Photo.id, Photo.source_path)
            claims = session.connection().execute(
                query if roots is None else query.where(under(roots))
            )
        exact = set(roots or ())
        prefixes = tuple(r.rstrip(os.sep) + os.sep for r in exact)
        for photo_id, path in claims:
            if roots is not None and not (path.startswith(prefixes) or path in exact):
                continue
            if claimed.setdefault(path, photo_id) != photo_id:
                extra[path].append(photo_id)
        shared = {p: _claims(session, [claimed[p], *more]) for p, more in extra.items()}
    gone: list[str] = []
    back: list[str] = []
    result = OriginalsCheck(checked=len(claimed) + sum(len(m) for m in extra.values()))
    for path, first in claimed.items():
        if path in shared:  # rare: stat it afresh, whatever the scan saw
            stat = _stat(path)
            present = _owner(shared[path], stat, path) if stat is not None else None
            ids = [first, *extra[path]]
        elif (seen is not None and path in seen) or _stat(path) is not None:
            if first in missing_now:
                back.append(first)
            continue
        else:
            present, ids = None, [first]
        for photo_id in ids:
            if photo_id == present:
                if photo_id in missing_now:
                    back.append(photo_id)
                continue
            result.missing.append((photo_id, path))
            if photo_id not in missing_now:
                gone.append(photo_id)
    if gone or back:
        with catalog.writing() as session:
            _set_missing(session, gone, datetime.now(UTC).replace(tzinfo=None))
            _set_missing(session, back, None)
    result.newly_missing, result.found_again = len(gone), len(back)
    return result


def _stat(path: str) -> Stat | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns) if stat_module.S_ISREG(info.st_mode) else None


def _claims(session: Session, ids: list[str]) -> list[Any]:
    """What decides between rows claiming one path (rare: after ``mv a.jpg b.jpg``)."""
    query = select(Photo.id, Photo.file_size, Photo.file_mtime_ns, Photo.missing_since,
                   Photo.content_hash).where(Photo.id.in_(ids))  # fmt: skip
    return list(session.execute(query))


def _owner(claims: list[Any], stat: Stat, path: str) -> str | None:
    """Of the rows claiming one existing file, the one whose content it holds: the row whose
    size and mtime match the file (an import just recorded them), else the one the last
    import left present, else the one whose content hash the file has (read only then).
    Never the most recently edited: an owner's edit says nothing about which file is whose."""
    matching = [c for c in claims if (c.file_size, c.file_mtime_ns) == stat]
    if len(matching) == 1:
        return str(matching[0].id)
    present = [c for c in (matching or claims) if c.missing_since is None]
    if len(present) == 1:
        return str(present[0].id)
    try:
        with open(path, "rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None
    return next((str(c.id) for c in claims if c.content_hash == digest), None)


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
