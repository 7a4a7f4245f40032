"""The thumbnail grid: a QListView over the id-list model, keyboard-driven like a library.

The view tells the thumbnail cache which photos are on screen, so decodes for photos that
scrolled away are dropped. Keys that act on the selection (rating, visibility, delete, the
loupe) are turned into signals; the main window performs them.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from desktop.models.photo_grid import ID_ROLE, PhotoGridModel
from desktop.models.thumbnails import ThumbnailCache
from desktop.widgets.thumbnail_delegate import ThumbnailDelegate

_VISIBILITY_KEYS = {Qt.Key.Key_P: "public", Qt.Key.Key_U: "unlisted", Qt.Key.Key_X: "private"}


class PhotoGridView(QListView):
    """Uniform cells laid out left to right, wrapping; many selected at once."""

    open_requested = Signal()  # Enter, Space or double-click: the loupe
    rating_requested = Signal(int)
    visibility_requested = Signal(str)
    remove_requested = Signal()
    selection_changed = Signal()

    def __init__(
        self, model: PhotoGridModel, thumbs: ThumbnailCache, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("photoGrid")
        self._thumbs = thumbs
        # IconMode: a dataChanged costs nothing (ListMode relayouts every row for one).
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionRectVisible(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(40)
        self.setMouseTracking(True)
        self.delegate = ThumbnailDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setGridSize(self.delegate.cell)
        self.setModel(model)
        self._visible_timer = QTimer(self, singleShot=True, interval=30)
        self._visible_timer.timeout.connect(self._report_visible)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._visible_timer.start())
        model.rows_arrived.connect(lambda _ids: self._visible_timer.start())
        model.modelReset.connect(self._visible_timer.start)
        self.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        self.selectionModel().currentChanged.connect(lambda *_: self.selection_changed.emit())
        self.doubleClicked.connect(lambda _i: self.open_requested.emit())

    def photo_model(self) -> PhotoGridModel:
        return self.model()  # type: ignore[return-value]

    # --- selection helpers -------------------------------------------------------------
    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        return [self.photo_model().ids[r] for r in rows]

    def current_id(self) -> str | None:
        index = self.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_ids(self, ids: list[str], current: str | None = None) -> None:
        """Select these photos (those still shown) and make ``current`` the current one."""
        model = self.photo_model()
        selection = self.selectionModel()
        selection.clearSelection()
        for photo_id in ids:
            row = model.row_of(photo_id)
            if row is not None:
                selection.select(model.index(row), QItemSelectionModel.SelectionFlag.Select)
        row = model.row_of(current) if current else None
        if row is not None:
            selection.setCurrentIndex(model.index(row), QItemSelectionModel.SelectionFlag.NoUpdate)

    def go_to_row(self, row: int) -> None:
        """Make ``row`` current and the only selected one, and scroll it into view."""
        index = self.photo_model().index(row)
        if index.isValid():
            self.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.scrollTo(index)

    # --- keys --------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self.currentIndex().isValid():
                self.open_requested.emit()
            return
        if plain and Qt.Key.Key_0 <= key <= Qt.Key.Key_5:
            self.rating_requested.emit(int(key) - int(Qt.Key.Key_0))
            return
        if plain and key in _VISIBILITY_KEYS:
            self.visibility_requested.emit(_VISIBILITY_KEYS[key])
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and plain:
            self.remove_requested.emit()
            return
        super().keyPressEvent(event)

    # --- what is on screen -------------------------------------------------------------
    def visible_rows(self) -> tuple[int, int]:
        """First and last model rows at least partly on screen ((0, -1) when none)."""
        model = self.photo_model()
        if model.rowCount() == 0:
            return 0, -1
        top = self.indexAt(QPoint(8, 8))
        rect = self.viewport().rect()
        bottom = self.indexAt(QPoint(rect.width() - 8, rect.height() - 8))
        first = top.row() if top.isValid() else self._row_near(8)
        last = bottom.row() if bottom.isValid() else self._row_near(rect.height() - 8, last=True)
        return max(first, 0), min(max(last, first), model.rowCount() - 1)

    def _row_near(self, y: int, last: bool = False) -> int:
        step = self.gridSize().height() // 2
        probe = y
        while 0 <= probe <= self.viewport().height():
            index: QModelIndex = self.indexAt(QPoint(8, probe))
            if index.isValid():
                columns = max(self.viewport().width() // self.gridSize().width(), 1)
                return index.row() + (columns - 1 if last else 0)
            probe += -step if last else step
        return self.photo_model().rowCount() - 1 if last else 0

    def _report_visible(self) -> None:
        first, last = self.visible_rows()
        columns = max(self.viewport().width() // max(self.gridSize().width(), 1), 1)
        margin = columns * 2  # a little ahead, so small scrolls find thumbnails ready
        self._thumbs.set_wanted(
            self.photo_model().visible_thumbnail_keys(first - margin, last + margin)
        )
