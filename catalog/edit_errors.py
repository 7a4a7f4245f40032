"""Errors of the owner's edits: a value that cannot be stored, said plainly."""

from __future__ import annotations

from catalog.errors import CatalogError


class InvalidEditError(CatalogError):
    """An edit refused before anything changed: ``field`` cannot take ``value``."""

    def __init__(self, field: str, value: object, why: str) -> None:
        super().__init__(f"cannot set {field} to {value!r}: {why}")
        self.field = field
        self.value = value


class AmbiguousIdError(CatalogError):
    """A shortened photo id that fits more than one photo."""

    def __init__(self, prefix: str) -> None:
        super().__init__(f"photo id prefix {prefix!r} matches several photos; give more of it")
        self.prefix = prefix
