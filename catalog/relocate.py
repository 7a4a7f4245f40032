"""Re-link a whole folder whose originals moved (a new drive letter, a renamed folder).

``relocate(catalog, OLD, NEW)`` points every photo under ``OLD`` at the file under ``NEW``
that holds its content: first the same relative path, else any file under ``NEW`` of the
same size; a file is accepted only when its SHA-256 is the photo's content hash, so a
different picture that happens to have the same name is never linked. Everything the owner
did stays on the photo (it is the same row); only where its original lives changes, and
its search row follows. A failed photo has no content to recognise: it is re-linked only at
the same relative path, and never to a file another photo holds (by path or by content).
Originals are only read.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from catalog.catalog import Catalog
from catalog.errors import CatalogError
from catalog.jobs import Cancel, JobObserver, Progress
from catalog.models import Photo, Status
from catalog.originals import under
from catalog.search import reindex

_HASH_CHUNK = 1 << 20


class RelocateError(CatalogError):
    """The new folder cannot be used (does not exist, cannot be read)."""


@dataclass
class Relinked:
    photo_id: str
    old_path: str
    new_path: str


@dataclass
class RelocateResult:
    relinked: list[Relinked] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)  # old paths with no matching file
    cancelled: bool = False

    @property
    def considered(self) -> int:
        return len(self.relinked) + len(self.not_found)


@dataclass(frozen=True)
class _Row:
    id: str
    path: str
    content_hash: str
    size: int
    failed: bool


def relocate(
    catalog: Catalog,
    old_prefix: Path | str,
    new_prefix: Path | str,
    *,
    observer: JobObserver | None = None,
    cancel: Cancel | None = None,
) -> RelocateResult:
    """Re-link the photos under ``old_prefix`` to their files under ``new_prefix``."""
    observer, cancel = observer or JobObserver(), cancel or Cancel()
    old = os.path.abspath(old_prefix)
    new = os.path.abspath(new_prefix)
    if not os.path.isdir(new):
        raise RelocateError(f"{new} is not a folder (is the drive connected?)")
    with catalog.reading() as session:
        rows = [
            _Row(r.id, r.source_path, r.content_hash, r.file_size, r.status == Status.FAILED)
            for r in session.execute(
                select(
                    Photo.id, Photo.source_path, Photo.content_hash, Photo.file_size, Photo.status
                ).where(under([old]))  # fmt: skip
            )
        ]
    result = RelocateResult()
    observer.started(len(rows))
    by_size: dict[int, list[str]] | None = None  # the new folder's files, indexed on demand
    claimed: set[str] = set()
    for done, row in enumerate(rows, 1):
        if cancel.is_set():
            result.cancelled = True
            break
        target = os.path.join(new, os.path.relpath(row.path, old))
        if row.failed:  # no content identity: only its own name, and only a file nobody owns
            target = target if _unowned(catalog, target, row) else ""
        elif not _holds(target, row):
            by_size = by_size if by_size is not None else _files_by_size(new)
            target = next(
                (p for p in by_size.get(row.size, ()) if p not in claimed and _holds(p, row)),
                "",
            )
        if target and target not in claimed:
            claimed.add(target)
            result.relinked.append(Relinked(row.id, row.path, target))
        else:
            result.not_found.append(row.path)
        observer.progressed(Progress(done, len(rows), row.path))
    _save(catalog, result.relinked)
    return result


def _holds(path: str, row: _Row) -> bool:
    """True when ``path`` is a file with ``row``'s content (its SHA-256 is the row's hash)."""
    try:
        if not os.path.isfile(path) or os.stat(path).st_size != row.size:
            return False
        return _sha256(path) == row.content_hash
    except OSError:
        return False


def _unowned(catalog: Catalog, path: str, row: _Row) -> bool:
    """True when ``path`` is a file no other photo owns, by path or by content: a failed
    photo cannot be recognised by its content, so it never takes another photo's file."""
    try:
        if not os.path.isfile(path):
            return False
        digest = _sha256(path)
    except OSError:
        return False
    with catalog.reading() as session:
        other = session.scalar(
            select(Photo.id)
            .where(Photo.id != row.id)
            .where((Photo.source_path == path) | (Photo.content_hash == digest))
            .limit(1)
        )
    return other is None


def _sha256(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _files_by_size(folder: str) -> dict[int, list[str]]:
    by_size: dict[int, list[str]] = defaultdict(list)
    for path in _walk(folder):
        try:
            by_size[os.stat(path).st_size].append(path)
        except OSError:
            continue
    return by_size


def _walk(folder: str) -> Iterator[str]:
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(parent, name)


def _save(catalog: Catalog, relinked: list[Relinked]) -> None:
    """One transaction: the new paths, present again; any other row that claimed one of
    those paths is missing (its content is not there: the file holds this photo's)."""
    if not relinked:
        return
    from datetime import UTC, datetime

    now = datetime.now(UTC).replace(tzinfo=None)
    moving = {r.photo_id for r in relinked}
    with catalog.writing() as session:
        for item in relinked:
            info = os.stat(item.new_path)
            session.execute(
                update(Photo)
                .where(
                    Photo.source_path == item.new_path,
                    Photo.id.not_in(moving),
                    Photo.missing_since.is_(None),
                )  # fmt: skip
                .values(missing_since=now),
                execution_options={"synchronize_session": False},
            )
            session.execute(
                update(Photo)
                .where(Photo.id == item.photo_id)
                .values(
                    source_path=item.new_path,
                    file_size=info.st_size,
                    file_mtime_ns=info.st_mtime_ns,
                    missing_since=None,
                    **_companion_moved(session, item),
                ),  # fmt: skip
                execution_options={"synchronize_session": False},
            )
        reindex(session, list(moving))  # search finds them by their new file and folder


def _companion_moved(session: Session, item: Relinked) -> dict[str, str]:
    """A RAW+JPEG pair's RAW went with its JPEG: the same name beside the new path."""
    companion = session.scalar(select(Photo.companion_path).where(Photo.id == item.photo_id))
    if not companion:
        return {}
    moved = os.path.join(os.path.dirname(item.new_path), os.path.basename(companion))
    return {"companion_path": moved} if os.path.isfile(moved) else {}
