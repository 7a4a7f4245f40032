"""The thumbnail grid: uniform cells laid out by arithmetic, keyboard-driven like a library.

A ``QListView`` keeps one layout item per row and lays every row out again on each reset or
insertion: at 1,000,000 photos that was ~150 ms of frozen UI per filter change and ~40 MB.
Here a cell's place is computed from its row (columns = viewport width / cell width), so a
reset, a scroll or a resize costs the same at any size; only the visible cells are painted.

The view tells the thumbnail cache which photos are on screen, so decodes for photos that
scrolled away are dropped. Keys that act on the selection (rating, visibility, delete, the
loupe) are turned into signals; the main window performs them.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QItemSelectionRange,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QRegion
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyleOptionViewItem, QWidget

from desktop.models.photo_grid import ID_ROLE, PhotoGridModel
from desktop.models.thumbnails import ThumbnailCache
from desktop.widgets.thumbnail_delegate import ThumbnailDelegate

_VISIBILITY_KEYS = {Qt.Key.Key_P: "public", Qt.Key.Key_U: "unlisted", Qt.Key.Key_X: "private"}
_Move = QAbstractItemView.CursorAction
AnyIndex = QModelIndex | QPersistentModelIndex


def _spans(selection: QItemSelection) -> list[QItemSelectionRange]:
    """The selection's ranges (typed: the stubs do not say a QItemSelection iterates)."""
    return [selection.at(i) for i in range(selection.count())]


class PhotoGridView(QAbstractItemView):
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
        self._hover_row = -1
        self.delegate = ThumbnailDelegate(self)
        self.setItemDelegate(self.delegate)
        self._cell = QSize(self.delegate.cell)
        # the model first: the setters below call indexAt and updateGeometries, and asking
        # Qt's static empty model from Python left a wrapper that crashed the next gc pass
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self._visible_timer = QTimer(self, singleShot=True, interval=30)
        self._visible_timer.timeout.connect(self._report_visible)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._visible_timer.start())
        model.rows_arrived.connect(lambda _ids: self._visible_timer.start())
        model.modelReset.connect(self._visible_timer.start)
        self.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        self.selectionModel().currentChanged.connect(lambda *_: self.selection_changed.emit())
        self.doubleClicked.connect(lambda _i: self.open_requested.emit())

    def photo_model(self) -> PhotoGridModel:
        return cast(PhotoGridModel, self.model())  # the only model this view is given

    def gridSize(self) -> QSize:  # noqa: N802 - QListView's name, kept for callers
        return QSize(self._cell)

    # --- geometry: everything follows from the row, the cell and the columns -----------
    def columns(self) -> int:
        return max(self.viewport().width() // self._cell.width(), 1)

    def _grid_rows(self) -> int:
        n = self.photo_model().rowCount()
        return (n + self.columns() - 1) // self.columns()

    def updateGeometries(self) -> None:  # noqa: N802 - Qt override
        bar = self.verticalScrollBar()
        height = self._cell.height()
        bar.setRange(0, max(self._grid_rows() * height - self.viewport().height(), 0))
        bar.setPageStep(self.viewport().height())
        bar.setSingleStep(40)
        super().updateGeometries()

    def visualRect(self, index: AnyIndex) -> QRect:  # noqa: N802 - Qt override
        if not index.isValid():
            return QRect()
        r, c = divmod(index.row(), self.columns())
        w, h = self._cell.width(), self._cell.height()
        return QRect(c * w, r * h - self.verticalOffset(), w, h)

    def indexAt(self, point: QPoint) -> QModelIndex:  # noqa: N802 - Qt override
        c = point.x() // self._cell.width()
        y = point.y() + self.verticalOffset()
        if point.x() < 0 or c >= self.columns() or y < 0:
            return QModelIndex()
        row = (y // self._cell.height()) * self.columns() + c
        return self.model().index(row, 0) if row < self.model().rowCount() else QModelIndex()

    def horizontalOffset(self) -> int:  # noqa: N802 - Qt override
        return 0

    def verticalOffset(self) -> int:  # noqa: N802 - Qt override
        return self.verticalScrollBar().value()

    def isIndexHidden(self, index: AnyIndex) -> bool:  # noqa: N802 - Qt override
        return False

    def scrollTo(  # noqa: N802 - Qt override
        self,
        index: AnyIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        rect = self.visualRect(index)
        if rect.isNull():
            return
        bar, height = self.verticalScrollBar(), self.viewport().height()
        Hint = QAbstractItemView.ScrollHint
        if hint == Hint.PositionAtTop:
            bar.setValue(bar.value() + rect.top())
        elif hint == Hint.PositionAtBottom:
            bar.setValue(bar.value() + rect.bottom() - height + 1)
        elif hint == Hint.PositionAtCenter:
            bar.setValue(bar.value() + rect.center().y() - height // 2)
        elif rect.top() < 0:
            bar.setValue(bar.value() + rect.top())
        elif rect.bottom() >= height:
            bar.setValue(bar.value() + min(rect.bottom() - height + 1, rect.top()))

    def moveCursor(  # noqa: N802 - Qt override
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        n = self.model().rowCount()
        if n == 0:
            return QModelIndex()
        current = self.currentIndex()
        row = current.row() if current.isValid() else 0
        cols = self.columns()
        page = max(self.viewport().height() // self._cell.height(), 1) * cols
        target = {
            _Move.MoveLeft: row - 1,
            _Move.MovePrevious: row - 1,
            _Move.MoveRight: row + 1,
            _Move.MoveNext: row + 1,
            _Move.MoveUp: row - cols,
            _Move.MoveDown: row + cols,
            _Move.MovePageUp: row - page,
            _Move.MovePageDown: row + page,
            _Move.MoveHome: 0,
            _Move.MoveEnd: n - 1,
        }.get(action, row)
        if action in (_Move.MoveUp, _Move.MoveDown) and not 0 <= target < n:
            target = row  # no row above or below: stay, as QListView does
        return self.model().index(min(max(target, 0), n - 1), 0)

    def setSelection(  # noqa: N802 - Qt override
        self, rect: QRect, command: QItemSelectionModel.SelectionFlag
    ) -> None:
        """Select what ``rect`` (viewport coordinates) stands for. A rubber band selects the
        cells it touches; a click, Shift+click or Shift+arrow spans the current cell and the
        rectangle's opposite corner, and selects every photo between them in order (as
        Lightroom does), not just a rectangle of cells."""
        rect = rect.normalized()
        if self.state() != QAbstractItemView.State.DragSelectingState:
            self._select_run(rect, command)
            return
        n, cols = self.model().rowCount(), self.columns()
        off, w, h = self.verticalOffset(), self._cell.width(), self._cell.height()
        c0, c1 = max(rect.left() // w, 0), min(rect.right() // w, cols - 1)
        r0, r1 = max((rect.top() + off) // h, 0), (rect.bottom() + off) // h
        selection = QItemSelection()
        if c0 <= c1 and n:
            runs = (
                [(r0 * cols, r1 * cols + cols - 1)]
                if c0 == 0 and c1 == cols - 1
                else [(r * cols + c0, r * cols + c1) for r in range(r0, r1 + 1)]
            )
            model = self.model()
            for first, last in runs:
                if first < n:
                    selection.select(model.index(first, 0), model.index(min(last, n - 1), 0))
        self.selectionModel().select(selection, command)

    def _select_run(self, rect: QRect, command: QItemSelectionModel.SelectionFlag) -> None:
        corners = [rect.topLeft(), rect.topRight(), rect.bottomLeft(), rect.bottomRight()]
        rows = [i.row() for c in corners if (i := self.indexAt(c)).isValid()]
        current = self.currentIndex().row()
        if not rows:
            self.selectionModel().select(QItemSelection(), command)
            return
        if current in rows:  # the far end: the corner diagonally opposite the current cell
            far = rows[3 - rows.index(current)] if len(rows) == 4 else rows[-1]
            first, last = sorted((current, far))
        else:
            first, last = min(rows), max(rows)
        model = self.model()
        span = QItemSelection(model.index(first, 0), model.index(last, 0))
        self.selectionModel().select(span, command)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:  # noqa: N802
        region = QRegion()
        cols, h, off = self.columns(), self._cell.height(), self.verticalOffset()
        full = self.viewport().rect()
        for span in _spans(selection):
            top, bottom = span.top() // cols * h - off, (span.bottom() // cols + 1) * h - off
            rect = QRect(0, top, full.width(), bottom - top).intersected(full)
            if not rect.isEmpty():
                region = region.united(rect)
        return region

    # --- painting: only the cells that intersect what needs repainting -----------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self.viewport())
        area = event.rect()
        first, last = self._rows_in(area.top(), area.bottom())
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        plain = option.state
        selection, current = self.selectionModel(), self.currentIndex().row()
        model, State = self.model(), QStyle.StateFlag
        cols, off = self.columns(), self.verticalOffset()
        w, h = self._cell.width(), self._cell.height()
        focus = self.hasFocus()
        for row in range(first, last + 1):  # one option, moved from cell to cell
            index = model.index(row, 0)
            r, c = divmod(row, cols)
            option.rect = QRect(c * w, r * h - off, w, h)
            state = plain
            if selection.isSelected(index):
                state |= State.State_Selected
            if row == self._hover_row:
                state |= State.State_MouseOver
            if row == current and focus:
                state |= State.State_HasFocus
            option.state = state
            self.delegate.paint(painter, option, index)
        painter.end()

    def _rows_in(self, top: int, bottom: int) -> tuple[int, int]:
        """First and last model rows whose cells meet the band [top, bottom] of the viewport."""
        n, cols = self.model().rowCount(), self.columns()
        off, h = self.verticalOffset(), self._cell.height()
        first = max((top + off) // h, 0) * cols
        last = min(((bottom + off) // h + 1) * cols - 1, n - 1)
        return first, last

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        index = self.indexAt(event.position().toPoint())
        row = index.row() if index.isValid() else -1
        if row != self._hover_row:
            for old in (self._hover_row, row):
                if old >= 0:
                    self.viewport().update(self.visualRect(self.model().index(old, 0)))
            self._hover_row = row
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if self._hover_row >= 0:
            self.viewport().update(self.visualRect(self.model().index(self._hover_row, 0)))
        self._hover_row = -1
        super().leaveEvent(event)

    # --- selection helpers -------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        """The selected rows in order, read from the selection's ranges (a million selected
        rows are a handful of ranges; ``selectedIndexes`` would make a million objects)."""
        rows: list[int] = []
        for span in _spans(self.selectionModel().selection()):
            rows.extend(range(span.top(), span.bottom() + 1))
        rows.sort()
        return rows

    def selected_count(self) -> int:
        return sum(s.bottom() - s.top() + 1 for s in _spans(self.selectionModel().selection()))

    def selected_ids(self) -> list[str]:
        """The selected photos' ids (rows whose id has not arrived yet are left out)."""
        ids = self.photo_model().ids
        return [ids[r] for r in self.selected_rows() if r < len(ids)]

    def current_id(self) -> str | None:
        index = self.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_ids(self, ids: list[str], current: str | None = None) -> None:
        """Select these photos (those still shown) and make ``current`` the current one."""
        model = self.photo_model()
        rows = sorted(r for pid in ids if (r := model.row_of(pid)) is not None)
        selection = QItemSelection()
        start = prev = None
        for row in [*rows, None]:
            if row is not None and prev is not None and row == prev + 1:
                prev = row
                continue
            if start is not None and prev is not None:
                selection.select(model.index(start, 0), model.index(prev, 0))
            start = prev = row
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        row = model.row_of(current) if current else None
        if row is not None:
            self.selectionModel().setCurrentIndex(
                model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def go_to_row(self, row: int) -> None:
        """Make ``row`` current and the only selected one, and scroll it into view."""
        index = self.photo_model().index(row, 0)
        if index.isValid():
            self.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.scrollTo(index)

    # --- keys --------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
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

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt override
        """No type-ahead: Qt's would ask ``data()`` of every row (a million row fetches) for
        a letter typed into the grid; the search field finds photos."""

    # --- what is on screen -------------------------------------------------------------
    def visible_rows(self) -> tuple[int, int]:
        """First and last model rows at least partly on screen ((0, -1) when none)."""
        if self.photo_model().rowCount() == 0:
            return 0, -1
        first, last = self._rows_in(0, self.viewport().height() - 1)
        return (first, last) if last >= first else (0, -1)

    def _report_visible(self) -> None:
        first, last = self.visible_rows()
        margin = self.columns() * 2  # a little ahead, so small scrolls find thumbnails ready
        self._thumbs.set_wanted(
            self.photo_model().visible_thumbnail_keys(first - margin, last + margin)
        )
