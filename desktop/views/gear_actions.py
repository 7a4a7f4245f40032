"""Renaming and merging cameras, lenses and places from the sidebar, each one undo step.

A rename to a name another row already has is a merge in disguise (two spellings of one
camera): the owner is asked whether to merge into that row instead, as Lightroom asks
before it merges keywords. Both go through ``catalog.operations``, so Edit ▸ Undo takes
either back whole: the rows, their aliases and every photo's link.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from catalog import operations as ops
from catalog.changes import CatalogChanges
from desktop.context import DesktopContext

NOUNS = {"camera": "camera", "lens": "lens", "city": "place"}


class GearActions:
    """The sidebar's "Rename…" and "Merge into" for a camera, lens or city row (by id)."""

    def __init__(
        self, ctx: DesktopContext, parent: QWidget, follow: Callable[[str, str], None]
    ) -> None:
        self._ctx = ctx
        self._parent = parent
        self._follow = follow  # (old sidebar key, new key): where the sidebar goes next

    def rename(self, kind: str, row_id: str) -> None:
        catalog, row = self._ctx.catalog, ops.gear_row(self._ctx.catalog, kind, row_id)
        noun = NOUNS[kind]
        name, ok = QInputDialog.getText(
            self._parent, f"Rename {noun}", f"New name for {row.label}:", text=row.label
        )
        name = name.strip()
        if not ok or not name or name == row.label:
            return
        from catalog.gear import GearConflictError  # the maker tables: only when renaming

        clash: dict[str, GearConflictError] = {}

        def rename() -> CatalogChanges | None:
            try:
                return ops.rename(catalog, kind, row.slug, name)
            except GearConflictError as exc:  # nothing was changed: ask, then merge
                clash["error"] = exc
                return None

        def done(_changes: object) -> None:
            if "error" in clash:
                self._offer_merge(kind, row.row_id, row.label, clash["error"])

        self._ctx.perform(rename, done, what="the new name")

    def _offer_merge(self, kind: str, row_id: str, label: str, clash: Any) -> None:
        target = ops.gear_row(self._ctx.catalog, kind, clash.existing_slug)
        noun = NOUNS[kind]
        answer = QMessageBox.question(
            self._parent,
            f"Rename {noun}",
            f"A {noun} named “{target.label}” already exists.\n\n"
            f"Merge “{label}” into it? Its {target.count:,} photos and those of “{label}” "
            f"will show as one {noun}. Edit ▸ Undo takes the merge back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.merge(kind, row_id, target.row_id)

    def merge(self, kind: str, source_id: str, target_id: str) -> None:
        """Fold one row into another: its photos and aliases move, it goes. Not asked:
        the merge is one undo step, named in the Edit menu."""
        catalog = self._ctx.catalog
        source = ops.gear_row(catalog, kind, source_id)
        target = ops.gear_row(catalog, kind, target_id)
        if source.row_id == target.row_id:
            return
        self._follow(f"{kind}:{source.row_id}", f"{kind}:{target.row_id}")
        self._ctx.perform(
            lambda: ops.merge(catalog, kind, source.slug, target.slug), what="the merge"
        )
