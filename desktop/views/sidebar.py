"""The sidebar: where photos come from (library, collections, gear, tags, places, years).

Counts are read in a worker and the tree rebuilt on the GUI thread, keeping the owner's
selection and expanded sections. Photos dragged from the grid onto a collection join it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QPainter,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from catalog import query
from catalog.changes import CatalogChanges
from catalog.query import PhotoFilter
from desktop.context import DesktopContext
from desktop.models.photo_grid import PHOTO_IDS_MIME
from desktop.models.sidebar import (
    COUNT_ROLE,
    FILTER_ROLE,
    KEY_ROLE,
    KIND_ROLE,
    SidebarData,
    SidebarModel,
    library_sources,
)
from desktop.views.gear_actions import NOUNS as _GEAR_NOUNS

_COLLAPSED_BY_DEFAULT = {"section:tags", "section:years"}


def read_sidebar(ctx: DesktopContext) -> SidebarData:
    """The counts and facets (worker thread)."""
    with ctx.catalog.reading() as session:
        counts = {
            key: query.count(session, PhotoFilter(**fields))
            for key, _label, fields in library_sources()
        }
        return SidebarData(counts, query.facets(session))


class _SidebarDelegate(QStyledItemDelegate):
    """Headers small and spaced; sources with a right-aligned count."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        kind = index.data(KIND_ROLE)
        if kind == "header":
            painter.save()
            font = QFont(option.font)
            font.setPointSizeF(max(font.pointSizeF() - 1.5, 7))
            font.setBold(True)
            font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 110)
            painter.setFont(font)
            painter.setPen(QColor("#7d828c"))
            rect = option.rect.adjusted(2, 8, 0, 0)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, index.data()
            )
            painter.restore()
            return
        count = index.data(COUNT_ROLE)
        text = "" if count is None else f"{count:,}"
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = opt.fontMetrics.horizontalAdvance(text) + 14 if text else 0
        opt.rect = option.rect.adjusted(0, 0, -width, 0)
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            full = QStyleOptionViewItem(opt)
            full.rect = option.rect
            full.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, full, painter, opt.widget)
            opt.backgroundBrush = QBrush(Qt.GlobalColor.transparent)
            opt.state &= ~QStyle.StateFlag.State_Selected
            opt.state &= ~QStyle.StateFlag.State_MouseOver
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if text:
            painter.save()
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            painter.setPen(QColor("#e8eaee" if selected else "#7d828c"))
            rect = QRect(
                option.rect.right() - width, option.rect.top(), width - 8, option.rect.height()
            )
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text
            )
            painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        size.setHeight(max(size.height(), 34 if index.data(KIND_ROLE) == "header" else 26))
        return size


class SidebarView(QTreeView):
    """Selecting an item narrows the grid; the menu manages collections."""

    source_selected = Signal(str, object)  # key, dict of PhotoFilter fields
    photos_dropped = Signal(str, list)  # collection id, photo ids
    collection_action = Signal(str, str)  # action ("new"|"rename"|"delete"|"manage"), coll id
    gear_action = Signal(str, str, str, str)  # "rename"|"merge", kind, row id, target row id
    facets_loaded = Signal(object)  # the facets just counted: {"cameras": [FacetItem], …}

    def __init__(self, ctx: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self._ctx = ctx
        self.sidebar_model = SidebarModel(self)
        self.setModel(self.sidebar_model)
        self.setItemDelegate(_SidebarDelegate(self))
        self.setHeaderHidden(True)
        self.setIndentation(14)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(False)
        self.setAnimated(False)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self._current_key = "all"
        self._follow: dict[str, str] = {}  # a source about to vanish → where to go instead
        self._collapsed = set(_COLLAPSED_BY_DEFAULT)
        # a section opens and closes on one click (its arrow or its name), as in Lightroom
        self.setExpandsOnDoubleClick(False)
        self.clicked.connect(self._toggle_section)
        self.doubleClicked.connect(self._toggle_group)
        self.expanded.connect(lambda i: self._collapsed.discard(i.data(KEY_ROLE)))
        self.collapsed.connect(lambda i: self._collapsed.add(i.data(KEY_ROLE)))
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.loaded = False
        self._apply_tree_state()
        ctx.events.catalog_changed.connect(self._catalog_changed)

    def _toggle_section(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) == "header":
            self.setExpanded(index, not self.isExpanded(index))

    def _toggle_group(self, index: QModelIndex) -> None:
        """Below the sections (a country's regions, …) a double click still opens and closes."""
        if index.data(KIND_ROLE) != "header" and self.model().hasChildren(index):
            self.setExpanded(index, not self.isExpanded(index))

    # --- data --------------------------------------------------------------------------
    def reload(self) -> None:
        """Count again in the background; rebuild when the answer lands."""
        self._ctx.tasks.run_in_background(lambda: read_sidebar(self._ctx), self._populate)

    def _populate(self, data: SidebarData) -> None:
        self.blockSignals(True)
        self.selectionModel().blockSignals(True)
        self.sidebar_model.populate(data)
        gone = self.sidebar_model.find_key(self._current_key) is None
        if gone:  # merged away, deleted: its successor, else everything
            successor = self._follow.get(self._current_key, "all")
            found = self.sidebar_model.find_key(successor) is not None
            self._current_key = successor if found else "all"
        self._follow.clear()
        self._apply_tree_state()
        self.selectionModel().blockSignals(False)
        self.blockSignals(False)
        self.loaded = True
        self.facets_loaded.emit(data.facets)
        if gone:  # the grid still shows the vanished source's (empty) filter
            self.source_selected.emit(self._current_key, self.current_filter_fields())

    def follow(self, old_key: str, new_key: str) -> None:
        """If ``old_key`` is shown when it vanishes (a merged camera), show ``new_key``."""
        self._follow[old_key] = new_key

    def _apply_tree_state(self) -> None:
        model = self.sidebar_model
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            self.setExpanded(index, index.data(KEY_ROLE) not in self._collapsed)
        item = model.find_key(self._current_key) or model.find_key("all")
        if item is not None:
            parent = item.parent()
            while parent is not None:
                self.setExpanded(parent.index(), True)
                parent = parent.parent()
            self.setCurrentIndex(item.index())

    def _catalog_changed(self, changes: CatalogChanges) -> None:
        if changes.facets or changes.collections or changes.removed_ids or changes.photo_ids:
            self.reload()

    # --- selection ---------------------------------------------------------------------
    def select_key(self, key: str) -> bool:
        """Select the source with this key (e.g. ``"camera:<id>"``); False if absent."""
        item = self.sidebar_model.find_key(key)
        if item is None:
            return False
        self.setCurrentIndex(item.index())
        return True

    def current_key(self) -> str:
        return self._current_key

    def current_filter_fields(self) -> dict[str, Any]:
        item = self.sidebar_model.find_key(self._current_key)
        return dict(item.data(FILTER_ROLE) or {}) if item is not None else {}

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.data(FILTER_ROLE) is None:
            return
        self._current_key = current.data(KEY_ROLE)
        self.source_selected.emit(self._current_key, dict(current.data(FILTER_ROLE)))

    # --- drops onto collections --------------------------------------------------------
    def _collection_at(self, event: QDropEvent | QDragMoveEvent) -> str | None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and index.data(KIND_ROLE) == "collection":
            return str(index.data(KEY_ROLE)).split(":", 1)[1]
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(PHOTO_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(PHOTO_IDS_MIME) and self._collection_at(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        coll_id = self._collection_at(event)
        if coll_id is None or not event.mimeData().hasFormat(PHOTO_IDS_MIME):
            event.ignore()
            return
        ids = bytes(event.mimeData().data(PHOTO_IDS_MIME).data()).decode().split("\n")
        event.acceptProposedAction()
        self.photos_dropped.emit(coll_id, [i for i in ids if i])

    # --- context menus -----------------------------------------------------------------
    def _show_menu(self, pos: Any) -> None:
        menu = self.context_menu(self.indexAt(pos))
        if menu is not None:
            menu.exec(self.viewport().mapToGlobal(pos))

    def context_menu(self, index: QModelIndex) -> QMenu | None:
        """The right-click menu of an item: collections, or a camera, lens or place."""
        key = str(index.data(KEY_ROLE) or "")
        if key == "section:collections" or key.startswith("collection:"):
            return self._collection_menu(key)
        if index.data(KIND_ROLE) in _GEAR_NOUNS:
            return self._gear_menu(index)
        return None

    def _gear_menu(self, index: QModelIndex) -> QMenu:
        """Rename, or merge into another row of the same kind (most photos first)."""
        kind, label = str(index.data(KIND_ROLE)), str(index.data())
        row_id = str(index.data(KEY_ROLE)).split(":", 1)[1]
        menu = QMenu(self)
        menu.addAction(f"Rename {_GEAR_NOUNS[kind]}…",
                       lambda: self.gear_action.emit("rename", kind, row_id, ""))  # fmt: skip
        into = menu.addMenu(f"Merge “{label}” into")
        for other_id, other_label, count in self._rows_of_kind(kind):
            if other_id != row_id:
                merge = partial(self.gear_action.emit, "merge", kind, row_id, other_id)
                into.addAction(f"{other_label}  ({count:,})", merge)
        into.setEnabled(not into.isEmpty())
        return menu

    def _rows_of_kind(self, kind: str) -> list[tuple[str, str, int]]:
        """(id, label, count) of every sidebar row of a kind, most photos first."""
        model = self.sidebar_model
        found = model.match(model.index(0, 0), KIND_ROLE, kind, -1,
                            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)  # fmt: skip
        rows = [(str(i.data(KEY_ROLE)).split(":", 1)[1], str(i.data()), i.data(COUNT_ROLE) or 0)
                for i in found]  # fmt: skip
        return sorted(rows, key=lambda r: (-r[2], r[1].casefold()))

    def _collection_menu(self, key: str) -> QMenu:
        menu = QMenu(self)
        menu.addAction("New collection…", lambda: self.collection_action.emit("new", ""))
        if key.startswith("collection:"):
            coll_id = key.split(":", 1)[1]
            menu.addAction("Rename…", lambda: self.collection_action.emit("rename", coll_id))
            menu.addAction(
                "Manage order and cover…", lambda: self.collection_action.emit("manage", coll_id)
            )
            menu.addSeparator()
            menu.addAction(
                "Delete collection…", lambda: self.collection_action.emit("delete", coll_id)
            )
        return menu
