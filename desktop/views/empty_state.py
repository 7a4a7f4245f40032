"""The first-run invitation: an empty catalog asks for a folder (or a drop)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyStateView(QWidget):
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("Your catalog is empty", objectName="emptyTitle")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        hint = QLabel(  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
            "Import a folder of photos, or drop photos and folders anywhere on this window.\n"
            "Originals stay where they are: ExifTree only reads them.",
            objectName="emptyHint",
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        button = QPushButton("Import a folder…", objectName="primaryButton")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        button.clicked.connect(self.import_requested)
        for widget in (title, hint):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(widget)
        layout.addSpacing(14)
        layout.addWidget(button, alignment=Qt.AlignmentFlag.AlignCenter)


class NoMatchView(QWidget):
    """What an empty result says when filters made it empty: how to get photos back."""

    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noMatch")
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel("No photos match")
        title.setObjectName("emptyTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton("Clear filters")
        self.button.setObjectName("primaryButton")
        self.button.clicked.connect(self.clear_requested)
        layout.addWidget(title)
        layout.addSpacing(10)
        layout.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignCenter)
