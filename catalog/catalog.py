"""The one front door to a catalog: its folder, engine, sessions, migrations and thumbnails.

Reads may run in parallel (SQLite WAL); writes go through :meth:`Catalog.writing`, which
serialises them with one lock so that worker threads never fight over the write lock.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from catalog.backup import DB_NAME, latest_backup, list_backups
from catalog.errors import (
    CatalogError,
    CatalogLocationError,
    DamagedCatalogError,
    ReadOnlyCatalogError,
)
from catalog.migrate import upgrade
from catalog.paths import default_home

if TYPE_CHECKING:  # SQLAlchemy loads on the first session, not to open the catalog
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

THUMB_SIZES_PX = (300, 800, 1600)


def refuse_unusable(root: Path) -> None:
    """Refuse a catalog that opening would silently lose: an empty (truncated) file, a file
    that is not an ExifTree catalog, a missing file whose backups are still there, or a
    folder ExifTree cannot write to."""
    db_path = root / DB_NAME
    _refuse_read_only(root, db_path)
    if not db_path.exists():
        if list_backups(root):
            raise _damaged(db_path, "is missing, while its backups are still there")
        return
    if db_path.stat().st_size == 0:
        raise _damaged(db_path, "is empty (0 bytes): it was truncated or damaged")
    try:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as db:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise _damaged(db_path, f"is damaged or not a catalog ({exc})") from exc
    if tables and "alembic_version" not in tables:
        raise _damaged(db_path, "is an SQLite file but not an ExifTree catalog")


def _refuse_read_only(root: Path, db_path: Path) -> None:
    """SQLite says only "unable to open database file": find out if it is a read-only place."""
    try:
        with tempfile.TemporaryFile(dir=root, prefix=".write-check-"):
            pass
        if db_path.exists():
            with open(db_path, "r+b"):
                pass
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise ReadOnlyCatalogError(root, exc.strerror or os.strerror(exc.errno)) from exc
        raise CatalogLocationError(root, exc.strerror or str(exc)) from exc


def _damaged(db_path: Path, what: str) -> DamagedCatalogError:
    newest = latest_backup(db_path.parent)
    return DamagedCatalogError(db_path, what, newest.path if newest else None)


class Catalog:
    """A catalog folder: ``catalog.sqlite``, the ``thumbs/`` cache and ``rules.toml``.

    The engine (and with it SQLAlchemy, ~0.2-0.4 s of imports) is made on first use, so a
    command that can answer from the SQLite file alone (``list`` of an empty catalog, a
    publish with nothing to do) never pays for it (issue 15)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._write_lock = threading.RLock()
        self._first_use = threading.Lock()
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None

    @property
    def engine(self) -> Engine:
        return self._made()[0]

    def _made(self) -> tuple[Engine, sessionmaker[Session]]:
        """The engine and session factory, made once (two threads' first uses: one)."""
        with self._first_use:
            if self._engine is None or self._sessions is None:
                from sqlalchemy.orm import sessionmaker

                from catalog.db import make_engine

                self._engine = make_engine(self.db_path)
                self._sessions = sessionmaker(self._engine, expire_on_commit=False)
            return self._engine, self._sessions

    @classmethod
    def open(cls, root: Path | None = None) -> Catalog:
        """Open (creating and migrating if needed) the catalog in ``root``.

        A damaged catalog file is refused, never silently replaced by a new empty one."""
        root = Path(root) if root is not None else default_home()
        try:
            root.mkdir(parents=True, exist_ok=True)
            (root / "thumbs").mkdir(exist_ok=True)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                raise ReadOnlyCatalogError(root, exc.strerror or str(exc)) from exc
            raise CatalogLocationError(root, exc.strerror or str(exc)) from exc
        db_path = root / DB_NAME
        refuse_unusable(root)
        try:
            upgrade(db_path)
        except CatalogError:
            raise
        except Exception as exc:  # a damaged, unreadable or foreign file: say so, plainly
            raise _damaged(db_path, f"cannot be opened ({exc})") from exc
        return cls(root)

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @property
    def thumbs_dir(self) -> Path:
        return self.root / "thumbs"

    @property
    def rules_path(self) -> Path:
        return self.root / "rules.toml"

    def thumb_path(self, content_hash: str, size_px: int) -> Path:
        """Where a content's thumbnail lives (rewritten only by a reprocess or a rotation)."""
        return self.thumbs_dir / content_hash[:2] / f"{content_hash}_{size_px}.jpg"

    def delete_thumbnails(self, content_hash: str) -> None:
        """The thumbnails of content no photo shows any more (removed, or edited away)."""
        for size in THUMB_SIZES_PX:
            self.thumb_path(content_hash, size).unlink(missing_ok=True)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A short read-only unit of work; safe from any thread."""
        with self._made()[1]() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A short unit of work that commits on success; one writer at a time."""
        with self._write_lock, self._made()[1]() as session, session.begin():
            yield session

    def has_photos(self) -> bool:
        """Whether any photo row exists, asked of the file with sqlite3 (no SQLAlchemy)."""
        with closing(sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)) as db:
            return db.execute("SELECT EXISTS (SELECT 1 FROM photos)").fetchone()[0] == 1

    def close(self) -> None:
        if self._engine is not None:  # made: close its connections
            self._engine.dispose()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
