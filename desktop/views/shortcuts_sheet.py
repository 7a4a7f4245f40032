"""The "Keyboard shortcuts" sheet (Help menu, Ctrl+/), as Lightroom's: read from the menus
themselves, so it lists every shortcut the app has and never drifts from them."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

# Keys the grid and loupe take directly (not menu actions).
VIEW_KEYS = (
    ("Grid", "Enter / Space", "Open the loupe"),
    ("Loupe", "← → ↑ ↓", "Previous / next photo"),
    ("Loupe", "Esc / Enter", "Back to the grid"),
    ("Loupe", "Z / Space / click", "Zoom to 1:1 and back to fit (centred on the click)"),
    ("Loupe", "Drag", "Pan the photo at 1:1"),
)


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, keys, action) for every menu entry with a shortcut or a key hint."""
    rows: list[tuple[str, str, str]] = []

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                sub = action.menu()
                assert isinstance(sub, QMenu)
                walk(sub, f"{path} ▸ {sub.title().replace('&', '')}")
                continue
            rows.extend(_row(path, action))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, menu.title().replace("&", ""))
    return rows + list(VIEW_KEYS)


def _row(path: str, action: QAction) -> list[tuple[str, str, str]]:
    text, _tab, hint = action.text().partition("\t")
    if action.objectName() in ("undoAction", "redoAction"):
        text = text.split(" ", 1)[0]  # "Undo", not the step it would take now
    keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
    keys = keys or hint
    return [(path, keys, text.replace("&", ""))] if keys else []


def show_shortcuts(window: QMainWindow) -> QDialog:
    dialog = QDialog(window)
    dialog.setObjectName("shortcutsSheet")
    dialog.setWindowTitle("Keyboard shortcuts")
    rows = shortcut_rows(window)
    table = QTableWidget(len(rows), 3, dialog)
    table.setHorizontalHeaderLabels(["Where", "Keys", "Does"])
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.resize(760, 600)  # every column whole: no sideways scrolling
    dialog.show()
    return dialog
