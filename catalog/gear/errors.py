"""Errors of the owner's gear and place edits: typed, carrying the kind and the key."""

from __future__ import annotations

from catalog.errors import CatalogError


class GearConflictError(CatalogError):
    """A rename would give a camera, lens or city the name another one already has."""

    def __init__(self, kind: str, name: str, existing_slug: str) -> None:
        super().__init__(
            f"a {kind} named {name!r} already exists ({existing_slug}); "
            f"merge into it instead: exiftree gear merge {kind} SOURCE {existing_slug}"
        )
        self.kind = kind
        self.name = name
        self.existing_slug = existing_slug
