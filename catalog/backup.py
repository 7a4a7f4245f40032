"""Catalog backups, as Lightroom Classic makes them: consistent copies in ``<catalog>/backups/``.

A backup is taken with SQLite's online backup API while the catalog stays in use (readers
and writers of other connections carry on; the copy is one consistent state), then checked
with ``PRAGMA quick_check`` before it gets its final name, so a backup that exists is one
that opens. Backups are made before every migration, on the owner's schedule (daily by
default, when the app or the CLI runs) and on demand; the newest ``keep`` of each kind are
kept. Thumbnails are derived from the originals and are not backed up.

Restoring checks the file is a catalog this ExifTree can open, refuses while another
process has the catalog open, and first backs up the catalog it replaces.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from catalog import journal
from catalog.errors import CatalogError

if TYPE_CHECKING:
    from catalog.catalog import Catalog

BACKUPS_DIR = "backups"
DB_NAME = "catalog.sqlite"
_PREFIX = "catalog-"
_SUFFIX = ".sqlite"
_STAMP = "%Y%m%dT%H%M%SZ"
_LOCK = ".backup.lock"  # beside the catalog: one backup at a time across processes
_LOCK_WAIT_S = 600

# Kinds of backup, each pruned on its own: a daily run never pushes out the copy made
# before a migration.
SCHEDULED = "daily"
MANUAL = "manual"
BEFORE_MIGRATION = "before-migration"
BEFORE_RESTORE = "before-restore"
KINDS = (SCHEDULED, MANUAL, BEFORE_MIGRATION, BEFORE_RESTORE)
DEFAULT_EVERY_DAYS = 1
DEFAULT_KEEP = 7


class BackupError(CatalogError):
    """A backup or a restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Backup:
    """One backup file: where it is, when it was made (UTC) and why."""

    path: Path
    made_at: datetime
    kind: str
    seq: int = 1  # several made within one second are numbered 2, 3, …

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def backups_dir(root: Path) -> Path:
    return root / BACKUPS_DIR


def list_backups(root: Path) -> list[Backup]:
    """The catalog's backups, newest first (files that are not ExifTree backups are ignored)."""
    folder = backups_dir(root)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = [b for b in (_parse(folder / name) for name in names) if b is not None]
    return sorted(found, key=lambda b: (b.made_at, b.seq), reverse=True)


def latest_backup(root: Path) -> Backup | None:
    backups = list_backups(root)
    return backups[0] if backups else None


def _parse(path: Path) -> Backup | None:
    name = path.name
    if not (name.startswith(_PREFIX) and name.endswith(_SUFFIX)):
        return None
    stamp, _, kind = name[len(_PREFIX) : -len(_SUFFIX)].partition("-")
    head, _, number = kind.rpartition("-")
    numbered = bool(head) and number.isdigit()  # "manual-2": the second in that second
    seq = int(number) if numbered else 1
    try:
        made = datetime.strptime(stamp, _STAMP)
    except ValueError:
        return None
    return Backup(path, made, (head if numbered else kind) or MANUAL, seq)


def _now() -> datetime:
    """UTC, to the second: the precision of a backup's name."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _target(root: Path, kind: str, made: datetime) -> Path:
    folder = backups_dir(root)
    base = f"{_PREFIX}{made.strftime(_STAMP)}-{kind}"
    same_second = [b.seq for b in list_backups(root) if b.made_at == made and b.kind == kind]
    if not same_second:
        return folder / f"{base}{_SUFFIX}"
    return folder / f"{base}-{max(same_second) + 1}{_SUFFIX}"  # never below an older one


def _lock(root: Path) -> FileLock:
    """Several ExifTree processes start at once (a script, the app and a command): they
    must not pick one target name, nor make the scheduled backup each."""
    return FileLock(root / _LOCK)


def make_backup(root: Path, kind: str = MANUAL, keep: int | None = None) -> Backup:
    """Copy ``root``'s catalog into ``root/backups/`` while it stays in use; prune to ``keep``
    backups of this kind when given. Raises :class:`BackupError` with a sentence."""
    db_path = root / DB_NAME
    if not db_path.is_file():
        raise BackupError(f"there is no catalog to back up at {db_path}")
    try:
        with _lock(root).acquire(timeout=_LOCK_WAIT_S):
            return _make_backup(root, kind, keep)
    except Timeout as exc:
        raise BackupError(f"the catalog could not be backed up: another ExifTree has been "
                          f"busy backing it up for {_LOCK_WAIT_S} s; try again later"
                          ) from exc  # fmt: skip


def _make_backup(root: Path, kind: str, keep: int | None) -> Backup:
    """:func:`make_backup`, its lock held."""
    made = _now()
    partial: Path | None = None
    try:
        backups_dir(root).mkdir(exist_ok=True)
        target = _target(root, kind, made)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")  # ours alone
        partial.unlink(missing_ok=True)
        copy_database(root / DB_NAME, partial)
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        if partial is not None:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
        raise BackupError(f"the catalog could not be backed up into {backups_dir(root)}: "
                          f"{_why(exc)}") from exc  # fmt: skip
    backup = _parse(target) or Backup(target, made, kind)
    if keep is not None:
        prune(root, keep, kind)
    return backup


def copy_database(source: Path, target: Path) -> None:
    """One consistent copy of ``source`` (a live WAL database) into a new file ``target``,
    standalone (rollback journal, not WAL) and checked before it is trusted."""
    reading = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    with _closing(reading) as src, _closing(sqlite3.connect(target)) as dst:
        src.backup(dst)  # all pages in one step: a single read transaction, consistent
        dst.execute("PRAGMA journal_mode=DELETE")
        check = dst.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise sqlite3.DatabaseError(f"the copy failed its check: {check}")
    with open(target, "rb") as written:  # on disk before it gets its final name
        os.fsync(written.fileno())


@contextlib.contextmanager
def _closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()


def prune(root: Path, keep: int, kind: str) -> list[Path]:
    """Delete all but the newest ``keep`` backups of ``kind``; returns what was deleted."""
    ours = [b for b in list_backups(root) if b.kind == kind]
    gone = [b.path for b in ours[max(keep, 1) :]]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def backup_due(root: Path, every_days: int, now: datetime | None = None) -> bool:
    """True when the owner's schedule asks for a backup: ``every_days`` (0: never) have
    passed since the newest backup of any kind, or there is none yet."""
    if every_days <= 0 or not (root / DB_NAME).is_file():
        return False
    newest = latest_backup(root)
    now = now or _now()
    return newest is None or now - newest.made_at >= timedelta(days=every_days)


def scheduled_backup(root: Path, every_days: int, keep: int) -> Backup | None:
    """The backup the schedule asks for now, if any (called when the app or CLI starts).
    One process makes it: the others, finding it being made, carry on without one."""
    if not backup_due(root, every_days):
        return None
    try:
        with _lock(root).acquire(timeout=0):
            if not backup_due(root, every_days):  # another process made it meanwhile
                return None
            return _make_backup(root, SCHEDULED, keep)
    except Timeout:
        return None  # being made by another ExifTree right now


def backup_on_schedule(catalog: Catalog) -> Backup | None:
    """The owner's scheduled backup (settings ``backup_every_days``, ``backups_kept``), made
    when the app or a command opens the catalog and one is due."""
    from catalog.settings import read_settings  # sqlite3: no SQLAlchemy for a command's start

    settings = read_settings(catalog.db_path)
    return scheduled_backup(catalog.root, settings.backup_every_days, settings.backups_kept)


def check_catalog_file(path: Path) -> str | None:
    """Why ``path`` is not a catalog this ExifTree can open (None: it is one)."""
    from catalog.migrate import is_known

    if not path.is_file():
        return f"{path} is not a file"
    if path.stat().st_size == 0:
        return f"{path} is empty (0 bytes)"
    try:
        with _closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                return f"{path} is damaged ({check})"
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            if not {"photos", "alembic_version"} <= tables:
                return f"{path} is an SQLite file but not an ExifTree catalog"
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        return f"{path} is not a usable catalog ({exc})"
    if row is None or not is_known(row[0]):
        return f"{path} was made by a newer ExifTree (its schema is unknown here): update first"
    return None


def in_use_elsewhere(db_path: Path) -> bool:
    """True when another connection (another ExifTree, or this one) has the catalog open.

    In WAL mode SQLite grants an exclusive lock only when no other connection is open."""
    if not db_path.is_file():
        return False
    try:
        with _closing(sqlite3.connect(db_path, timeout=0)) as db:
            db.execute("PRAGMA locking_mode=EXCLUSIVE")
            db.execute("BEGIN EXCLUSIVE")
            db.rollback()
    except sqlite3.OperationalError:  # busy: someone holds it
        return True
    except sqlite3.DatabaseError:  # not a database at all: nobody can be using it as one
        return False
    return False


@dataclass(frozen=True)
class Restored:
    catalog: Path
    restored_from: Path
    safety_copy: Backup | None  # the catalog as it was (None: none, or kept as damaged-*)


def restore(root: Path, source: Path) -> Restored:
    """Make ``source`` (a backup) the catalog of ``root``, keeping a copy of the current one."""
    source = Path(source)
    problem = check_catalog_file(source)
    if problem is not None:
        raise BackupError(f"nothing was restored: {problem}")
    db_path = root / DB_NAME
    if in_use_elsewhere(db_path):
        raise BackupError(
            f"nothing was restored: the catalog {db_path} is open in another ExifTree "
            "(the desktop app or a command still running); close it and try again"
        )
    safety = _safety_copy(root) if db_path.is_file() and db_path.stat().st_size else None
    try:
        root.mkdir(parents=True, exist_ok=True)
        partial = root / f".{DB_NAME}.restoring"
        partial.unlink(missing_ok=True)
        copy_database(source, partial)
        journal.renew_epoch(partial)  # never taken for the catalog last published
        for leftover in (root / f"{DB_NAME}-wal", root / f"{DB_NAME}-shm"):
            leftover.unlink(missing_ok=True)  # of the replaced file (nobody has it open)
        os.replace(partial, db_path)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"the restore failed and the catalog was left as it was: "
                          f"{_why(exc)}") from exc  # fmt: skip
    return Restored(db_path, source, safety)


def _safety_copy(root: Path) -> Backup | None:
    """The current catalog, backed up before a restore replaces it; a damaged file that the
    backup API cannot read is kept as it is, byte for byte."""
    try:
        return make_backup(root, BEFORE_RESTORE)
    except BackupError:
        backups_dir(root).mkdir(exist_ok=True)
        kept = backups_dir(root) / f"damaged-{_now().strftime(_STAMP)}-{DB_NAME}"
        kept.write_bytes((root / DB_NAME).read_bytes())  # not named as a backup: never offered
        return None


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)
