"""What an operation changed, so views refresh only that (anki's OpChanges idea)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogChanges:
    """Photos whose rows changed, photos that left the catalog, and whether the sidebar's
    facet counts, the collection list or the changed photos' thumbnails may be stale."""

    photo_ids: frozenset[str] = frozenset()
    removed_ids: frozenset[str] = frozenset()
    facets: bool = False
    collections: bool = False
    thumbnails: bool = False  # the thumbnail files of ``photo_ids`` were rewritten

    @classmethod
    def of(
        cls,
        photo_ids: Iterable[str] = (),
        *,
        removed_ids: Iterable[str] = (),
        facets: bool = False,
        collections: bool = False,
        thumbnails: bool = False,
    ) -> CatalogChanges:
        return cls(frozenset(photo_ids), frozenset(removed_ids), facets, collections, thumbnails)

    @property
    def is_empty(self) -> bool:
        return not (self.photo_ids or self.removed_ids or self.facets or self.collections)

    def merged(self, other: CatalogChanges) -> CatalogChanges:
        """Both changes at once: for a batch made of several operations."""
        return CatalogChanges(
            self.photo_ids | other.photo_ids,
            self.removed_ids | other.removed_ids,
            self.facets or other.facets,
            self.collections or other.collections,
            self.thumbnails or other.thumbnails,
        )

    __or__ = merged
