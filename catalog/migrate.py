"""Alembic, driven from code: the catalog migrates itself when it opens.

Opening an up-to-date catalog is the common case (every app start, every CLI command), so
it is checked first without importing Alembic, which costs ~0.2 s of start-up.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from catalog.errors import CatalogLocationError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w]+)['\"]?", re.MULTILINE)


def alembic_config(db_path: Path) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    return config


@cache
def known_revisions() -> dict[str, str | None]:
    """Every migration's revision and the one it revises."""
    known: dict[str, str | None] = {}
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = {m[1]: m[2] for m in _REVISION.finditer(script.read_text())}
        known[found["revision"]] = found.get("down_revision")
    return known


@cache
def head_revision() -> str:
    """The newest migration: the one revision no other migration revises."""
    revisions = set(known_revisions())
    parents = set(known_revisions().values())
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


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
    current = current_revision(db_path)
    if revision == "head" and current == head_revision():
        return
    if current is not None and current not in known_revisions():
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
