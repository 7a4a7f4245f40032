"""What the catalog knows of its files at the start of an import: path, size, mtime, hash.

Apart from :mod:`catalog.ingest.store` so that a rescan which finds nothing new (every file
known, same size and mtime) loads no imaging library at all (issue 15: the no-op import).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from catalog.models import Photo, Status


@dataclass
class KnownRow:
    id: str
    path: str
    size: int
    mtime_ns: int
    content_hash: str
    status: str
    turns: int = 0  # the owner's rotation: a re-derive (--force, reprocess) keeps it


@dataclass
class KnownFiles:
    """The catalog's files at the start of a run, kept up to date as the run commits."""

    by_path: dict[str, KnownRow] = field(default_factory=dict)
    by_hash: dict[str, KnownRow] = field(default_factory=dict)
    by_id: dict[str, KnownRow] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session) -> KnownFiles:
        """One query over every photo: path, size, mtime, hash (fast even at 100k photos)."""
        known = cls()
        columns = (Photo.id, Photo.source_path, Photo.file_size, Photo.file_mtime_ns)
        for row in session.execute(
            select(*columns, Photo.content_hash, Photo.status, Photo.rotation).order_by(
                Photo.missing_since.is_not(None).desc()
            )  # a path's present row wins
        ):
            known.remember(KnownRow(*row))
        return known

    def remember(self, row: KnownRow) -> None:
        self.forget(row.id)
        self.by_id[row.id] = row
        self.by_path[row.path] = row
        self.by_hash[row.content_hash] = row

    def forget(self, photo_id: str) -> None:
        old = self.by_id.pop(photo_id, None)
        if old is None:
            return
        if self.by_path.get(old.path) is old:
            del self.by_path[old.path]
        if self.by_hash.get(old.content_hash) is old:
            del self.by_hash[old.content_hash]

    def refresh(self, session: Session, content_hash: str, path: str) -> None:
        """Read again the rows of this content and this path: another import (or the
        desktop) may have added, moved or failed them since this run began. Called under
        the write lock, so what it finds stays true until the commit."""
        for stale in (self.by_hash.get(content_hash), self.by_path.get(path)):
            if stale is not None:
                self.forget(stale.id)
        columns = (Photo.id, Photo.source_path, Photo.file_size, Photo.file_mtime_ns)
        rows = session.execute(
            select(*columns, Photo.content_hash, Photo.status, Photo.rotation).where(
                or_(Photo.content_hash == content_hash, Photo.source_path == path)
            )
        ).all()
        # A good photo at the path wins over a failed row left there: remember it last.
        for row in sorted(rows, key=lambda r: r.status != Status.FAILED.value):
            self.remember(KnownRow(*row))

    def is_unchanged(self, path: str, size: int, mtime_ns: int) -> bool:
        """Same path, size and mtime as the catalog: skip without reading the file."""
        row = self.by_path.get(path)
        return row is not None and row.size == size and row.mtime_ns == mtime_ns

    def has_file_elsewhere(self, row: KnownRow, path: str) -> bool:
        """True when ``row``'s own file is still where the catalog says (so ``path`` is a copy)."""
        if row.path == path:
            return False
        try:
            info = os.stat(row.path)
        except OSError:
            return False
        return info.st_size == row.size
