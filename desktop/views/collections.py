"""Collections: list, create, rename, delete; members reordered by drag; a chosen cover.

Photos join a collection by dragging them from the grid onto it in the sidebar, or with
Photo → Add to collection. Here the owner orders the members and picks the cover.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from catalog import collections as colls
from catalog.operations import collections as coll_ops
from catalog.rows import PhotoRow, load_rows
from desktop.context import DesktopContext
from desktop.models.thumbnails import ThumbnailCache
from desktop.views.photo_actions import PhotoActions

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CollectionsDialog(QDialog):
    def __init__(
        self,
        ctx: DesktopContext,
        thumbs: ThumbnailCache,
        actions: PhotoActions,
        coll_id: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Collections")
        self.resize(960, 600)
        self._ctx = ctx
        self._thumbs = thumbs
        self._actions = actions
        self._wanted = coll_id
        self._cover: str | None = None
        self.names = QListWidget()
        self.names.currentItemChanged.connect(lambda *_: self._load_members())
        self.members = QListWidget()
        self.members.setViewMode(QListView.ViewMode.IconMode)
        self.members.setIconSize(QSize(150, 110))
        self.members.setGridSize(QSize(170, 150))
        self.members.setMovement(QListView.Movement.Snap)
        self.members.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.members.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.members.model().rowsMoved.connect(lambda *_: self._save_order())
        self.info = QLabel(objectName="dimLabel")  # type: ignore[call-overload]  # PySide6 stubs: no inherited property kwargs (objectName)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.addWidget(self.names, 1)
        row = QHBoxLayout()
        for text, slot in (
            ("New…", self._new),
            ("Rename…", self._rename),
            ("Delete…", self._delete),
        ):
            row.addWidget(QPushButton(text, clicked=slot))  # type: ignore[call-overload]  # PySide6 stubs: no signal kwargs (clicked)
        lv.addLayout(row)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.addWidget(self.info)
        rv.addWidget(self.members, 1)
        self.cover_button = QPushButton("Use the selected photo as cover", clicked=self._set_cover)  # type: ignore[call-overload]  # PySide6 stubs: no signal kwargs (clicked)
        rv.addWidget(self.cover_button, alignment=Qt.AlignmentFlag.AlignRight)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([240, 720])
        QVBoxLayout(self).addWidget(split)
        thumbs.thumbnail_ready.connect(self._thumbnail_ready)
        ctx.events.catalog_changed.connect(lambda c: self._load_names() if c.collections else None)
        self._load_names()

    def current_id(self) -> str | None:
        item = self.names.currentItem()
        return item.data(ID_ROLE) if item else None

    def _load_names(self) -> None:
        keep = self.current_id() or self._wanted
        with self._ctx.catalog.reading() as session:
            infos = colls.list_collections(session)
        self.names.blockSignals(True)
        self.names.clear()
        for info in infos:
            item = QListWidgetItem(f"{info.name}  ({info.count})")
            item.setData(ID_ROLE, info.id)
            self.names.addItem(item)
            if info.id == keep:
                self.names.setCurrentItem(item)
        if self.names.currentItem() is None and self.names.count():
            self.names.setCurrentRow(0)
        self.names.blockSignals(False)
        self._load_members()

    def _load_members(self) -> None:
        coll_id = self.current_id()
        self.members.clear()
        if coll_id is None:
            self.info.setText("No collections yet.")
            return
        with self._ctx.catalog.reading() as session:
            ids = colls.collection_photo_ids(session, coll_id)
            rows = load_rows(session, ids)
            info = next((c for c in colls.list_collections(session) if c.id == coll_id), None)
        self._cover = info.cover_photo_id if info else None
        self.info.setText("Drag to reorder. The cover is marked ◆.")
        for row in rows:
            self.members.addItem(self._member_item(row))

    def _member_item(self, row: PhotoRow) -> QListWidgetItem:
        mark = "◆ " if row.id == self._cover else ""
        item = QListWidgetItem(mark + (row.title or row.source_path.rsplit("/", 1)[-1]))
        item.setData(ID_ROLE, row.id)
        item.setData(ID_ROLE + 1, row.content_hash)
        pixmap = self._thumbs.pixmap(row.content_hash, 800)
        if pixmap is not None:
            item.setIcon(QIcon(pixmap))
        return item

    def _thumbnail_ready(self, content_hash: str, _size: int) -> None:
        for i in range(self.members.count()):
            item = self.members.item(i)
            if item.data(ID_ROLE + 1) == content_hash:
                pixmap = self._thumbs.pixmap(content_hash, 800)
                if pixmap is not None:
                    item.setIcon(QIcon(pixmap))

    def member_ids(self) -> list[str]:
        return [self.members.item(i).data(ID_ROLE) for i in range(self.members.count())]

    def _save_order(self) -> None:
        coll_id, ids, catalog = self.current_id(), self.member_ids(), self._ctx.catalog
        if coll_id and ids:
            self._ctx.perform(lambda: coll_ops.reorder(catalog, coll_id, ids), what="the order")

    def _set_cover(self) -> None:
        coll_id, item, catalog = self.current_id(), self.members.currentItem(), self._ctx.catalog
        if coll_id and item is not None:
            photo_id = item.data(ID_ROLE)
            self._ctx.perform(
                lambda: coll_ops.set_cover(catalog, coll_id, photo_id), what="the cover"
            )

    def _new(self) -> None:
        name, ok = QInputDialog.getText(self, "New collection", "Name:")
        if ok and name.strip():
            self._actions.create_collection(name.strip(), [])

    def _rename(self) -> None:
        coll_id, catalog = self.current_id(), self._ctx.catalog
        item = self.names.currentItem()
        if coll_id is None or item is None:
            return
        name, ok = QInputDialog.getText(self, "Rename collection", "Name:")
        if ok and name.strip():
            self._ctx.perform(
                lambda: coll_ops.rename_collection(catalog, coll_id, name), what="the name"
            )

    def _delete(self) -> None:
        coll_id, catalog = self.current_id(), self._ctx.catalog
        if coll_id is None:
            return
        answer = QMessageBox.question(
            self, "Delete collection", "Delete this collection? Its photos stay in the catalog."
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._ctx.perform(
                lambda: coll_ops.delete_collection(catalog, coll_id), what="the deletion"
            )
