"""Undoable collection edits: create, rename, delete, add, remove, reorder, cover.

A collection's own row and its member rows are the whole scope of any of them, so one
capture before and after is enough to take each back exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from catalog import collections as colls
from catalog.catalog import Catalog
from catalog.changes import CatalogChanges
from catalog.operations.core import Restore, counted, recorded
from catalog.operations.snapshot import Image, Scope, rows_of


def _scopes(coll_id: str) -> list[Scope]:
    return [rows_of("collections", "id", [coll_id]),
            rows_of("collection_photos", "collection_id", [coll_id])]  # fmt: skip


def _recorded(
    catalog: Catalog, coll_id: str, label: str, edit: Callable[[], CatalogChanges]
) -> CatalogChanges:
    changes = recorded(catalog, label, _scopes(coll_id), edit)
    return replace(changes, collection_ids=frozenset({coll_id}))


def create_collection(
    catalog: Catalog, name: str, description: str | None = None, ids: Sequence[str] = ()
) -> CatalogChanges:
    """A new collection (its id is the one in ``collection_ids``), with ``ids`` in it."""
    coll_id = colls.create_collection(catalog, name, description)
    changes = CatalogChanges(collections=True, facets=True)
    if ids:
        changes = changes | colls.add_photos(catalog, coll_id, ids)
    before = tuple(Image(scope, ()) for scope in _scopes(coll_id))  # it did not exist
    undo = Restore(before, f"New collection “{name}”", changes.photo_ids, True, True)
    changes = replace(changes, collection_ids=frozenset({coll_id}))
    return changes.labelled(undo.label, undo)


def rename_collection(
    catalog: Catalog, coll_id: str, name: str, description: str | None = None
) -> CatalogChanges:
    label = "Rename collection"
    return _recorded(
        catalog,
        coll_id,
        label,
        lambda: colls.rename_collection(catalog, coll_id, name, description),
    )


def delete_collection(catalog: Catalog, coll_id: str) -> CatalogChanges:
    return _recorded(catalog, coll_id, "Delete collection",
                     lambda: colls.delete_collection(catalog, coll_id))  # fmt: skip


def add_photos(catalog: Catalog, coll_id: str, ids: Sequence[str]) -> CatalogChanges:
    return _recorded(catalog, coll_id, counted("Add to collection", ids),
                     lambda: colls.add_photos(catalog, coll_id, ids))  # fmt: skip


def remove_photos(catalog: Catalog, coll_id: str, ids: Sequence[str]) -> CatalogChanges:
    return _recorded(catalog, coll_id, counted("Remove from collection", ids),
                     lambda: colls.remove_photos(catalog, coll_id, ids))  # fmt: skip


def reorder(catalog: Catalog, coll_id: str, ids_in_order: Sequence[str]) -> CatalogChanges:
    return _recorded(catalog, coll_id, "Reorder collection",
                     lambda: colls.reorder(catalog, coll_id, ids_in_order))  # fmt: skip


def set_cover(catalog: Catalog, coll_id: str, photo_id: str | None) -> CatalogChanges:
    return _recorded(catalog, coll_id, "Set collection cover",
                     lambda: colls.set_cover(catalog, coll_id, photo_id))  # fmt: skip


__all__ = ["add_photos", "create_collection", "delete_collection", "remove_photos",
           "rename_collection", "reorder", "set_cover"]  # fmt: skip
