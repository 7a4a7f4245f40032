"""How an edit becomes an undoable operation: capture its rows, run it, keep both states.

``recorded(catalog, label, scopes, edit)`` runs ``edit`` (one of the catalog's edit
functions) between a capture of ``scopes`` before and after, and returns its changes
labelled for an Edit menu and carrying a :class:`Restore` of the "before" images: the undo.
Applying that undo returns changes whose own undo is the redo, and so on, as anki's undo
does with its ``OpChanges``. :func:`undo` and :func:`redo` are that one call, named.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from catalog.catalog import THUMB_SIZES_PX, Catalog
from catalog.changes import CatalogChanges, Edit
from catalog.errors import CatalogError
from catalog.operations.snapshot import Image, Scope, capture, restore, scopes_of
from catalog.search import reindex

Changes = CatalogChanges  # the operations' name for it
UNDO_THUMBS_DIR = "undo-thumbnails"  # removed photos' thumbnails, kept while undo may need them


class UndoConflictError(CatalogError):
    """The rows an undo (or redo) would bring back clash with what the catalog holds now."""

    def __init__(self, label: str) -> None:
        super().__init__(
            f"{label or 'this change'} can no longer be undone: the catalog has changed since "
            "(for example, the same photo was imported again); nothing was changed"
        )


class NothingToUndoError(CatalogError):
    """The changes carry no undo (an edit that cannot be taken back, or none at all)."""

    def __init__(self, label: str) -> None:
        super().__init__(f"{label or 'this change'} cannot be undone")


@dataclass(frozen=True)
class Restore:
    """Put rows back as they were when captured; the changes it returns restore them again."""

    images: tuple[Image, ...]
    label: str
    photo_ids: frozenset[str] = frozenset()
    facets: bool = False
    collections: bool = False
    thumbnails: bool = False

    @property
    def size(self) -> int:
        return sum(len(image.rows) for image in self.images)

    def apply(self, catalog: Catalog) -> CatalogChanges:
        try:
            with catalog.writing() as session:
                now = capture(session, scopes_of(self.images))
                gone, back = _photos_leaving_and_returning(now, self.images)
                restore(session, self.images)
                if _affects_search(self.images):
                    reindex(session, sorted(self.photo_ids | set(gone) | set(back)))
        except IntegrityError as exc:  # the whole restore rolled back: nothing changed
            raise UndoConflictError(self.label) from exc
        _park_thumbnails(catalog, gone.values())
        _unpark_thumbnails(catalog, back.values())
        changes = CatalogChanges.of(
            self.photo_ids - set(gone),
            removed_ids=gone,
            facets=self.facets or bool(gone or back),
            collections=self.collections,
            thumbnails=self.thumbnails,
        )
        changes = _with_added(changes, back)
        redo = Restore(now, self.label, self.photo_ids, self.facets, self.collections,
                       self.thumbnails)  # fmt: skip
        return changes.labelled(self.label, redo)


_SEARCHED_TABLES = {"photos", "photo_tags", "tags", "cameras", "lenses", "cities"}
_SEARCHED_PHOTO_COLUMNS = {"title", "description", "camera_id", "lens_id", "city_id",
                           "source_path"}  # fmt: skip


def _affects_search(images: Sequence[Image]) -> bool:
    """Whether restoring ``images`` can change what search finds (a rating cannot)."""
    for image in images:
        scope = image.scope
        if scope.table not in _SEARCHED_TABLES:
            continue
        if scope.table != "photos" or scope.columns is None:
            return True
        if _SEARCHED_PHOTO_COLUMNS & set(scope.columns):
            return True
    return False


def _with_added(changes: CatalogChanges, added: Iterable[str]) -> CatalogChanges:
    added = frozenset(added)
    return replace(changes, photo_ids=changes.photo_ids | added, added_ids=added)


def _photos_leaving_and_returning(
    now: Sequence[Image], wanted: Sequence[Image]
) -> tuple[dict[str, str], dict[str, str]]:
    """Photos (id → content hash) a restore deletes, and those it brings back."""
    for current, target in zip(now, wanted, strict=True):
        if target.scope.table == "photos" and target.scope.whole_rows:
            have = {i: dict(v).get("content_hash", "") for i, v in current.rows}
            want = {i: dict(v).get("content_hash", "") for i, v in target.rows}
            gone = {i: h for i, h in have.items() if i not in want}
            back = {i: h for i, h in want.items() if i not in have}
            return gone, back
    return {}, {}


def _thumb_paths(catalog: Catalog, content_hash: str) -> Iterable[tuple[Path, Path]]:
    parked = catalog.root / UNDO_THUMBS_DIR
    for size in THUMB_SIZES_PX:
        live = catalog.thumb_path(content_hash, size)
        yield live, parked / live.relative_to(catalog.thumbs_dir)


def _park_thumbnails(catalog: Catalog, hashes: Iterable[str]) -> None:
    """Move thumbnails aside rather than delete them, so an undo can bring them back."""
    _move_thumbnails(catalog, hashes, aside=True)


def _unpark_thumbnails(catalog: Catalog, hashes: Iterable[str]) -> None:
    _move_thumbnails(catalog, hashes, aside=False)


def _move_thumbnails(catalog: Catalog, hashes: Iterable[str], *, aside: bool) -> None:
    for content_hash in hashes:
        for live, parked in _thumb_paths(catalog, content_hash):
            source, target = (live, parked) if aside else (parked, live)
            if source.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)


def recorded(
    catalog: Catalog,
    label: str,
    scopes: Sequence[Scope],
    edit: Callable[[], CatalogChanges],
) -> CatalogChanges:
    """Run ``edit`` and return its changes labelled and carrying their undo.

    The capture before and the one after are separate short transactions around the edit
    (the edit functions open their own); the desktop's one writer thread runs them back to
    back, so nothing of its own can slip in between.
    """
    with catalog.reading() as session:
        before = capture(session, scopes)
    changes = edit()
    undo = Restore(
        before,
        label,
        changes.photo_ids | changes.removed_ids,
        changes.facets,
        changes.collections,
        changes.thumbnails,
    )
    return changes.labelled(label, undo)


def counted(verb: str, ids: Sequence[str] | int) -> str:
    """ "Set rating (368 photos)", "Set rating (1 photo)": the Edit menu's name for a step."""
    n = ids if isinstance(ids, int) else len(set(ids))
    return f"{verb} ({n:,} photo{'s' if n != 1 else ''})"


def invert(changes: CatalogChanges) -> Edit:
    """The edit that takes ``changes`` back (NothingToUndoError when there is none)."""
    if changes.undo is None:
        raise NothingToUndoError(changes.label)
    return changes.undo


def undo(catalog: Catalog, changes: CatalogChanges) -> CatalogChanges:
    """Take an operation back; the returned changes carry its redo as their undo."""
    return invert(changes).apply(catalog)


def redo(catalog: Catalog, undone: CatalogChanges) -> CatalogChanges:
    """Apply again what :func:`undo` took back (``undone`` is what the undo returned)."""
    return invert(undone).apply(catalog)


def forget_undo(catalog: Catalog) -> None:
    """The undo history has ended (the window closed): drop the removed photos' thumbnails
    that were kept for it."""
    import shutil

    shutil.rmtree(catalog.root / UNDO_THUMBS_DIR, ignore_errors=True)
