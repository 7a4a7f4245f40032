"""The Edit menu's Undo and Redo, named for the step they take: "Undo Set rating (368 photos)"."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from desktop.context import DesktopContext


def history_actions(parent: QObject, ctx: DesktopContext) -> tuple[QAction, QAction]:
    """Undo (Ctrl+Z) and Redo (Ctrl+Shift+Z, Ctrl+Y), kept in step with the history."""
    undo = QAction("Undo", parent)
    undo.setObjectName("undoAction")
    undo.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
    undo.triggered.connect(ctx.undo)
    redo = QAction("Redo", parent)
    redo.setObjectName("redoAction")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    redo.triggered.connect(ctx.redo)

    def refresh() -> None:
        for action, verb, label in (
            (undo, "Undo", ctx.history.undo_label()),
            (redo, "Redo", ctx.history.redo_label()),
        ):
            action.setText(f"{verb} {label}" if label else verb)
            action.setEnabled(label is not None)

    ctx.history.changed.connect(refresh)
    refresh()
    return undo, redo
