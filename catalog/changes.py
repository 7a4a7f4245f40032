"""What an operation changed, so views refresh only that (anki's OpChanges idea), and how
to take it back: an owner edit's changes carry the :class:`Edit` that undoes it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from catalog.catalog import Catalog


class Edit(Protocol):
    """A stored edit that can be applied again: an undo, whose own changes carry the redo."""

    def apply(self, catalog: Catalog) -> CatalogChanges: ...

    @property
    def size(self) -> int:
        """Roughly how many row values it holds, so a history can bound its memory."""
        ...


@dataclass(frozen=True)
class CatalogChanges:
    """Photos whose rows changed, photos that left the catalog, and whether the sidebar's
    facet counts, the collection list or the changed photos' thumbnails may be stale."""

    photo_ids: frozenset[str] = frozenset()
    removed_ids: frozenset[str] = frozenset()
    facets: bool = False
    collections: bool = False
    thumbnails: bool = False  # the thumbnail files of ``photo_ids`` were rewritten
    label: str = ""  # what the owner did, for an Edit menu: "Set rating (368 photos)"
    undo: Edit | None = field(default=None, compare=False)  # None: cannot be taken back
    added_ids: frozenset[str] = frozenset()  # photos that came (back) into the catalog
    collection_ids: frozenset[str] = frozenset()  # collections created or changed

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
        return not (
            self.photo_ids or self.removed_ids or self.added_ids or self.facets or self.collections
        )

    def labelled(self, label: str, undo: Edit | None) -> CatalogChanges:
        """The same changes, named for an Edit menu and carrying their undo."""
        return replace(self, label=label, undo=undo)

    def as_one_step(self, label: str) -> CatalogChanges:
        """Several edits merged, named as one step whose undo and redo keep that name."""
        return self.labelled(label, Batch((self.undo,), label) if self.undo else None)

    def merged(self, other: CatalogChanges) -> CatalogChanges:
        """Both changes at once: for a batch made of several operations. Its undo takes
        back both, the later first; it has none when either part cannot be undone."""
        undo: Edit | None = None
        if self.undo is not None and other.undo is not None:
            undo = Batch((other.undo, self.undo))
        elif self.is_empty and self.undo is None:
            undo = other.undo
        elif other.is_empty and other.undo is None:
            undo = self.undo
        return CatalogChanges(
            self.photo_ids | other.photo_ids,
            self.removed_ids | other.removed_ids,
            self.facets or other.facets,
            self.collections or other.collections,
            self.thumbnails or other.thumbnails,
            self.label or other.label,
            undo,
            self.added_ids | other.added_ids,
            self.collection_ids | other.collection_ids,
        )

    __or__ = merged


@dataclass(frozen=True)
class Batch:
    """Several edits applied in order as one (one undo step for a batch)."""

    edits: tuple[Edit, ...]
    label: str = ""  # the step's name, kept through undo and redo

    @property
    def size(self) -> int:
        return sum(edit.size for edit in self.edits)

    def apply(self, catalog: Catalog) -> CatalogChanges:
        changes = CatalogChanges()
        for edit in self.edits:
            changes = changes | edit.apply(catalog)
        return changes.as_one_step(self.label) if self.label else changes
