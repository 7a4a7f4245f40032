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


class NotFoundError(CatalogError):
    """A photo, camera, lens, city, tag or collection that does not exist."""

    def __init__(self, kind: str, key: str) -> None:
        super().__init__(f"no {kind} {key!r} in the catalog")
        self.kind = kind
        self.key = key
