"""The inspector's lower panels: the place (hierarchy, coordinates, "Fix location…") and a
collapsible full metadata section (every parsed field, then the raw EXIF / XMP / IPTC tree,
searchable). The raw tree is read in a worker, only while the section is open."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from catalog.photo_metadata import leaf_text, parsed_fields, place_lines, raw_metadata
from catalog.rows import PhotoRow
from desktop.context import DesktopContext
from desktop.models.sidebar import country_name


def _section_button(title: str, expanded: bool) -> QToolButton:
    """A disclosure header: an arrow and a title, one click opens or closes."""
    button = QToolButton(text=title, checkable=True, checked=expanded)  # type: ignore[call-arg]  # PySide6 stubs: no inherited property kwargs (checkable, checked)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
    button.setAutoRaise(True)
    button.toggled.connect(
        lambda on: button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
    )
    return button


class LocationPanel(QWidget):
    """Where the photo was taken, offline: place names and coordinates, and the fix."""

    fix_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toggle = _section_button("Location", True)
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(8, 0, 0, 0)
        self.fix: QPushButton | None = None  # made with each photo's rows
        self.toggle.toggled.connect(self.body.setVisible)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)

    def show_row(self, row: PhotoRow | None) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fix = QPushButton("Fix location…", toolTip="Same as Photo ▸ Fix location…")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (toolTip)
        self.fix.clicked.connect(lambda: self.fix_requested.emit())
        self.setVisible(row is not None)
        if row is None:
            return
        lines = place_lines(row) or [("", "No place: the photo has no position")]
        for label, value in lines:
            if label == "Country":  # "Finland (FI)": the code alone says little
                name = country_name(value)
                value = f"{name} ({value})" if name != value.upper() else value
            text = QLabel(value, wordWrap=True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(label, text)
        self.form.addRow("", self.fix)

    def place_text(self) -> list[str]:
        """What the panel shows, one line per row (for tests and accessibility)."""
        out = []
        for i in range(self.form.rowCount()):
            item = self.form.itemAt(i, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                out.append(widget.text())
        return out


class MetadataPanel(QWidget):
    """Every field the catalog parsed, then the raw tree as stored, with a search box."""

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._row: PhotoRow | None = None
        self._loaded_for: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toggle = _section_button("Metadata", False)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit(placeholderText="Search metadata", clearButtonEnabled=True)
        self.search.textChanged.connect(self._filter)
        self.tree = QTreeWidget(columnCount=2)
        self.tree.setHeaderLabels(["Field", "Value"])
        self.tree.setMinimumHeight(260)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setColumnWidth(0, 130)
        body.addWidget(self.search)
        body.addWidget(self.tree)
        self.body.hide()
        self.toggle.toggled.connect(self._toggled)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)

    def show_row(self, row: PhotoRow | None) -> None:
        self._row = row
        self.setVisible(row is not None)
        if row is None:
            return
        if self.body.isVisible():
            self._load()  # the shown photo, or its new values after an edit
        else:
            self._loaded_for = None  # read when opened

    def _toggled(self, on: bool) -> None:
        self.body.setVisible(on)
        if on and self._row is not None and self._loaded_for != self._row.id:
            self._load()

    def _load(self) -> None:
        row = self._row
        if row is None:
            return
        self._loaded_for = row.id
        catalog = self._ctx.catalog
        self._ctx.tasks.run_in_background(
            lambda: raw_metadata(catalog, row.id), lambda raw: self._fill(row, raw)
        )

    def _fill(self, row: PhotoRow, raw: dict[str, Any]) -> None:
        if self._row is None or self._row.id != row.id:
            return  # another photo since: its own read follows
        self.tree.clear()
        parsed = QTreeWidgetItem(self.tree, ["Parsed", ""])
        for label, value in parsed_fields(self._row):
            item = QTreeWidgetItem(parsed, [label, value])
            item.setToolTip(1, value)
        groups = QTreeWidgetItem(self.tree, ["Raw (EXIF, XMP, IPTC)", "" if raw else "none"])
        _add_tree(groups, raw)
        parsed.setExpanded(True)
        groups.setExpanded(True)
        self._filter(self.search.text())

    def _filter(self, text: str) -> None:
        """Show the fields whose name or value contains ``text`` (and the groups above them)."""
        needle = text.strip().casefold()
        for i in range(self.tree.topLevelItemCount()):
            _filter_item(self.tree.topLevelItem(i), needle)

    def visible_fields(self) -> list[tuple[str, str]]:
        """(field, value) of every leaf shown now."""
        out: list[tuple[str, str]] = []

        def walk(item: QTreeWidgetItem | None) -> None:
            if item is None or item.isHidden():
                return
            if item.childCount() == 0:
                out.append((item.text(0), item.text(1)))
            for i in range(item.childCount()):
                walk(item.child(i))

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i))
        return out


def _add_tree(parent: QTreeWidgetItem, tree: Any) -> None:
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    for key, value in items:
        nested = isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)
        )
        item = QTreeWidgetItem(parent, [str(key), "" if nested else leaf_text(value)])
        if nested:
            _add_tree(item, value)
        else:
            item.setToolTip(1, item.text(1))


def _filter_item(item: QTreeWidgetItem | None, needle: str) -> bool:
    """Hide what does not match; a group stays when any child does. True if shown."""
    if item is None:
        return False
    own = not needle or needle in item.text(0).casefold() or needle in item.text(1).casefold()
    child_shown = False
    for i in range(item.childCount()):
        child_shown = _filter_item(item.child(i), "" if own and needle else needle) or child_shown
    shown = own or child_shown
    item.setHidden(not shown)
    if needle and child_shown:
        item.setExpanded(True)
    return shown
