"""The desktop's undo and redo: a stack of the operations' changes, each carrying its undo.

Every owner edit the desktop performs returns :class:`CatalogChanges` whose ``undo`` takes
it back (``catalog.operations``); this stack only keeps them in order and names the next
step for the Edit menu ("Undo Set rating (368 photos)"). Undoing runs the inverse as an
operation on the writer thread; what it returns carries the redo. Like Lightroom, the
history lasts as long as the window.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from catalog.changes import CatalogChanges

MAX_STEPS = 200
MAX_ROWS = 2_000_000  # row values kept for undo (~150 MB): the oldest steps go first


class EditHistory(QObject):
    """Undo and redo stacks of labelled changes; ``changed`` fires when either moves."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._undo: list[CatalogChanges] = []
        self._redo: list[CatalogChanges] = []

    def did(self, changes: CatalogChanges) -> None:
        """A new edit: it can be undone, and nothing undone before can be redone."""
        if changes.undo is None:
            return
        self._undo = [*self._undo, changes][-MAX_STEPS:]
        while len(self._undo) > 1 and sum(_size(c) for c in self._undo) > MAX_ROWS:
            self._undo.pop(0)
        self._redo.clear()
        self.changed.emit()

    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def take_undo(self) -> CatalogChanges | None:
        """The step to undo now (put back with :meth:`undone` once it has been)."""
        if not self._undo:
            return None
        step = self._undo.pop()
        self.changed.emit()
        return step

    def take_redo(self) -> CatalogChanges | None:
        if not self._redo:
            return None
        step = self._redo.pop()
        self.changed.emit()
        return step

    def undone(self, redo: CatalogChanges) -> None:
        """An undo landed: what it returned is the step Redo applies."""
        self._redo.append(redo)
        self.changed.emit()

    def redone(self, changes: CatalogChanges) -> None:
        self._undo.append(changes)
        self.changed.emit()

    def put_back(self, step: CatalogChanges, on_undo_side: bool) -> None:
        """An undo or redo failed: the step stays where it was."""
        (self._undo if on_undo_side else self._redo).append(step)
        self.changed.emit()


def _size(changes: CatalogChanges) -> int:
    return changes.undo.size if changes.undo is not None else 0
