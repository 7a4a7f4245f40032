"""The catalog's errors: small, typed, carrying the path or key and the cause."""

from __future__ import annotations

from pathlib import Path


class CatalogError(Exception):
    """Base of every error the catalog raises on purpose."""


class CatalogLocationError(CatalogError):
    """The catalog folder cannot be created or opened."""

    def __init__(self, path: Path, cause: str) -> None:
        super().__init__(f"cannot open the catalog at {path}: {cause}")
        self.path = path


class DamagedCatalogError(CatalogLocationError):
    """The catalog file is there but unusable (empty, truncated, not a catalog): ExifTree
    refuses to start a new empty catalog over it and says which backup to restore."""

    def __init__(self, db_path: Path, what: str, latest_backup: Path | None) -> None:
        if latest_backup is not None:
            todo = (
                f"Restore the latest backup with: exiftree restore {latest_backup} "
                f"(backups are in {latest_backup.parent})"
            )
        else:
            todo = (
                f"No backup of it was found in {db_path.parent / 'backups'}. Restore one you "
                "keep elsewhere with: exiftree restore FILE, or move the file aside to start "
                "a new, empty catalog"
            )
        CatalogError.__init__(
            self,
            f"the catalog file {db_path} {what}. ExifTree will not start a new, empty "
            f"catalog over it. {todo}.",
        )
        self.path = db_path.parent
        self.db_path = db_path


class ReadOnlyCatalogError(CatalogLocationError):
    """The catalog folder or file cannot be written (permissions, a read-only disk)."""

    def __init__(self, path: Path, cause: str) -> None:
        CatalogError.__init__(
            self,
            f"the catalog at {path} is read-only ({cause}): ExifTree needs to write there. "
            f"Make it writable (e.g. chmod -R u+w {path}, or remount the disk read-write), "
            "or choose another catalog folder with --catalog or EXIFTREE_HOME.",
        )
        self.path = path


class NotFoundError(CatalogError):
    """A photo, camera, lens, city, tag or collection that does not exist."""

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"no {kind} {key!r} in the catalog")
        self.kind = kind
        self.key = key
