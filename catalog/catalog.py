"""The one front door to a catalog: its folder, engine, sessions, migrations and thumbnails.

Reads may run in parallel (SQLite WAL); writes go through :meth:`Catalog.writing`, which
serialises them with one lock so that worker threads never fight over the write lock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from catalog.db import make_engine
from catalog.errors import CatalogError, CatalogLocationError
from catalog.migrate import upgrade
from catalog.paths import default_home

DB_NAME = "catalog.sqlite"
THUMB_SIZES_PX = (300, 800, 1600)


class Catalog:
    """A catalog folder: ``catalog.sqlite``, the ``thumbs/`` cache and ``rules.toml``."""

    def __init__(self, root: Path, engine: Engine) -> None:
        self.root = root
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_lock = threading.RLock()

    @classmethod
    def open(cls, root: Path | None = None) -> Catalog:
        """Open (creating and migrating if needed) the catalog in ``root``."""
        root = Path(root) if root is not None else default_home()
        try:
            root.mkdir(parents=True, exist_ok=True)
            (root / "thumbs").mkdir(exist_ok=True)
        except OSError as exc:
            raise CatalogLocationError(root, exc.strerror or str(exc)) from exc
        db_path = root / DB_NAME
        try:
            upgrade(db_path)
        except CatalogError:
            raise
        except Exception as exc:  # a damaged, unreadable or foreign file: say so, plainly
            raise CatalogLocationError(root, f"{DB_NAME} cannot be opened ({exc})") from exc
        return cls(root, make_engine(db_path))

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
        with self._sessions() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A short unit of work that commits on success; one writer at a time."""
        with self._write_lock, self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
