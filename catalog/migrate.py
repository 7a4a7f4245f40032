"""Alembic, driven from code: the catalog migrates itself when it opens.

Opening an up-to-date catalog is the common case (every app start, every CLI command), and
importing Alembic's script machinery costs more than the rest of ``exiftree list``. So the
head revision Alembic reports is remembered in the user's cache folder under a key made of
the migration files' names, sizes and times (one entry per install sharing the folder): any
added or edited migration changes the key and Alembic is asked again.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from catalog.errors import CatalogLocationError
from catalog.files import write_atomically

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(db_path: Path) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    return config


def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS_DIR))


def _migrations_key() -> str:
    """Changes whenever a migration file is added, removed or edited."""
    files = sorted((MIGRATIONS_DIR / "versions").glob("*.py"))
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)


_HEADS_KEPT = 16  # installs remembered at once; more are asked of Alembic again


def _head_cache() -> Path:
    return platformdirs.user_cache_path("exiftree", appauthor=False) / "migrations-head.json"


@cache
def head_revision() -> str:
    """The newest migration, as Alembic's script directory says (remembered, see above)."""
    key = _migrations_key()
    heads: dict[str, str] = {}
    try:
        remembered = json.loads(_head_cache().read_text(encoding="utf-8"))
        if "key" in remembered:  # the one-install cache of earlier versions
            remembered = {"heads": {remembered["key"]: remembered["head"]}}
        heads = {str(k): str(v) for k, v in remembered["heads"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # first run, or an unreadable cache: ask Alembic
    if key in heads:
        return heads[key]
    head = _script().get_current_head()  # raises if the migrations have several heads
    if head is None:
        raise RuntimeError(f"no migrations in {MIGRATIONS_DIR}")
    # Several installs (a checkout beside the installed app, an upgrade) share the cache
    # folder: remember each one's head, so that they do not evict each other on every run.
    heads[key] = head
    kept = dict(list(heads.items())[-_HEADS_KEPT:])
    with contextlib.suppress(OSError):  # a read-only home: correct, only slower next time
        write_atomically(_head_cache(), json.dumps({"heads": kept}).encode())
    return head


def is_known(revision: str) -> bool:
    """Whether this ExifTree has the migration ``revision`` (else a newer one made it)."""
    from alembic.util import CommandError

    try:
        return _script().get_revision(revision) is not None
    except CommandError:  # "no such revision" (Alembic's ResolutionError, rewrapped)
        return False


def current_revision(db_path: Path) -> str | None:
    """The catalog's Alembic revision, or None for a new (or pre-Alembic) file."""
    if not db_path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
            try:
                row = db.execute("SELECT version_num FROM alembic_version").fetchone()
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):  # a new file: nothing migrated yet
                    return None
                raise
    except sqlite3.DatabaseError as exc:  # not a database, damaged, unreadable
        raise CatalogLocationError(db_path.parent, f"{db_path.name}: {exc}") from exc
    return row[0] if row else None


def upgrade(db_path: Path, revision: str = "head") -> None:
    """Migrate the catalog to ``revision``; an existing catalog is backed up first (into
    ``backups/``), so a migration that goes wrong can always be undone by a restore."""
    if revision == "head" and current_revision(db_path) == head_revision():
        return
    from filelock import FileLock, Timeout

    # Two first runs at once (two imports into a new catalog) would both create the tables:
    # one migrates, the other waits for it and then finds nothing left to do.
    try:
        with FileLock(db_path.with_name(f".{db_path.name}.migrating"), timeout=MIGRATION_WAIT_S):
            _upgrade_locked(db_path, revision)
    except Timeout as exc:
        raise CatalogLocationError(
            db_path.parent, "another ExifTree has been upgrading this catalog for minutes"
        ) from exc


MIGRATION_WAIT_S = 300.0


def _upgrade_locked(db_path: Path, revision: str) -> None:
    current = current_revision(db_path)
    if revision == "head" and current == head_revision():
        return
    if current is not None and not is_known(current):
        raise CatalogLocationError(
            db_path.parent, "made by a newer ExifTree (its schema is unknown here): update"
        )
    if current is not None:
        backup_before_migration(db_path)
    from alembic import command

    command.upgrade(alembic_config(db_path), revision)


def backup_before_migration(db_path: Path) -> None:
    """The catalog as it was, before any migration touches it; no backup, no migration."""
    from catalog.backup import BEFORE_MIGRATION, DEFAULT_KEEP, make_backup

    make_backup(db_path.parent, BEFORE_MIGRATION, keep=DEFAULT_KEEP)


def downgrade(db_path: Path, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(db_path), revision)
